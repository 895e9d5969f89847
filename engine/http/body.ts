/** Reading a JSON body with a size limit: 413 over the limit, 422 when it is not JSON. */
import type { IncomingMessage } from 'node:http';
import { issue, tooLarge, unprocessable } from './errors';

export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    throw tooLarge(`Request body is larger than the limit of ${limitBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.resume();
      throw tooLarge(`Request body is larger than the limit of ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '')
    throw unprocessable([issue(['body'], 'a JSON body is required', 'missing')]);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw unprocessable([
      issue(['body'], `invalid JSON: ${(error as Error).message}`, 'value_error'),
    ]);
  }
}

/** A JSON object body, or 422. */
export async function readJsonObject(
  req: IncomingMessage,
  limitBytes: number,
): Promise<Record<string, unknown>> {
  const body = await readJson(req, limitBytes);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw unprocessable([issue(['body'], 'the body must be a JSON object', 'type_error')]);
  return body as Record<string, unknown>;
}
