/** Files over HTTP: upload, store-file, get/list/delete, probing, storage URLs, bad input. */
import { createServer, request, type Server } from 'node:http';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFile } from '../../../shared/renderioApi';
import { makeCorrupt, makeVideo } from '../../support/media';
import { download, messages, startHarness, unreachableUrl, type Harness } from './engineHarness';

let h: Harness;
let video: string;
let server: Server;
let serverUrl: string;

beforeAll(async () => {
  h = await startHarness({ uploadLimitBytes: 2 * 1024 * 1024 });
  video = await makeVideo(h.dir, 'clip.mp4');
  // A plain web server standing in for "a public URL".
  server = createServer((req, res) => {
    if (req.url === '/clip.mp4') {
      res.setHeader('Content-Type', 'video/mp4');
      createReadStream(video).pipe(res);
    } else {
      res.statusCode = 404;
      res.end('nope');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await h.cleanup();
});

describe('upload', () => {
  it('stores a multipart upload, probes it and serves it back byte for byte', async () => {
    const fileId = await h.upload(video);
    const file = await h.waitFile(fileId);
    expect(file).toMatchObject({
      file_id: fileId,
      status: 'STORED',
      rendi_store_type: 'UPLOAD',
      is_deleted: false,
      file_type: 'video',
      codec: 'h264',
      width: 320,
      height: 240,
      error_status: null,
    });
    expect(file.duration).toBeCloseTo(2, 0);
    expect(Date.parse(file.created_at)).not.toBeNaN();
    const url = new URL(file.storage_url ?? '');
    expect(url.origin).toBe(h.engine.url);
    // The storage URL needs no key.
    const { status, bytes, res } = await download(url.href);
    expect(status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String((await stat(video)).size));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(bytes.equals(await readFile(video))).toBe(true);
  });

  it('keeps two simultaneous uploads of the same name apart', async () => {
    const other = await makeVideo(h.dir, 'other.mp4', { width: 160, height: 120, audio: false });
    const [a, b] = await Promise.all([h.upload(video, 'same.mp4'), h.upload(other, 'same.mp4')]);
    expect(a).not.toBe(b);
    const [fa, fb] = await Promise.all([h.waitFile(a), h.waitFile(b)]);
    expect([fa.status, fb.status]).toEqual(['STORED', 'STORED']);
    expect([fa.width, fb.width]).toEqual([320, 160]);
    const [da, db] = await Promise.all([download(fa.storage_url!), download(fb.storage_url!)]);
    expect(da.bytes.equals(await readFile(video))).toBe(true);
    expect(db.bytes.equals(await readFile(other))).toBe(true);
  });

  it('refuses a body that is not multipart with 422', async () => {
    const before = (await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100')).body.files
      .length;
    const { status, body } = await h.json('/api/v1/files/upload', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ file: 'x' }),
    });
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [
        {
          loc: ['file'],
          msg: 'the upload must be multipart/form-data with one part named "file"',
          type: 'missing',
        },
      ],
    });
    const after = (await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100')).body.files
      .length;
    expect(after).toBe(before);
  });

  it('refuses multipart without a "file" part with 422', async () => {
    const form = new FormData();
    form.append('other', 'value');
    const { status, body } = await h.json('/api/v1/files/upload', { method: 'POST', body: form });
    expect(status).toBe(422);
    expect(messages(body)).toContain('one part named "file"');
  });

  it('refuses an empty file with 422 and keeps no record of it', async () => {
    const empty = `${h.dir}/empty.mp4`;
    await writeFile(empty, '');
    const before = (await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100')).body.files
      .length;
    const form = new FormData();
    form.append('file', new Blob([]), 'empty.mp4');
    const { status, body } = await h.json('/api/v1/files/upload', { method: 'POST', body: form });
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [{ loc: ['file'], msg: 'the uploaded file is empty', type: 'value_error' }],
    });
    const after = (await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100')).body.files
      .length;
    expect(after).toBe(before);
  });

  it('answers 413 to an upload over the limit', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const form = new FormData();
    form.append('file', new Blob([big]), 'big.bin');
    const { status, body } = await h.json('/api/v1/files/upload', { method: 'POST', body: form });
    expect(status).toBe(413);
    expect(body).toEqual({
      detail: `The upload is larger than the limit of ${2 * 1024 * 1024} bytes`,
    });
  });

  it('answers 413 to a chunked upload (no Content-Length) that grows over the limit', async () => {
    const boundary = 'XbOuNdArY';
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${h.engine.url}/api/v1/files/upload`, {
        method: 'POST',
        headers: {
          'X-API-KEY': h.key,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`,
      );
      const chunk = Buffer.alloc(256 * 1024, 1);
      for (let i = 0; i < 12; i++) req.write(chunk);
      req.end(`\r\n--${boundary}--\r\n`);
    });
    expect(status).toEqual({
      status: 413,
      body: JSON.stringify({
        detail: `The upload is larger than the limit of ${2 * 1024 * 1024} bytes`,
      }),
    });
    const listed = (await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100')).body.files;
    expect(listed.some((f) => f.status === 'PROCESSING')).toBe(false);
  });

  it('leaves no trace of an upload the client abandons halfway', async () => {
    // Compared by name, not by count: an earlier test's clean-up may still remove its blobs.
    const blobNames = async () => new Set(await readdir(`${h.dataDir}/blobs`).catch(() => []));
    const before = await blobNames();
    const newBlobs = async () => [...(await blobNames())].filter((name) => !before.has(name));
    const uploadsBefore = h.engine.requestLog.filter(
      (e) => e.path === '/api/v1/files/upload',
    ).length;
    const boundary = 'AbAnDoN';
    await new Promise<void>((resolve) => {
      const req = request(`${h.engine.url}/api/v1/files/upload`, {
        method: 'POST',
        headers: {
          'X-API-KEY': h.key,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': 1024 * 1024,
        },
      });
      req.on('error', () => resolve());
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\n\r\n`,
      );
      req.write(Buffer.alloc(200 * 1024, 3), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => resolve());
    });
    // The engine notices the abort asynchronously: wait for it to log the request, then for
    // the clean-up of the record and its directory.
    const abandoned = () =>
      h.engine.requestLog.filter((e) => e.path === '/api/v1/files/upload').length > uploadsBefore;
    const processing = async () =>
      (await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100')).body.files.some(
        (f) => f.status === 'PROCESSING',
      );
    for (
      let i = 0;
      i < 200 && (!abandoned() || (await processing()) || (await newBlobs()).length > 0);
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
    expect(abandoned()).toBe(true);
    expect(await processing()).toBe(false);
    expect(await newBlobs()).toEqual([]);
  });

  it("marks a corrupt media file FAILED with ffprobe's reason", async () => {
    const corrupt = await makeCorrupt(h.dir);
    const file = await h.waitFile(await h.upload(corrupt));
    expect(file.status).toBe('FAILED');
    expect(file.storage_url).toBeNull();
    expect(file.error_status).toBe('PROBE_FAILED');
    expect(file.error_message).toMatch(/Invalid data found when processing input/);
    // A FAILED file has no storage URL: its bytes are gone by the time FAILED is seen.
    expect(await readdir(`${h.dataDir}/blobs`)).not.toContain(file.file_id);
  });
});

describe('store-file', () => {
  it('imports a file from an http URL', async () => {
    const { status, body } = await h.post<{ file_id: string }>('/api/v1/files/store-file', {
      file_url: `${serverUrl}/clip.mp4`,
    });
    expect(status).toBe(200);
    const file = await h.waitFile(body.file_id);
    expect(file).toMatchObject({
      status: 'STORED',
      rendi_store_type: 'STORED_FILE',
      original_file_url: `${serverUrl}/clip.mp4`,
      codec: 'h264',
    });
  });

  it('imports from its own storage URL without a network hop', async () => {
    const source = await h.uploadStored(video);
    const { body } = await h.post<{ file_id: string }>('/api/v1/files/store-file', {
      file_url: source.storage_url,
    });
    const file = await h.waitFile(body.file_id);
    expect(file.status).toBe('STORED');
    expect(file.size_mbytes).toBe(source.size_mbytes);
  });

  it('ends FAILED with a clear message when the URL cannot be reached', async () => {
    const url = await unreachableUrl();
    const { body } = await h.post<{ file_id: string }>('/api/v1/files/store-file', {
      file_url: url,
    });
    const file = await h.waitFile(body.file_id);
    expect(file.status).toBe('FAILED');
    expect(file.error_status).toBe('DOWNLOAD_FAILED');
    expect(file.error_message).toBe(`could not reach ${url}: ECONNREFUSED`);
  });

  it('ends FAILED when the server answers 404', async () => {
    const { body } = await h.post<{ file_id: string }>('/api/v1/files/store-file', {
      file_url: `${serverUrl}/gone.mp4`,
    });
    const file = await h.waitFile(body.file_id);
    expect(file.status).toBe('FAILED');
    expect(file.error_message).toBe(`${serverUrl}/gone.mp4 answered HTTP 404`);
  });

  it.each([
    ['file:///etc/passwd', 'file_url must be an http(s) URL; the "file:" scheme is not accepted'],
    ['/etc/passwd', 'file_url must be an absolute http(s) URL (local paths are not accepted)'],
  ])('refuses %s with 422', async (url, msg) => {
    const { status, body } = await h.post('/api/v1/files/store-file', { file_url: url });
    expect(status).toBe(422);
    expect(body).toEqual({ detail: [{ loc: ['file_url'], msg, type: 'value_error' }] });
  });
});

describe('get, list, delete', () => {
  it('lists newest first with limit and offset, deletes, then 404s', async () => {
    const a = await h.upload(video, 'a.mp4');
    const b = await h.upload(video, 'b.mp4');
    await Promise.all([h.waitFile(a), h.waitFile(b)]);
    const { body: page } = await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=2&offset=0');
    expect(page.files.map((f) => f.file_id)).toEqual([b, a]);
    const { body: next } = await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=1&offset=1');
    expect(next.files.map((f) => f.file_id)).toEqual([a]);

    const file = await h.waitFile(a);
    const del = await h.json(`/api/v1/files/${a}`, { method: 'DELETE' });
    expect(del).toMatchObject({ status: 200, body: { deleted: true, file_id: a } });
    const again = await h.json(`/api/v1/files/${a}`, { method: 'DELETE' });
    expect(again).toMatchObject({ status: 404, body: { detail: 'File not found' } });
    // Its storage URL stops working.
    expect((await download(file.storage_url!)).status).toBe(404);
    const listed = (await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100')).body.files;
    expect(listed.some((f) => f.file_id === a)).toBe(false);
  });

  it('answers 400 for a limit over 100', async () => {
    const { status, body } = await h.json('/api/v1/files?limit=101');
    expect(status).toBe(400);
    expect(body).toEqual({ detail: 'limit must be at most 100' });
  });
});

describe('storage downloads', () => {
  it('honours Range requests (206, open-ended, suffix, 416)', async () => {
    const file = await h.uploadStored(video);
    const original = await readFile(video);
    const url = file.storage_url!;

    const part = await download(url, { Range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.res.headers.get('content-range')).toBe(`bytes 100-199/${original.length}`);
    expect(part.res.headers.get('content-length')).toBe('100');
    expect(part.bytes.equals(original.subarray(100, 200))).toBe(true);

    // A client resuming after 1000 bytes gets exactly the rest.
    const rest = await download(url, { Range: 'bytes=1000-' });
    expect(rest.status).toBe(206);
    expect(Buffer.concat([original.subarray(0, 1000), rest.bytes]).equals(original)).toBe(true);

    const tail = await download(url, { Range: 'bytes=-50' });
    expect(tail.bytes.equals(original.subarray(original.length - 50))).toBe(true);

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(original.length));

    const beyond = await download(url, { Range: `bytes=${original.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.res.headers.get('content-range')).toBe(`bytes */${original.length}`);
  });

  it('refuses a tampered signature and never asks for the key', async () => {
    const file = await h.uploadStored(video);
    const url = new URL(file.storage_url!);
    url.searchParams.set('signature', '0'.repeat(64));
    const res = await download(url.href);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.bytes.toString())).toEqual({ detail: 'Invalid storage URL signature' });
  });

  it('refuses an expired storage URL', async () => {
    const short = await startHarness({ storageUrlTtlSeconds: 1 });
    try {
      const file = await short.uploadStored(video);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await download(file.storage_url!);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.bytes.toString())).toEqual({ detail: 'This storage URL has expired' });
      // A fresh poll hands out a fresh URL. With a 1 s life counted in whole seconds, one may
      // expire before a loaded machine fetches it: each new poll gets another chance.
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5 && statuses.at(-1) !== 200; attempt++) {
        const again = await short.waitFile(file.file_id);
        expect(again.storage_url).not.toBe(file.storage_url);
        statuses.push((await download(again.storage_url!)).status);
      }
      expect(statuses.at(-1)).toBe(200);
      expect(statuses.filter((s) => s !== 403 && s !== 200)).toEqual([]);
    } finally {
      await short.cleanup();
    }
  });
});
