/**
 * A job on this computer when the disk holding the converter's files is full: the engine's data
 * folder is a real tmpfs of 4 MB in its own mount namespace (tests/support/smallDisk.ts), most
 * of it taken by a file stored before. The job fails with the disk named in plain words and
 * Retry; nothing of the person's is touched; once the space is freed, Retry converts it.
 *
 * Through both transports: undici (the CLI's), whose upload declares its length, so the engine
 * refuses it from the head with the sizes; and the app's own, net.request over the strict
 * Electron double, whose upload is chunked (Chromium refuses a Content-Length), so the engine
 * meets the full disk while writing and answers as the body still arrives.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../electron/core/appCore';
import { createNetRequestFetch } from '../../../electron/core/client/netRequestFetch';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import type { FetchLike } from '../../../electron/core/ports';
import { createElectronDouble } from '../../support/electron';
import { codecOf, makeVideo, probe, tempDir } from '../../support/media';
import {
  freeFiller,
  smallDiskSupported,
  startEngineOnSmallDisk,
  storeFiller,
  type SmallDiskEngine,
} from '../../support/smallDisk';
import { waitFinished } from './harness';

const electron = createElectronDouble({ userData: '/nonexistent' });
electron.control.emitReady();
afterAll(() => electron.control.dispose());

let core: AppCore | null = null;
let engine: SmallDiskEngine | null = null;
let tmp: { path: string; cleanup(): Promise<void> } | null = null;
afterEach(async () => {
  await core?.close();
  await engine?.close();
  await tmp?.cleanup();
  core = engine = tmp = null;
});

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** What the engine's words say, as the job keeps them, for the upload each transport sends. */
const TRANSPORTS: { name: string; fetch: FetchLike; said: (dataDir: string) => RegExp }[] = [
  {
    name: "undici (the CLI's): the length declared, refused from the head",
    fetch: undiciFetch,
    said: (dataDir) =>
      new RegExp(
        `^Not enough disk space: this file needs [\\d.]+ KB, and the disk this converter keeps its files on \\(${dataDir}\\) has [\\d.]+ KB free to use\\. Free some space on it, then try again\\.$`,
      ),
  },
  {
    name: "net.request (the app's, over the Electron double): chunked, refused while written",
    fetch: createNetRequestFetch((o) => electron.main.net.request(o)),
    said: (dataDir) =>
      new RegExp(
        `^Disk full: the disk this converter keeps its files on \\(${dataDir}\\) has no room left\\. Free some space on it, then try again\\.$`,
      ),
  },
];

describe.skipIf(!smallDiskSupported())(
  "a job on this computer when the converter's disk is full",
  () => {
    it.each(TRANSPORTS)(
      'fails with the disk named in plain words and Retry, touches nothing, and converts once space is freed: $name',
      async ({ fetch, said }) => {
        engine = await startEngineOnSmallDisk({ sizeKb: 4 * 1024 });
        tmp = await tempDir('renderio-local-disk-full-');
        const src = join(tmp.path, 'src');
        await mkdir(src);
        // ~0.9 MB: more than what the filler leaves.
        const clip = await makeVideo(src, 'clip.mp4', { seconds: 20, x264Preset: 'veryfast' });
        const before = await sha256(clip);
        const filler = await storeFiller(engine, 3.4 * 1024 * 1024);
        core = await createAppCore({
          dataDir: join(tmp.path, 'data'),
          cipher: null,
          fetch,
          env: {},
          localEngine: engine.link,
        });

        const { added } = await core.queue.add({ paths: [clip], presetId: 'mp3' });
        const id = added[0]!;
        await waitFinished(core.queue, [id]);
        const failed = core.queue.get(id)!;
        expect(failed.stage).toBe('failed');
        expect(failed.error).toEqual({
          code: 'storage-full',
          message: expect.stringMatching(said(engine.dataDir)),
          retryable: true,
        });
        // Failed at once, not after the retries a server error gets.
        expect(failed.attempts).toBeLessThanOrEqual(1);
        // The source is as it was, and no output (nor a .part) was left beside it.
        expect(await sha256(clip)).toBe(before);
        expect(await readdir(src)).toEqual(['clip.mp4']);

        // The person frees space (here: the stored file goes), then Retry.
        await freeFiller(engine, filler);
        core.queue.retry(id);
        await waitFinished(core.queue, [id]);
        const done = core.queue.get(id)!;
        expect(done.stage).toBe('done');
        expect(codecOf(await probe(done.outputPaths[0]!), 'audio')).toBe('mp3');
        expect(await sha256(clip)).toBe(before);
      },
    );

    it('a command whose output meets the full disk fails the job with Retry too (DISK_FULL), and Retry converts it once space is freed', async () => {
      // 6 MB: the ~0.9 MB upload and the command's copy of it fit beside 2.6 MB of filler; the
      // ~1.9 MB WAV does not. Without the filler it does.
      engine = await startEngineOnSmallDisk({ sizeKb: 6 * 1024 });
      tmp = await tempDir('renderio-local-disk-full-');
      const src = join(tmp.path, 'src');
      await mkdir(src);
      const clip = await makeVideo(src, 'clip.mp4', { seconds: 20, x264Preset: 'veryfast' });
      const filler = await storeFiller(engine, 2.6 * 1024 * 1024);
      core = await createAppCore({
        dataDir: join(tmp.path, 'data'),
        cipher: null,
        fetch: undiciFetch,
        env: {},
        localEngine: engine.link,
      });
      const { added } = await core.queue.add({ paths: [clip], presetId: 'wav' });
      const id = added[0]!;
      await waitFinished(core.queue, [id]);
      expect(core.queue.get(id)!.stage).toBe('failed');
      expect(core.queue.get(id)!.error).toEqual({
        code: 'storage-full',
        message: `Disk full: the disk this converter keeps its files on (${engine.dataDir}) has no room left. Free some space on it, then try again.`,
        retryable: true,
      });
      expect(await readdir(src)).toEqual(['clip.mp4']);

      await freeFiller(engine, filler);
      core.queue.retry(id);
      await waitFinished(core.queue, [id]);
      const done = core.queue.get(id)!;
      expect(done.stage, done.error?.message).toBe('done');
      expect(codecOf(await probe(done.outputPaths[0]!), 'audio')).toBe('pcm_s16le');
    });
  },
);
