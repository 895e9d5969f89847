/**
 * The engine on a full disk: its data folder on a real tmpfs of a few MB in its own mount
 * namespace (tests/support/smallDisk.ts), so each refusal below meets the kernel's own ENOSPC
 * or statfs. A full disk answers 507 with the disk named in words, or fails the command with
 * DISK_FULL; nothing half-written is kept, and the engine goes on serving what fits.
 */
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISK_FULL_STATUS } from '../../../shared/renderioApi';
import type { CommandObject, StoredFile } from '../../../shared/renderioApi';
import { serve } from '../../support/loopbackServers';
import { makeVideo, tempDir } from '../../support/media';
import {
  freeFiller,
  smallDiskSupported,
  startEngineOnSmallDisk,
  storeFiller,
  type SmallDiskEngine,
} from '../../support/smallDisk';
import { askToUpload, sleep } from './engineHarness';

const MB = 1024 * 1024;

/** A multipart upload of `bytes` over node:http: with a Content-Length, or chunked (as the app). */
function upload(
  engine: SmallDiskEngine,
  bytes: Buffer,
  framing: 'length' | 'chunked',
  paceMs = 0,
): Promise<{ status: number; body: { detail?: string; file_id?: string } }> {
  const boundary = 'renderio-disk-full-test';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n` +
      'Content-Type: video/mp4\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.concat([head, bytes, tail]);
  return new Promise((resolve, reject) => {
    const req = request(`${engine.link.url}/api/v1/files/upload`, {
      method: 'POST',
      headers: {
        'X-API-KEY': engine.link.key,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...(framing === 'length' ? { 'Content-Length': String(body.length) } : {}),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString()),
        }),
      );
    });
    // The engine may answer (and close) before the whole body is sent: the answer counts.
    req.on('error', (error) => setTimeout(() => reject(error), 1000));
    void (async () => {
      for (let at = 0; at < body.length && !req.destroyed; at += 256 * 1024) {
        if (!req.write(body.subarray(at, at + 256 * 1024)))
          await new Promise((r) => req.once('drain', r));
        if (paceMs > 0) await sleep(paceMs);
      }
      req.end();
    })();
  });
}

async function api<T>(engine: SmallDiskEngine, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${engine.link.url}/api/v1${path}`, {
    ...init,
    headers: { 'X-API-KEY': engine.link.key, 'Content-Type': 'application/json' },
  });
  return (await res.json()) as T;
}

async function waitFor<T extends { status: string }>(get: () => Promise<T>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await get();
    if (['STORED', 'SUCCESS', 'FAILED'].includes(value.status)) return value;
    await sleep(100);
  }
  throw new Error('never finished');
}

const liveFiles = async (engine: SmallDiskEngine) =>
  (await api<{ files: StoredFile[] }>(engine, '/files')).files.filter((f) => !f.is_deleted);

const noise = (bytes: number) => Buffer.alloc(bytes, 0x5a);

/** size_mbytes as the engine gives it: MiB, six decimals. */
const mebibytes = (bytes: number) => Math.round((bytes / MB) * 1e6) / 1e6;

describe.skipIf(!smallDiskSupported())(
  'the engine on a full disk (a real tmpfs in its own mount namespace)',
  () => {
    describe('24 MB, of which uploads must leave 12 MB free', () => {
      let engine: SmallDiskEngine;
      let media: { path: string; cleanup(): Promise<void> };
      beforeAll(async () => {
        engine = await startEngineOnSmallDisk({ sizeKb: 24 * 1024, keepFreeMb: 12 });
        media = await tempDir('renderio-disk-full-media-');
      });
      afterAll(async () => {
        await engine?.close();
        await media?.cleanup();
      });

      it('refuses an upload whose declared length does not fit, naming the disk and the sizes', async () => {
        const answer = await upload(engine, noise(16 * MB), 'length');
        expect(answer.status).toBe(507);
        expect(answer.body.detail).toMatch(
          new RegExp(
            `^Not enough disk space: this file needs 16\\.\\d+ MB, and the disk this converter keeps its files on \\(${engine.dataDir}\\) has [\\d.]+ MB free to use\\. Free some space on it, then try again\\.$`,
          ),
        );
        expect(await liveFiles(engine)).toEqual([]);
        // Asked first (Expect: 100-continue): refused from the head, never told to go ahead.
        expect(await askToUpload(engine.link.url, engine.link.key, 16 * MB)).toBe(507);
      });

      it('ends an upload without a length once it would leave less than the reserve, keeping nothing', async () => {
        // Sent over ~1.3 s, as a large file is: the engine looks at the free space meanwhile.
        const answer = await upload(engine, noise(16 * MB), 'chunked', 20);
        expect(answer.status).toBe(507);
        expect(answer.body.detail).toMatch(
          /^Disk full: .* has no room left\. Free some space on it, then try again\.$/,
        );
        expect(await liveFiles(engine)).toEqual([]);
        // What fits is still stored, whole.
        const clip = await makeVideo(media.path, 'fits.mp4', { seconds: 2 });
        const fits = await upload(engine, await readFile(clip), 'chunked');
        expect(fits.status).toBe(200);
        const stored = await waitFor(() =>
          api<StoredFile>(engine, `/files/${fits.body.file_id ?? ''}`),
        );
        expect(stored.status).toBe('STORED');
        expect(stored.size_mbytes).toBe(mebibytes((await readFile(clip)).length));
      });

      it('fails a command whose output does not fit with DISK_FULL, and frees what it wrote', async () => {
        // 10 s of 320×240 as raw video is ~29 MB: more than the whole disk.
        const clip = await makeVideo(media.path, 'ten.mp4', { seconds: 10, audio: false });
        const sent = await upload(engine, await readFile(clip), 'chunked');
        expect(sent.status).toBe(200);
        const input = await waitFor(() =>
          api<StoredFile>(engine, `/files/${sent.body.file_id ?? ''}`),
        );
        const { command_id } = await api<{ command_id: string }>(engine, '/run-ffmpeg-command', {
          method: 'POST',
          body: JSON.stringify({
            input_files: { in_v: input.storage_url },
            output_files: { out_raw: 'raw.avi' },
            ffmpeg_command: '-i {{in_v}} -c:v rawvideo -pix_fmt yuv420p {{out_raw}}',
          }),
        });
        const command = await waitFor(() => api<CommandObject>(engine, `/commands/${command_id}`));
        expect(command.status).toBe('FAILED');
        expect(command.error_status).toBe(DISK_FULL_STATUS);
        expect(command.error_message).toBe(
          `Disk full: the disk this converter keeps its files on (${engine.dataDir}) has no room left. Free some space on it, then try again.`,
        );
        expect(command.output_files ?? {}).toEqual({});
        // Its partial output is gone: an upload of 8 MB fits again.
        const after = await upload(engine, noise(8 * MB), 'chunked');
        expect(after.status).toBe(200);
      });
    });

    describe('4 MB, no reserve: only the kernel says no', () => {
      let engine: SmallDiskEngine;
      let media: { path: string; cleanup(): Promise<void> };
      beforeAll(async () => {
        engine = await startEngineOnSmallDisk({ sizeKb: 4 * 1024 });
        media = await tempDir('renderio-disk-full-media-');
      });
      afterAll(async () => {
        await engine?.close();
        await media?.cleanup();
      });

      it('answers an upload that meets ENOSPC mid-write with 507, keeps nothing and goes on', async () => {
        const answer = await upload(engine, noise(6 * MB), 'chunked');
        expect(answer.status).toBe(507);
        expect(answer.body.detail).toBe(
          `Disk full: the disk this converter keeps its files on (${engine.dataDir}) has no room left. Free some space on it, then try again.`,
        );
        expect(await liveFiles(engine)).toEqual([]);
        // Not a truncated file answered 200: a clip that fits is stored whole.
        const clip = await makeVideo(media.path, 'two.mp4', {
          seconds: 20,
          x264Preset: 'veryfast',
        });
        const bytes = await readFile(clip);
        const fits = await upload(engine, bytes, 'chunked');
        expect(fits.status).toBe(200);
        const stored = await waitFor(() =>
          api<StoredFile>(engine, `/files/${fits.body.file_id ?? ''}`),
        );
        expect(stored.status).toBe('STORED');
        expect(stored.size_mbytes).toBe(mebibytes(bytes.length));

        // The command's own copy of that input finds no room once a filler takes the rest:
        // the engine's write, not ffmpeg's, meets ENOSPC, and the command ends DISK_FULL.
        const free = 4 * MB - bytes.length;
        const filler = await storeFiller(engine, free - bytes.length / 2);
        const { command_id } = await api<{ command_id: string }>(engine, '/run-ffmpeg-command', {
          method: 'POST',
          body: JSON.stringify({
            input_files: { in_v: stored.storage_url },
            output_files: { out_v: 'copy.mp4' },
            ffmpeg_command: '-i {{in_v}} -c copy {{out_v}}',
          }),
        });
        const command = await waitFor(() => api<CommandObject>(engine, `/commands/${command_id}`));
        expect(command.status).toBe('FAILED');
        expect(command.error_status).toBe(DISK_FULL_STATUS);
        expect(command.error_message).toBe(
          `Disk full: the disk this converter keeps its files on (${engine.dataDir}) has no room left. Free some space on it, then try again.`,
        );
        await freeFiller(engine, filler);
      });

      it('fails an import (store-file) that meets the full disk with DISK_FULL', async () => {
        // A web server standing in for "a public URL", with 6 MB for the 4 MB disk.
        const site = await serve((_req, res) => {
          res.writeHead(200, { 'Content-Type': 'video/mp4' });
          res.end(noise(6 * MB));
        });
        try {
          const { file_id } = await api<{ file_id: string }>(engine, '/files/store-file', {
            method: 'POST',
            body: JSON.stringify({ file_url: `${site.url}/big.mp4` }),
          });
          const file = await waitFor(() => api<StoredFile>(engine, `/files/${file_id}`));
          expect(file.status).toBe('FAILED');
          expect(file.error_status).toBe(DISK_FULL_STATUS);
          expect(file.error_message).toBe(
            `Disk full: the disk this converter keeps its files on (${engine.dataDir}) has no room left. Free some space on it, then try again.`,
          );
          // Nothing of it is kept: 3 MB fit again.
          expect((await upload(engine, noise(3 * MB), 'chunked')).status).toBe(200);
        } finally {
          await site.close();
        }
      });
    });
  },
);
