/**
 * A file served the way a storage host serves it, for downloadToFile's tests (a handler for a
 * RecordingServer): Range answered with 206 and Content-Range, an ETag when given, a first
 * answer cut short on demand. And the download of such a file checked to have landed whole, and
 * a .part on a full disk.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { constants, open } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import {
  downloadToFile,
  partPathFor,
  type DownloadResult,
  type OpenPart,
} from '../../electron/core/transfers';
import type { FetchLike } from '../../electron/core/ports';
import type { RecordingServer } from './recordingServer';

export interface StorageFileOptions {
  /** Send half of the first answer, then end the connection cleanly or reset it. */
  cutFirst?: 'reset' | 'clean';
  /** false: ignore Range and send no accept-ranges (every answer is the whole file). */
  ranges?: boolean;
  etag?: string;
}

/** Serves `payload`, from the offset of a `Range: bytes=N-` unless `ranges` is false. */
export function serveStorageFile(payload: Buffer, o: StorageFileOptions = {}) {
  let count = 0;
  return (req: IncomingMessage, res: ServerResponse): void => {
    count++;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = o.ranges !== false && m ? Number(m[1]) : 0;
    const headers: Record<string, string | number> = {
      'content-length': payload.length - start,
      'content-type': 'video/webm',
    };
    if (o.etag) headers.etag = o.etag;
    if (o.ranges !== false) headers['accept-ranges'] = 'bytes';
    if (start > 0)
      headers['content-range'] = `bytes ${start}-${payload.length - 1}/${payload.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    const body = payload.subarray(start);
    if (count === 1 && o.cutFirst) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
        if (o.cutFirst === 'reset') res.socket?.resetAndDestroy();
        else res.socket?.end();
      });
      return;
    }
    res.end(body);
  };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * Downloads `payload` (which `storage` serves) through `fetch` into <dir>/out/out.webm
 * and checks it landed whole: the result, the bytes, progress to the end, nothing else left.
 */
export async function downloadWholeFile(
  storage: RecordingServer,
  dir: string,
  payload: Buffer,
  fetch: FetchLike,
): Promise<DownloadResult> {
  const seen: [number, number | null][] = [];
  const r = await downloadToFile({
    url: `${storage.url}/storage/f1/out.webm?sig=1`,
    dir: join(dir, 'out'),
    fileName: 'out.webm',
    fetch,
    onProgress: (a, b) => seen.push([a, b]),
  });
  expect(r).toMatchObject({
    path: join(dir, 'out', 'out.webm'),
    bytes: payload.length,
    skipped: false,
    resumes: 0,
  });
  expect(sha(await readFile(r.path))).toBe(sha(payload));
  expect(seen.at(-1)).toEqual([payload.length, payload.length]);
  expect(await readdir(join(dir, 'out'))).toEqual(['out.webm']);
  return r;
}

const openFd = promisify(open);

/**
 * An openPart for <dir>/<fileName>.part that is really /dev/full: the .part exists, as it would,
 * and the kernel itself answers ENOSPC to the first write.
 */
export function fullDiskPart(dir: string, fileName: string): OpenPart {
  return async () => {
    await writeFile(partPathFor(dir, fileName), '');
    return openFd('/dev/full', constants.O_WRONLY);
  };
}
