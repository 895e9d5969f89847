/**
 * Reading a JSON body with a size limit: 413 over the limit, 422 when it is not JSON. A
 * declared Content-Length over the limit was already refused by the dispatcher (bodyGate.ts);
 * this counts what actually arrives, for chunked bodies and clients that send more than they
 * declared.
 */
import type { IncomingMessage } from 'node:http';
import { declaredLength, jsonTooLarge } from './bodyGate';
import { ClientAbortedError, watchForClientAbort } from './clientAborted';
import { issue, unprocessable } from './errors';

/**
 * The body's bytes. Read with events rather than an async iterator, whose early exit destroys
 * the request and its socket under the 413 being written.
 */
function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      stopWatching();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        stop();
        // Drained, not kept: the dispatcher closes the connection after the 413.
        req.resume();
        reject(jsonTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const stopWatching = watchForClientAbort(req, () => {
      stop();
      // Counted here, or still buffered when the connection went (it went before we read).
      reject(new ClientAbortedError(size + req.readableLength, declaredLength(req.headers)));
    });
    req.on('data', onData);
    req.on('end', onEnd);
  });
}

export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const text = (await readBody(req, limitBytes)).toString('utf8');
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
