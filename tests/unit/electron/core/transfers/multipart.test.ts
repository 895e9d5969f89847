import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import busboy from 'busboy';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  UPLOAD_CHUNK_BYTES,
  multipartFileBody,
  quoteFileName,
} from '../../../../../electron/core/transfers/multipart';
import { contentTypeForName as contentTypeFor } from '../../../../../shared/mediaTypes';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir('multipart-');
});
afterAll(async () => {
  await dir.cleanup();
});

/** Parses a body with busboy (what the engine uses) and returns the file part. */
async function parse(body: ReadableStream<Uint8Array>, contentType: string) {
  return new Promise<{ field: string; filename: string; mimeType: string; data: Buffer }>(
    (resolve, reject) => {
      const bb = busboy({ headers: { 'content-type': contentType } });
      bb.on('file', (field, stream, info) => {
        const parts: Buffer[] = [];
        stream.on('data', (c: Buffer) => parts.push(c));
        stream.on('end', () =>
          resolve({
            field,
            filename: info.filename ?? '',
            mimeType: info.mimeType,
            data: Buffer.concat(parts),
          }),
        );
      });
      bb.on('error', reject);
      Readable.fromWeb(body as WebReadableStream).pipe(bb);
    },
  );
}

describe('multipartFileBody', () => {
  it('streams a file as the part `file` with its name and type, and announces the exact length', async () => {
    const data = randomBytes(UPLOAD_CHUNK_BYTES * 2 + 12345);
    const path = join(dir.path, 'clip "1".mp4');
    await writeFile(path, data);
    const body = multipartFileBody({
      path,
      fileName: 'clip "1".mp4',
      contentType: contentTypeFor(path),
      size: data.length,
    });
    const progress: number[] = [];
    const stream = body.stream((n) => progress.push(n));
    const [a, b] = stream.tee();
    let length = 0;
    const counting = (async () => {
      for await (const chunk of b as unknown as AsyncIterable<Uint8Array>)
        length += chunk.byteLength;
    })();
    const part = await parse(a, body.contentType);
    await counting;
    expect(part.field).toBe('file');
    expect(part.filename).toBe('clip %221%22.mp4');
    expect(part.mimeType).toBe('video/mp4');
    expect(part.data.equals(data)).toBe(true);
    expect(length).toBe(body.contentLength);
    expect(progress.at(-1)).toBe(data.length);
    expect(progress.length).toBe(3);
  });
  it('sends non-ASCII names as UTF-8 and escapes line breaks', async () => {
    expect(quoteFileName('a\r\nb.mp4')).toBe('a%0D%0Ab.mp4');
    const path = join(dir.path, 'été.wav');
    await writeFile(path, 'RIFF');
    const body = multipartFileBody({
      path,
      fileName: 'été.wav',
      contentType: contentTypeFor(path),
      size: 4,
    });
    const part = await parse(body.stream(), body.contentType);
    expect(part.filename).toBe('été.wav');
    expect(part.mimeType).toBe('audio/wav');
  });
  it('handles an empty file and can be streamed again', async () => {
    const path = join(dir.path, 'empty.bin');
    await writeFile(path, '');
    const body = multipartFileBody({
      path,
      fileName: 'empty.bin',
      contentType: 'application/octet-stream',
      size: 0,
    });
    expect((await parse(body.stream(), body.contentType)).data.length).toBe(0);
    expect((await parse(body.stream(), body.contentType)).data.length).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('');
  });
  it('reports file bytes only as its reader takes them, none for what it reads ahead', async () => {
    const data = randomBytes(UPLOAD_CHUNK_BYTES * 3);
    const path = join(dir.path, 'ahead.mp4');
    await writeFile(path, data);
    const body = multipartFileBody({
      path,
      fileName: 'ahead.mp4',
      contentType: 'video/mp4',
      size: data.length,
    });
    const progress: number[] = [];
    const reader = body.stream((n) => progress.push(n)).getReader();
    // A transport still connecting reads nothing: whatever the stream did meanwhile, no bytes
    // were sent.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(progress).toEqual([]);
    await reader.read(); // the part's head
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(progress).toEqual([]);
    const first = await reader.read();
    expect(first.value!.byteLength).toBe(UPLOAD_CHUNK_BYTES);
    expect(progress).toEqual([UPLOAD_CHUNK_BYTES]);
    await reader.cancel();
    expect(progress).toEqual([UPLOAD_CHUNK_BYTES]);
  });
});
