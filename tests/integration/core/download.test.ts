/**
 * downloadToFile against a recording server playing a storage host: resume after a cut,
 * servers that ignore Range, expired links, collisions, protected sources, a full disk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadToFile, partPathFor, LocalFileError } from '../../../electron/core/transfers';
import { RenderioError } from '../../../electron/core/client';
import { nodeHttpFetch, takeNodeBody } from '../../../electron/core/client/nodeHttpFetch';
import type { FetchLike } from '../../../electron/core/ports';
import { startRecordingServer, type RecordingServer } from '../../support/recordingServer';
import { tempDir } from '../../support/media';
import { downloadWholeFile, fullDiskPart, serveStorageFile } from '../../support/storageFile';

let storage: RecordingServer;
let tmp: { path: string; cleanup(): Promise<void> };
const data = randomBytes(3 * 1024 * 1024 + 17);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeEach(async () => {
  storage = await startRecordingServer();
  tmp = await tempDir('download-');
});
afterEach(async () => {
  await storage.close();
  await tmp.cleanup();
});

describe('downloadToFile', () => {
  it('streams to <name>.part with progress, then renames', async () => {
    storage.handle(serveStorageFile(data));
    await downloadWholeFile(storage, tmp.path, data);
    expect(storage.requests[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('detects a cut-short body (Content-Length) and resumes it with Range', async () => {
    for (const cut of ['reset', 'clean'] as const) {
      storage.requests.length = 0;
      storage.handle(serveStorageFile(data, { cutFirst: cut, etag: '"v1"' }));
      const r = await downloadToFile({
        url: `${storage.url}/s/out.webm`,
        dir: tmp.path,
        fileName: `${cut}.webm`,
      });
      expect(sha(await readFile(r.path))).toBe(sha(data));
      expect(r.resumes).toBe(1);
      expect(storage.requests).toHaveLength(2);
      expect(storage.requests[1]!.headers.range).toMatch(/^bytes=\d+-$/);
      expect(storage.requests[1]!.headers['if-range']).toBe('"v1"');
    }
  });

  it('starts again from zero when the server ignores Range', async () => {
    storage.handle(serveStorageFile(data, { cutFirst: 'reset', ranges: false }));
    const r = await downloadToFile({
      url: `${storage.url}/s/out.webm`,
      dir: tmp.path,
      fileName: 'out.webm',
    });
    expect(sha(await readFile(r.path))).toBe(sha(data));
    expect(r.resumes).toBe(0);
  });

  it('continues an existing .part only when asked to', async () => {
    await writeFile(partPathFor(tmp.path, 'out.webm'), data.subarray(0, 1000));
    storage.handle(serveStorageFile(data));
    const r = await downloadToFile({
      url: `${storage.url}/s`,
      dir: tmp.path,
      fileName: 'out.webm',
      resumeExisting: true,
    });
    expect(storage.requests[0]!.headers.range).toBe('bytes=1000-');
    expect(sha(await readFile(r.path))).toBe(sha(data));
    await writeFile(partPathFor(tmp.path, 'other.webm'), 'garbage from an earlier run');
    const r2 = await downloadToFile({
      url: `${storage.url}/s`,
      dir: tmp.path,
      fileName: 'other.webm',
    });
    expect(storage.requests[1]!.headers.range).toBeUndefined();
    expect(sha(await readFile(r2.path))).toBe(sha(data));
  });

  it('refreshes an expired link (403/404) through the callback', async () => {
    storage.handle((req, res) => {
      if (req.url?.includes('old'))
        return void res
          .writeHead(403, { 'content-type': 'application/json' })
          .end('{"detail":"This storage URL has expired"}');
      serveStorageFile(data)(req, res);
    });
    let refreshed = 0;
    const r = await downloadToFile({
      url: `${storage.url}/s/out.webm?sig=old`,
      dir: tmp.path,
      fileName: 'out.webm',
      refreshUrl: async () => {
        refreshed++;
        return `${storage.url}/s/out.webm?sig=new`;
      },
    });
    expect(refreshed).toBe(1);
    expect(sha(await readFile(r.path))).toBe(sha(data));
    // Without a callback: a clear not-found error.
    const e = await downloadToFile({
      url: `${storage.url}/s?sig=old`,
      dir: tmp.path,
      fileName: 'x.webm',
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RenderioError);
    expect((e as RenderioError).kind).toBe('not-found');
    expect((e as RenderioError).message).toContain('expired');
  });

  it('applies the collision policy and never writes over a protected source', async () => {
    storage.handle(serveStorageFile(data));
    const existing = join(tmp.path, 'clip.webm');
    await writeFile(existing, 'the source');
    const base = { url: `${storage.url}/s`, dir: tmp.path, fileName: 'clip.webm' };
    const renamed = await downloadToFile(base);
    expect(renamed.path).toBe(join(tmp.path, 'clip (1).webm'));
    const skipped = await downloadToFile({ ...base, collision: 'skip' });
    expect(skipped).toMatchObject({ skipped: true, path: existing, bytes: 0 });
    const guarded = await downloadToFile({
      ...base,
      collision: 'overwrite',
      protectedPaths: [existing],
    });
    expect(guarded.path).toBe(join(tmp.path, 'clip (2).webm'));
    expect(await readFile(existing, 'utf8')).toBe('the source');
    const over = await downloadToFile({
      ...base,
      fileName: 'clip (1).webm',
      collision: 'overwrite',
    });
    expect(over.path).toBe(join(tmp.path, 'clip (1).webm'));
    expect((await readdir(tmp.path)).sort()).toEqual([
      'clip (1).webm',
      'clip (2).webm',
      'clip.webm',
    ]);
    expect(storage.requests).toHaveLength(3); // skip asked nothing
  });

  it('refuses a name with a path in it', async () => {
    await expect(
      downloadToFile({ url: `${storage.url}/s`, dir: tmp.path, fileName: '../evil.webm' }),
    ).rejects.toBeInstanceOf(LocalFileError);
  });

  it('gives a clear error on a full disk and removes the .part (real ENOSPC from /dev/full)', async () => {
    storage.handle(serveStorageFile(data));
    const e = await downloadToFile({
      url: `${storage.url}/s`,
      dir: tmp.path,
      fileName: 'out.webm',
      openPart: fullDiskPart(tmp.path, 'out.webm'),
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LocalFileError);
    expect((e as LocalFileError).kind).toBe('disk-full');
    expect((e as LocalFileError).code).toBe('ENOSPC');
    expect((e as LocalFileError).message).toMatch(/disk .* is full/);
    expect(await readdir(tmp.path)).toEqual([]);
  });

  it('keeps the .part when cancelled, for a later resume', async () => {
    storage.handle((req, res) => {
      res.writeHead(200, { 'content-length': data.length });
      res.write(data.subarray(0, 100_000));
    });
    const ac = new AbortController();
    const p = downloadToFile({
      url: `${storage.url}/s`,
      dir: tmp.path,
      fileName: 'out.webm',
      signal: ac.signal,
      onProgress: (n) => {
        if (n >= 100_000) ac.abort();
      },
    });
    const e = await p.catch((x: unknown) => x);
    expect((e as RenderioError).kind).toBe('aborted');
    expect(await readdir(tmp.path)).toEqual(['out.webm.part']);
  });

  it('two downloads of the same name into one folder take turns and both land', async () => {
    storage.handle(serveStorageFile(data));
    const [a, b] = await Promise.all([
      downloadToFile({ url: `${storage.url}/s`, dir: tmp.path, fileName: 'same.webm' }),
      downloadToFile({ url: `${storage.url}/s`, dir: tmp.path, fileName: 'same.webm' }),
    ]);
    expect(new Set([a.path, b.path]).size).toBe(2);
    for (const r of [a, b]) expect(sha(await readFile(r.path))).toBe(sha(data));
  });
});

describe('downloadToFile past the background-sync threshold', () => {
  // Over 64 MiB the download starts background fdatasyncs and queues several writes; the
  // bytes must come out identical, whole and after a cut past that point.
  const big = randomBytes(150 * 1024 * 1024);

  it('writes a 150 MiB file byte for byte', async () => {
    storage.handle(serveStorageFile(big));
    const r = await downloadToFile({
      url: `${storage.url}/storage/big/out.mkv`,
      dir: tmp.path,
      fileName: 'out.mkv',
    });
    expect(r.bytes).toBe(big.length);
    expect(sha(await readFile(r.path))).toBe(sha(big));
  });

  it('resumes a cut past 64 MiB with Range and still matches', async () => {
    storage.handle(serveStorageFile(big, { cutFirst: 'reset' }));
    const r = await downloadToFile({
      url: `${storage.url}/storage/big/out.mkv`,
      dir: tmp.path,
      fileName: 'out.mkv',
    });
    expect(r.resumes).toBe(1);
    expect(storage.requests[1]!.headers.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(storage.requests[1]!.headers.range ?? '')![0])).toBeGreaterThan(
      64 * 1024 * 1024,
    );
    expect(sha(await readFile(r.path))).toBe(sha(big));
    expect(await readdir(tmp.path)).toEqual(['out.mkv']);
  });
});

/**
 * The two other ways a body reaches writeBody: net.fetch in the app (like Node's global fetch)
 * gives only response.body, read through its reader; nodeHttpFetch, the default transport for
 * https (cloud storage in the CLI), gives its Node stream (takeNodeBody). The default transport
 * pumps a plain-http body instead (the tests above; plainHttpGet.test.ts checks it pumped).
 */
describe.each([
  ['a web-stream body (global fetch, like net.fetch in the app)', fetch, 'web body'],
  ["nodeHttpFetch's Node stream (https storage in the CLI)", nodeHttpFetch, 'node stream'],
] as [string, FetchLike, 'web body' | 'node stream'][])(
  'downloadToFile through %s',
  (_body, transport, readAs) => {
    let calls = 0;
    let responses: Response[] = [];
    const counted = {
      fetch: async (input: string, init?: RequestInit) => {
        calls++;
        const response = await transport(input, init);
        responses.push(response);
        return response;
      },
    };
    beforeEach(() => {
      calls = 0;
      responses = [];
    });
    afterEach(() => {
      // Each body was read the way this describe names, not another way.
      expect(responses.length).toBeGreaterThan(0);
      for (const r of responses) {
        expect(r.bodyUsed).toBe(readAs === 'web body');
        expect(takeNodeBody(r)).toBeNull();
      }
    });

    it('writes the file byte for byte', async () => {
      storage.handle(serveStorageFile(data));
      const seen: number[] = [];
      const r = await downloadToFile({
        ...counted,
        url: `${storage.url}/s/out.webm`,
        dir: tmp.path,
        fileName: 'out.webm',
        onProgress: (n) => seen.push(n),
      });
      expect(r).toMatchObject({ bytes: data.length, resumes: 0 });
      expect(sha(await readFile(r.path))).toBe(sha(data));
      expect(seen.at(-1)).toBe(data.length);
      expect(calls).toBe(1);
    });

    it('detects a cut-short body and resumes it with Range', async () => {
      for (const cut of ['reset', 'clean'] as const) {
        storage.requests.length = 0;
        storage.handle(serveStorageFile(data, { cutFirst: cut, etag: '"v1"' }));
        const r = await downloadToFile({
          ...counted,
          url: `${storage.url}/s/out.webm`,
          dir: tmp.path,
          fileName: `${cut}.webm`,
        });
        expect(sha(await readFile(r.path))).toBe(sha(data));
        expect(r.resumes).toBe(1);
        expect(storage.requests[1]!.headers.range).toMatch(/^bytes=\d+-$/);
      }
      expect(calls).toBe(4);
    });

    it('gives a clear error on a full disk and removes the .part', async () => {
      storage.handle(serveStorageFile(data));
      const e = await downloadToFile({
        ...counted,
        url: `${storage.url}/s`,
        dir: tmp.path,
        fileName: 'out.webm',
        openPart: fullDiskPart(tmp.path, 'out.webm'),
      }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(LocalFileError);
      expect((e as LocalFileError).kind).toBe('disk-full');
      expect((e as LocalFileError).code).toBe('ENOSPC');
      expect(await readdir(tmp.path)).toEqual([]);
      expect(calls).toBe(1);
    });
  },
);
