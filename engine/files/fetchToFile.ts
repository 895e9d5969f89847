/** Downloading an http(s) URL straight to a file, with a clear error when it cannot be had. */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { isNameTooLongError } from '../storage/blobStore';
import { isDiskFullError } from '../storage/diskSpace';
import { STREAM_CHUNK_BYTES } from '../storage/streamChunk';

export class FetchError extends Error {}

export async function fetchToFile(
  url: string,
  target: string,
  signal?: AbortSignal,
): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    if (signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchError(
      `could not reach ${describeUrl(url)}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchError(`${describeUrl(url)} answered HTTP ${response.status}`);
  }
  let size = 0;
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  try {
    await pipeline(body, createWriteStream(target, { highWaterMark: STREAM_CHUNK_BYTES }), {
      signal,
    });
  } catch (error) {
    // A full disk is this computer's to say (DISK_FULL), not the download's: kept as it is; so
    // is a name the disk refused, which the caller shortens (FileService.writeUnderItsName).
    if (signal?.aborted || isDiskFullError(error) || isNameTooLongError(error)) throw error;
    throw new FetchError(
      `download from ${describeUrl(url)} broke off: ${(error as Error).message}`,
    );
  }
  return size;
}

/** Origin and path only: a query may carry a signature or token that has no place in a message. */
export function describeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the URL';
  }
}
