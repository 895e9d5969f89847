/**
 * A job on this computer when the disk holding the converter's files is full: the engine's data
 * folder is a real tmpfs of 4 MB in its own mount namespace (tests/support/smallDisk.ts), most
 * of it taken by a file stored before. The job fails with the disk named in plain words and
 * Retry; nothing of the person's is touched; once the space is freed, Retry converts it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../electron/core/appCore';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { codecOf, makeVideo, probe, tempDir } from '../../support/media';
import {
  smallDiskSupported,
  startEngineOnSmallDisk,
  type SmallDiskEngine,
} from '../../support/smallDisk';
import { waitFinished } from './harness';

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

/** Stores `bytes` of filler on the engine, as another job's upload would; answers its id. */
async function storeFiller(e: SmallDiskEngine, bytes: number): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.alloc(bytes, 0x5a)]), 'filler.bin');
  const res = await fetch(`${e.link.url}/api/v1/files/upload`, {
    method: 'POST',
    headers: { 'X-API-KEY': e.link.key },
    body: form,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { file_id: string }).file_id;
}

describe.skipIf(!smallDiskSupported())(
  "a job on this computer when the converter's disk is full",
  () => {
    it('fails with the disk named in plain words and Retry, touches nothing, and converts once space is freed', async () => {
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
        fetch: undiciFetch,
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
        message: expect.stringMatching(
          new RegExp(
            `^Not enough disk space: this file needs [\\d.]+ KB, and the disk this converter keeps its files on \\(${engine.dataDir}\\) has [\\d.]+ KB free to use\\. Free some space on it, then try again\\.$`,
          ),
        ),
        retryable: true,
      });
      // Failed at once, not after the retries a server error gets.
      expect(failed.attempts).toBeLessThanOrEqual(1);
      // The source is as it was, and no output (nor a .part) was left beside it.
      expect(await sha256(clip)).toBe(before);
      expect(await readdir(src)).toEqual(['clip.mp4']);

      // The person frees space (here: the stored file goes), then Retry.
      const deleted = await fetch(`${engine.link.url}/api/v1/files/${filler}`, {
        method: 'DELETE',
        headers: { 'X-API-KEY': engine.link.key },
      });
      expect(deleted.status).toBe(200);
      core.queue.retry(id);
      await waitFinished(core.queue, [id]);
      const done = core.queue.get(id)!;
      expect(done.stage).toBe('done');
      expect(codecOf(await probe(done.outputPaths[0]!), 'audio')).toBe('mp3');
      expect(await sha256(clip)).toBe(before);
    });
  },
);
