/**
 * An upload is kept only whole (engine/files/uploadIntegrity.ts), over real HTTP on 127.0.0.1
 * against a started engine: the bytes stored are the bytes sent, to the byte; a body cut off
 * inside the file part, answered or not, leaves no record and no bytes; the size limit is the
 * largest file taken, not one byte less.
 */
import { request } from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFile } from '../../../shared/renderioApi';
import { makeAudio } from '../../support/media';
import { download, messages, sleep, startHarness, type Harness } from './engineHarness';

const UPLOAD_LIMIT = 2 * 1024 * 1024;
const BOUNDARY = 'IntEgRiTyBoUnDaRy';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ uploadLimitBytes: UPLOAD_LIMIT });
});
afterAll(async () => {
  await h.cleanup();
});

const partHead = (filename: string): Buffer =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
const closing = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

/**
 * POSTs an upload written piece by piece, chunked (no Content-Length) unless `length` is given,
 * and ends the body properly; the answer.
 */
function postUpload(pieces: Buffer[], length?: number): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.engine.url}/api/v1/files/upload`, {
      method: 'POST',
      headers: {
        'X-API-KEY': h.key,
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(length === undefined ? {} : { 'Content-Length': length }),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    void (async () => {
      for (const piece of pieces) {
        await new Promise<void>((done) => req.write(piece, () => done()));
        // Each piece its own read on the engine's side, so the boundary search meets the edges.
        await sleep(1);
      }
      req.end();
    })();
  });
}

/** What the engine holds: blob directories and file records, to compare before and after. */
async function holdings(): Promise<{ blobs: string[]; files: string[] }> {
  const blobs = await readdir(`${h.dataDir}/blobs`).catch(() => [] as string[]);
  const { body } = await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100');
  return { blobs: blobs.sort(), files: body.files.map((f) => f.file_id).sort() };
}

/** Waits until the engine holds what it held before (a refusal's clean-up ends after its answer). */
async function expectNothingNew(before: { blobs: string[]; files: string[] }): Promise<void> {
  let now = await holdings();
  for (let i = 0; i < 100 && JSON.stringify(now) !== JSON.stringify(before); i++) {
    await sleep(20);
    now = await holdings();
  }
  expect(now).toEqual(before);
}

describe('an upload is kept whole or not at all', () => {
  it("stores exactly the source's bytes, sent in odd pieces that split look-alikes of the boundary", async () => {
    // A real WAV (so it probes STORED) followed by bytes that start the boundary and then
    // differ: busboy holds them back as a possible boundary and must hand every one over.
    const wav = await readFile(
      await makeAudio(h.dir, 'tone.wav', { seconds: 5.3713, format: 'wav' }),
    );
    const source = Buffer.concat([
      wav,
      Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}X\r\n-`.repeat(300)),
    ]);
    const body = Buffer.concat([partHead('tone.wav'), source, closing]);
    const pieces: Buffer[] = [];
    for (let at = 0, size = 7; at < body.length; at += size, size = ((size * 31) % 65_521) + 1)
      pieces.push(body.subarray(at, at + size));

    const answer = await postUpload(pieces);
    expect(answer.status).toBe(200);
    const fileId = (answer.body as { file_id: string }).file_id;
    const file = await h.waitFile(fileId);
    expect(file.status).toBe('STORED');
    const onDisk = `${h.dataDir}/blobs/${fileId}/tone.wav`;
    expect((await stat(onDisk)).size).toBe(source.length);
    expect((await readFile(onDisk)).equals(source)).toBe(true);
    const served = await download(file.storage_url!);
    expect(served.bytes.equals(source)).toBe(true);
  });

  it('takes a file of exactly the size limit and refuses one byte more with 413', async () => {
    const exact = Buffer.alloc(UPLOAD_LIMIT, 5);
    const taken = await postUpload([partHead('exact.bin'), exact, closing]);
    expect(taken.status).toBe(200);
    // Not media: its probe fails it and removes its bytes; waited for, so that what the engine
    // holds stands still before the next upload.
    await h.waitFile((taken.body as { file_id: string }).file_id);
    const before = await holdings();
    const over = await postUpload([partHead('over.bin'), exact, Buffer.from([5]), closing]);
    expect(over).toEqual({
      status: 413,
      body: { detail: `The upload is larger than the limit of ${UPLOAD_LIMIT} bytes` },
    });
    await expectNothingNew(before);
  });

  it.each([
    ['chunked', undefined],
    ['with a Content-Length', 1_000_000],
  ])(
    'refuses a body (%s) that ends inside the file part with 422, keeping nothing',
    async (_how, declared) => {
      const before = await holdings();
      const pieces = [partHead('cut.bin'), Buffer.alloc(300 * 1024, 9)];
      // With a Content-Length, the declared body is sent in full; it just never closes the part.
      const sent = pieces.reduce((n, p) => n + p.length, 0);
      if (declared !== undefined) pieces.push(Buffer.alloc(declared - sent, 9));
      const answer = await postUpload(pieces, declared);
      expect(answer.status).toBe(422);
      expect(messages(answer.body)).toMatch(
        /^the upload ended inside the file, after \d+ bytes of it, without the boundary that closes the part: the file is incomplete and was not kept$/,
      );
      await expectNothingNew(before);
    },
  );

  it.each([
    ['chunked', undefined],
    ['with a Content-Length', 1024 * 1024],
  ])(
    'keeps nothing of an upload (%s) whose connection is cut inside the file part',
    async (_how, declared) => {
      const before = await holdings();
      const seen = h.engine.requestLog.length;
      await new Promise<void>((resolve) => {
        const req = request(`${h.engine.url}/api/v1/files/upload`, {
          method: 'POST',
          headers: {
            'X-API-KEY': h.key,
            'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
            ...(declared === undefined ? {} : { 'Content-Length': declared }),
          },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(partHead('half.bin'));
        // Once the engine has had time to start writing the file, the connection goes.
        req.write(Buffer.alloc(200 * 1024, 3), () => setTimeout(() => req.destroy(), 150));
      });
      // The engine notices the cut asynchronously: it logs the request once it is over.
      while (!h.engine.requestLog.slice(seen).some((e) => e.path === '/api/v1/files/upload'))
        await sleep(20);
      await expectNothingNew(before);
    },
  );
});
