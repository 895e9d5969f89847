/**
 * downloadToFile against a recording server playing a storage host, through both transports
 * that ship: the CLI's (undiciFetch, whose bodies are pumped into synchronous writes) and the
 * app's (netRequestFetch under the strict Electron double, whose web bodies are written in
 * batches). Resume after a cut, servers that ignore Range, expired links, collisions, protected
 * sources, a full disk, failing writes, cancellation.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { constants, open as openCb } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { downloadToFile, partPathFor, LocalFileError } from '../../../electron/core/transfers';
import { RenderioError } from '../../../electron/core/client';
import { createNetRequestFetch } from '../../../electron/core/client/netRequestFetch';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import type { FetchLike } from '../../../electron/core/ports';
import { createElectronDouble } from '../../support/electron';
import { rejection } from '../../support/fetchContract';
import { rawServe } from '../../support/loopbackServers';
import { startRecordingServer, type RecordingServer } from '../../support/recordingServer';
import { tempDir } from '../../support/media';
import { downloadWholeFile, fullDiskPart, serveStorageFile } from '../../support/storageFile';

const electron = createElectronDouble({ userData: '/nonexistent' });
electron.control.emitReady();
afterAll(() => electron.control.dispose());
const appFetch = createNetRequestFetch((o) => electron.main.net.request(o));

let storage: RecordingServer;
let tmp: { path: string; cleanup(): Promise<void> };
const data = randomBytes(3 * 1024 * 1024 + 17);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const openFd = promisify(openCb);

beforeEach(async () => {
  storage = await startRecordingServer();
  tmp = await tempDir('download-');
});
afterEach(async () => {
  await storage.close();
  await tmp.cleanup();
});

type ReadAs = 'pumped' | 'web body';

describe.each([
  ["the CLI's transport (undici)", undiciFetch, 'pumped'],
  ["the app's transport (net.request under the Electron double)", appFetch, 'web body'],
] as [string, FetchLike, ReadAs][])('downloadToFile through %s', (_name, transport, readAs) => {
  /** Every answer with a body to write (200, 206) that the transport gave, in order. */
  let answers: Response[] = [];
  /** Called as each request is sent. */
  let onRequest = (): void => undefined;
  const counted =
    (f: FetchLike): FetchLike =>
    async (input, init) => {
      onRequest();
      const response = await f(input, init);
      if (response.status === 200 || response.status === 206) answers.push(response);
      return response;
    };
  // The transport as the download sees it, its variant for downloads included.
  const fetch: FetchLike = Object.assign(
    counted(transport),
    transport.downloadFetch === undefined
      ? {}
      : { downloadFetch: counted(transport.downloadFetch) },
  );
  beforeEach(() => {
    answers = [];
    onRequest = () => undefined;
  });
  /** How each answer's body was read: pumped (locked, never read as a web stream) or not. */
  const readWays = (): ReadAs[] =>
    answers.map((r) => (r.body?.locked === true && !r.bodyUsed ? 'pumped' : 'web body'));
  const base = () => ({ url: `${storage.url}/s`, dir: tmp.path, fetch });

  it('streams to <name>.part with progress, then renames; no key to a storage host', async () => {
    storage.handle(serveStorageFile(data));
    await downloadWholeFile(storage, tmp.path, data, fetch);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]!.headers['x-api-key']).toBeUndefined();
    expect(storage.requests[0]!.headers['accept-encoding']).toBe('identity');
    expect(readWays()).toEqual([readAs]);
  });

  it('detects a body cut short by a clean close and resumes it with Range and If-Range', async () => {
    storage.handle(serveStorageFile(data, { cutFirst: 'clean', etag: '"v1"' }));
    const r = await downloadToFile({ ...base(), fileName: 'clean.webm' });
    expect(sha(await readFile(r.path))).toBe(sha(data));
    expect(r.resumes).toBe(1);
    expect(storage.requests).toHaveLength(2);
    const range = storage.requests[1]!.headers.range ?? '';
    expect(range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(range)![0])).toBeGreaterThan(0);
    expect(storage.requests[1]!.headers['if-range']).toBe('"v1"');
    expect(readWays()).toEqual([readAs, readAs]);
  });

  it('after a reset, continues from exactly the bytes that reached it', async () => {
    // What a reset loses depends on what was read before it (the kernel drops the rest; the
    // app's transport drops chunks not yet read): whatever arrived must be where it resumes.
    storage.handle(serveStorageFile(data, { cutFirst: 'reset', etag: '"v1"' }));
    let received = 0;
    /** For each request, the bytes the download had received when it was sent. */
    const receivedAtRequest: number[] = [];
    onRequest = () => void receivedAtRequest.push(received);
    const r = await downloadToFile({
      ...base(),
      fileName: 'reset.webm',
      onProgress: (n) => (received = n),
    });
    expect(sha(await readFile(r.path))).toBe(sha(data));
    expect(storage.requests).toHaveLength(2);
    const kept = receivedAtRequest[1]!;
    expect(kept).toBeLessThan(data.length);
    expect(storage.requests[1]!.headers.range).toBe(kept > 0 ? `bytes=${kept}-` : undefined);
    expect(r.resumes).toBe(kept > 0 ? 1 : 0);
  });

  it('starts again from zero when the server ignores Range', async () => {
    storage.handle(serveStorageFile(data, { cutFirst: 'reset', ranges: false }));
    const r = await downloadToFile({ ...base(), fileName: 'out.webm' });
    expect(sha(await readFile(r.path))).toBe(sha(data));
    expect(r.resumes).toBe(0);
    expect(storage.requests).toHaveLength(2);
  });

  it('continues an existing .part only when asked to', async () => {
    await writeFile(partPathFor(tmp.path, 'out.webm'), data.subarray(0, 1000));
    storage.handle(serveStorageFile(data));
    const r = await downloadToFile({ ...base(), fileName: 'out.webm', resumeExisting: true });
    expect(storage.requests[0]!.headers.range).toBe('bytes=1000-');
    expect(sha(await readFile(r.path))).toBe(sha(data));
    await writeFile(partPathFor(tmp.path, 'other.webm'), 'garbage from an earlier run');
    const r2 = await downloadToFile({ ...base(), fileName: 'other.webm' });
    expect(storage.requests[1]!.headers.range).toBeUndefined();
    expect(sha(await readFile(r2.path))).toBe(sha(data));
  });

  it('refreshes an expired link (403) through the callback, or says it expired', async () => {
    storage.handle((req, res) => {
      if (req.url?.includes('old'))
        return void res
          .writeHead(403, { 'content-type': 'application/json' })
          .end('{"detail":"This storage URL has expired"}');
      serveStorageFile(data)(req, res);
    });
    let refreshed = 0;
    const r = await downloadToFile({
      ...base(),
      url: `${storage.url}/s/out.webm?sig=old`,
      fileName: 'out.webm',
      refreshUrl: async () => {
        refreshed++;
        return `${storage.url}/s/out.webm?sig=new`;
      },
    });
    expect(refreshed).toBe(1);
    expect(sha(await readFile(r.path))).toBe(sha(data));
    const e = await rejection(
      downloadToFile({ ...base(), url: `${storage.url}/s?sig=old`, fileName: 'x.webm' }),
    );
    expect(e).toBeInstanceOf(RenderioError);
    expect((e as RenderioError).kind).toBe('not-found');
    expect((e as RenderioError).message).toContain('expired');
  });

  it('applies the collision policy and never writes over a protected source', async () => {
    storage.handle(serveStorageFile(data));
    const existing = join(tmp.path, 'clip.webm');
    await writeFile(existing, 'the source');
    const clip = { ...base(), fileName: 'clip.webm' };
    const renamed = await downloadToFile(clip);
    expect(renamed.path).toBe(join(tmp.path, 'clip (1).webm'));
    const skipped = await downloadToFile({ ...clip, collision: 'skip' });
    expect(skipped).toMatchObject({ skipped: true, path: existing, bytes: 0 });
    const guarded = await downloadToFile({
      ...clip,
      collision: 'overwrite',
      protectedPaths: [existing],
    });
    expect(guarded.path).toBe(join(tmp.path, 'clip (2).webm'));
    expect(await readFile(existing, 'utf8')).toBe('the source');
    const over = await downloadToFile({
      ...clip,
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
    await expect(downloadToFile({ ...base(), fileName: '../evil.webm' })).rejects.toBeInstanceOf(
      LocalFileError,
    );
    expect(storage.requests).toHaveLength(0);
  });

  it.each([
    ['a 3 MiB body', data.length],
    ['a body small enough to come with the head', 1000],
  ])(
    'gives a clear error on a full disk and removes the .part (real ENOSPC from /dev/full): %s',
    async (_what, size) => {
      storage.handle(serveStorageFile(data.subarray(0, size)));
      const e = await rejection(
        downloadToFile({
          ...base(),
          fileName: 'out.webm',
          openPart: fullDiskPart(tmp.path, 'out.webm'),
        }),
      );
      expect(e).toBeInstanceOf(LocalFileError);
      expect((e as LocalFileError).kind).toBe('disk-full');
      expect((e as LocalFileError).code).toBe('ENOSPC');
      expect((e as LocalFileError).message).toMatch(/disk .* is full/);
      expect(await readdir(tmp.path)).toEqual([]);
      expect(storage.requests).toHaveLength(1);
      expect(readWays()).toEqual([readAs]);
    },
  );

  it('treats any failed write as a local file error, never retried (EBADF)', async () => {
    storage.handle(serveStorageFile(data));
    const e = await rejection(
      downloadToFile({
        ...base(),
        fileName: 'out.webm',
        // A descriptor open for reading only: every write fails with EBADF.
        openPart: async (path) => {
          await writeFile(path, '');
          return openFd(path, constants.O_RDONLY);
        },
      }),
    );
    expect(e).toBeInstanceOf(LocalFileError);
    expect((e as LocalFileError).kind).toBe('io');
    expect((e as LocalFileError).code).toBe('EBADF');
    expect(storage.requests).toHaveLength(1);
    expect(await readdir(tmp.path)).toEqual([]);
  });

  it('closes the connection when the .part cannot be opened', async () => {
    const srv = await rawServe((socket) => {
      // Headers, then the body trickles: the client must hang up, not wait on a paused socket.
      socket.write(Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${8 * 1024 * 1024}\r\n\r\n`));
      socket.write(Buffer.alloc(64 * 1024));
    });
    const e = await rejection(
      downloadToFile({
        ...base(),
        url: `${srv.url}/s`,
        fileName: 'out.webm',
        openPart: () =>
          Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })),
      }),
    );
    expect(e).toBeInstanceOf(LocalFileError);
    expect((e as LocalFileError).code).toBe('EACCES');
    await srv.closed(0);
  });

  it('keeps the .part when cancelled, for a later resume', async () => {
    storage.handle((_req, res) => {
      res.writeHead(200, { 'content-length': data.length });
      res.write(data.subarray(0, 100_000));
    });
    const ac = new AbortController();
    const e = await rejection(
      downloadToFile({
        ...base(),
        fileName: 'out.webm',
        signal: ac.signal,
        onProgress: (n) => {
          if (n >= 100_000) ac.abort();
        },
      }),
    );
    expect((e as RenderioError).kind).toBe('aborted');
    expect(await readdir(tmp.path)).toEqual(['out.webm.part']);
  });

  it('two downloads of the same name into one folder take turns and both land', async () => {
    storage.handle(serveStorageFile(data));
    const [a, b] = await Promise.all([
      downloadToFile({ ...base(), fileName: 'same.webm' }),
      downloadToFile({ ...base(), fileName: 'same.webm' }),
    ]);
    expect(new Set([a.path, b.path]).size).toBe(2);
    for (const r of [a, b]) expect(sha(await readFile(r.path))).toBe(sha(data));
  });
});

describe('downloadToFile past the background-sync threshold (pumped)', () => {
  // Over 64 MiB the download starts background fdatasyncs; the bytes must come out identical,
  // whole and after a cut past that point.
  const big = randomBytes(150 * 1024 * 1024);
  const bigFile = () => ({
    url: `${storage.url}/storage/big/out.mkv`,
    dir: tmp.path,
    fileName: 'out.mkv',
    fetch: undiciFetch,
  });

  it('writes a 150 MiB file byte for byte', async () => {
    storage.handle(serveStorageFile(big));
    const r = await downloadToFile(bigFile());
    expect(r.bytes).toBe(big.length);
    expect(sha(await readFile(r.path))).toBe(sha(big));
  });

  it('resumes a cut past 64 MiB with Range and still matches', async () => {
    storage.handle(serveStorageFile(big, { cutFirst: 'reset' }));
    const r = await downloadToFile(bigFile());
    expect(r.resumes).toBe(1);
    expect(storage.requests[1]!.headers.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(storage.requests[1]!.headers.range ?? '')![0])).toBeGreaterThan(
      64 * 1024 * 1024,
    );
    expect(sha(await readFile(r.path))).toBe(sha(big));
    expect(await readdir(tmp.path)).toEqual(['out.mkv']);
  });
});
