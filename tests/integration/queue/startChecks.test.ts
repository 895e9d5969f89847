/**
 * What a job checks before its work starts (phases/uploadPhase.ts), against the real engine and
 * ffmpeg: an output folder that cannot take the results, and a source this user may not read,
 * fail the job at once with the reason, before a byte is sent. Both used to be found after the
 * whole upload and encode ("Writing the download failed: the disk is read-only"; "Reading …
 * failed during the upload").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, chown, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeJobDetails } from '../../../electron/core/queue/jobDetails';
import { makeAudio, makeVideo } from '../../support/media';
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

/**
 * With "Skip the file" (collision "skip"), a job whose every output is already there would be
 * uploaded and encoded only to drop each result at the download: found by a real run, minutes of
 * encoding thrown away. It is done at once, with nothing sent, and its outputs recorded as a skip
 * at the download records them.
 */
describe('collision "skip" with the outputs already there', () => {
  it('every output there: done at once, nothing sent to the engine, the files left as they were', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'clip.mp4');
    await writeFile(join(src, 'clip-poster.jpg'), 'precious poster');
    await writeFile(join(src, 'clip-sound.mp3'), 'precious sound');
    const queue = await h.openQueue();
    const before = h.engine.requestLog.length;
    const { added } = await queue.add({
      paths: [clip],
      presetId: 'test-thumbs',
      collision: 'skip',
    });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!)!;
    expect(job.stage, job.error?.message).toBe('done');
    expect(job.error).toBeNull();
    expect(job.outputPaths).toEqual([]);
    // As a skip at the download records it: the name, and no local path.
    expect(job.remote.outputs).toMatchObject([
      { alias: 'out_poster', localName: 'clip-poster.jpg', localPath: null, fileId: null },
      { alias: 'out_sound', localName: 'clip-sound.mp3', localPath: null, fileId: null },
    ]);
    // No upload, no command: not one request.
    expect(job.remote.fileId).toBeUndefined();
    expect(job.remote.uploadTag).toBeUndefined();
    expect(job.remote.commandId).toBeUndefined();
    expect(h.engine.requestLog.slice(before).map((e) => `${e.method} ${e.path}`)).toEqual([]);
    expect(await h.commands()).toEqual([]);
    expect(await readFile(join(src, 'clip-poster.jpg'), 'utf8')).toBe('precious poster');
    expect(await readFile(join(src, 'clip-sound.mp3'), 'utf8')).toBe('precious sound');
    expect((await readdir(src)).sort()).toEqual(['clip-poster.jpg', 'clip-sound.mp3', 'clip.mp4']);
    expect(queue.snapshot().aggregate).toMatchObject({ total: 1, done: 1, failed: 0 });
    // Details say why nothing was written, without asking a server.
    const details = await describeJobDetails(job, {
      fetchCommand: null,
      runsOn: 'this computer',
      local: true,
    });
    expect(details.log).toBe(
      `Nothing was converted: clip-poster.jpg and clip-sound.mp3 were already in ${src}, and "Skip the file" keeps what is there. Nothing was sent.`,
    );
  });

  it('only some outputs there: the job runs, and the download skips those', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'clip.mp4');
    await writeFile(join(src, 'clip-poster.jpg'), 'precious poster');
    const queue = await h.openQueue();
    const { added } = await queue.add({
      paths: [clip],
      presetId: 'test-thumbs',
      collision: 'skip',
    });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!)!;
    expect(job.stage, job.error?.message).toBe('done');
    expect(job.remote.commandId).toBeDefined();
    expect(job.outputPaths).toEqual([join(src, 'clip-sound.mp3')]);
    expect(job.remote.outputs?.map((o) => o.localPath)).toEqual([
      null,
      join(src, 'clip-sound.mp3'),
    ]);
    expect(await readFile(join(src, 'clip-poster.jpg'), 'utf8')).toBe('precious poster');
    expect(h.engine.requestLog.some((e) => e.path === '/api/v1/files/upload')).toBe(true);
  });

  it("a name the queue holds is not the output's: a source named as the output does not skip the job", async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    // To MP3 by {name}, both are named song.mp3: the second job's source. Each download would
    // take song (1).mp3 / song (2).mp3 (names held, phases/outputNames.ts), which are not there.
    const mp3 = await makeAudio(src, 'song.mp3', { seconds: 1, format: 'mp3' });
    const wav = await makeAudio(src, 'song.wav', { seconds: 1, format: 'wav' });
    const original = await readFile(mp3);
    const queue = await h.openQueue();
    const { added } = await queue.add({
      paths: [wav, mp3],
      presetId: 'test-mp3',
      collision: 'skip',
    });
    await waitFinished(queue, added);
    const names = added.map((id) => {
      const job = queue.get(id)!;
      expect(job.stage, job.error?.message).toBe('done');
      expect(job.remote.commandId).toBeDefined();
      expect(job.outputPaths).toHaveLength(1);
      return job.outputPaths[0]!.slice(src.length + 1);
    });
    expect(names.sort()).toEqual(['song (1).mp3', 'song (2).mp3']);
    expect((await readFile(mp3)).equals(original)).toBe(true);
  });

  it('under "rename" the job runs as before', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'clip.mp4');
    await writeFile(join(src, 'clip.mp3'), 'an old result');
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths: [clip], presetId: 'test-mp3', collision: 'rename' });
    await waitFinished(queue, added);
    expect(queue.get(added[0]!)!.outputPaths).toEqual([join(src, 'clip (1).mp3')]);
  });
});
