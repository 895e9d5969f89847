/**
 * What a job checks before its work starts (phases/uploadPhase.ts), against the real engine and
 * ffmpeg: an output folder that cannot take the results, and a source this user may not read,
 * fail the job at once with the reason, before a byte is sent. Both used to be found after the
 * whole upload and encode ("Writing the download failed: the disk is read-only"; "Reading …
 * failed during the upload").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, chown, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeAudio } from '../../support/media';
import { smallDiskSupported } from '../../support/smallDisk';
import { cli } from '../cli/cliProcess';
import { startHarness, waitFinished, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('checks before a job starts', () => {
  it('an output folder that cannot be made fails the job at once, before anything is sent', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const song = await makeAudio(src, 'song.wav', { format: 'wav' });
    await writeFile(join(h.dir, 'notes'), 'a file where the output folder should be');
    const out = join(h.dir, 'notes', 'Converted');
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths: [song], presetId: 'test-mp3', outputDir: out });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!)!;
    expect(job.stage).toBe('failed');
    expect(job.error).toMatchObject({
      code: 'output-folder',
      message: `The output folder ${out} cannot be made: ${join(h.dir, 'notes')} is a file, not a folder. Choose another output folder, then Retry.`,
    });
    expect(h.engine.requestLog.some((e) => e.path.startsWith('/api/v1/files/upload'))).toBe(false);

    // The folder fixed, Retry runs it.
    await rm(join(h.dir, 'notes'));
    await queue.retry(added[0]!);
    await waitFinished(queue, added);
    expect(queue.get(added[0]!)?.stage).toBe('done');
    expect(await readdir(out)).toEqual(['song.mp3']);
  });
});

/**
 * The CLI (the same queue) in a user namespace, where the machine's root is an ordinary user to
 * a file owned by a user the namespace does not map: chmod 000 then really refuses the read,
 * as it does for anyone but root (the tests run as root in CI).
 */
const IN_USER_NAMESPACE = ['unshare', '--user', '--map-root-user'];

describe('a source this user may not read', () => {
  it.skipIf(!smallDiskSupported() || process.getuid?.() !== 0)(
    'fails at once in words, and the rest of the batch converts',
    async () => {
      const src = join(h.dir, 'src');
      await mkdir(src);
      const secret = await makeAudio(src, 'secret.wav', { format: 'wav' });
      const ok = await makeAudio(src, 'ok.wav', { format: 'wav' });
      // Owned by a user the namespace does not map, readable by no one.
      await chown(secret, 54321, 54321);
      await chmod(secret, 0o000);
      const run = await cli(
        [
          'convert',
          secret,
          ok,
          '--preset',
          'mp3',
          '--local',
          '--data-dir',
          join(h.dir, 'cli-data'),
        ],
        {},
        IN_USER_NAMESPACE,
      );
      const out = run.stdout + run.stderr;
      expect(out).toContain(
        'secret.wav cannot be read: this computer does not allow it (permission denied).',
      );
      // What is said of it: no "upload", no errno code (the CLI's own progress names stages).
      const aboutSecret = out.split('\n').filter((line) => line.includes('secret.wav'));
      expect(aboutSecret.length).toBeGreaterThan(0);
      for (const line of aboutSecret) expect(line).not.toMatch(/upload|EACCES/i);
      expect(run.code).toBe(1);
      expect((await readdir(src)).sort()).toEqual(['ok-mp3.mp3', 'ok.wav', 'secret.wav']);
    },
  );
});
