import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codecOf, durationOf, makeAudio, makeVideo, probe } from '../../support/media';
import { startHarness, waitFinished, type Harness } from './harness';
import { adaptivePollPolicy } from '../../../electron/core/queue/pollPolicy';
import type { AggregateProgress, QueuePatch } from '../../../shared/jobs';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('queue against the real engine', () => {
  it('converts files end to end, mirrors a folder tree, names outputs and cleans up remote files', async () => {
    const src = join(h.dir, 'src');
    const tree = join(src, 'shoot');
    await mkdir(join(tree, 'day2'), { recursive: true });
    const a = await makeVideo(tree, 'a.mp4');
    await makeVideo(join(tree, 'day2'), 'b.mov', { container: 'mov', audio: false });
    await writeFile(join(tree, 'notes.txt'), 'not media');
    const song = await makeAudio(src, 'song.wav', { format: 'wav' });
    const out = join(h.dir, 'out');
    const queue = await h.openQueue();
    const patches: string[] = [];
    queue.subscribe((batch) => patches.push(...batch.map((p) => p.type)));

    const videos = await queue.add({
      paths: [tree],
      presetId: 'test-webm',
      outputDir: out,
      nameTemplate: '{name}_{preset}',
      mirrorTree: true,
    });
    expect(videos.added).toHaveLength(2);
    expect(videos.rejected).toEqual([
      { path: join(tree, 'notes.txt'), reason: 'not a supported media file (.txt)' },
    ]);
    const refused = await queue.add({ paths: [song], presetId: 'test-webm', outputDir: out });
    expect(refused.rejected[0]?.reason).toMatch(/takes video files, not audio/);
    const audio = await queue.add({ paths: [song], presetId: 'test-mp3', outputDir: null });
    const ids = [...videos.added, ...audio.added];
    await waitFinished(queue, ids);

    for (const id of ids) expect(queue.get(id)?.stage, queue.get(id)?.error?.message).toBe('done');
    expect(await readdir(join(out, 'shoot'))).toEqual(['a_test-webm.webm', 'day2']);
    expect(await readdir(join(out, 'shoot', 'day2'))).toEqual(['b_test-webm.webm']);
    const webm = await probe(join(out, 'shoot', 'a_test-webm.webm'));
    expect(codecOf(webm, 'video')).toBe('vp9');
    expect(durationOf(webm)).toBeCloseTo(2, 0);
    expect(codecOf(await probe(join(src, 'song.mp3')), 'audio')).toBe('mp3');

    // A finished job's clean-up deletes its input, then its command's files, without asking
    // the server again whether the command still runs (its SUCCESS was seen).
    await queue.cleanup.settle();
    const log = h.engine.requestLog.map((e) => `${e.method} ${e.path}`);
    for (const id of ids) {
      const { fileId, commandId } = queue.get(id)!.remote;
      const inputDeleted = log.indexOf(`DELETE /api/v1/files/${fileId}`);
      expect(inputDeleted).toBeGreaterThan(-1);
      expect(
        log.slice(inputDeleted).filter((line) => line.includes(`/commands/${commandId}`)),
      ).toEqual([`DELETE /api/v1/commands/${commandId}/files`]);
    }

    // Exactly one command per job, and clean-up removed the uploaded input and outputs.
    const commands = await h.commands();
    expect(commands).toHaveLength(3);
    const client = h.client();
    for (const id of ids) {
      const job = queue.get(id)!;
      expect(job.remote.cleanedUp).toBe(true);
      expect((await client.getFile(job.remote.fileId!)).is_deleted).toBe(true);
      const command = await client.getCommand(job.remote.commandId!);
      expect(Object.values(command.output_files).every((o) => o.is_deleted)).toBe(true);
      // Stage times are measured, not placeholders: the upload (which includes the engine's
      // probe) takes time, and no stage, nor all of them, outlasts the job itself.
      const elapsed = job.finishedAt! - job.createdAt;
      expect(job.stageTimings.uploading).toBeGreaterThan(0);
      expect(job.stageTimings.uploading).toBeLessThanOrEqual(elapsed);
      const measured = Object.values(job.stageTimings).reduce((a, b) => a + b, 0);
      expect(measured).toBeLessThanOrEqual(elapsed);
      expect(job.progress.fraction).toBe(1);
    }
    expect(patches).toContain('upsert');
    expect(patches).toContain('aggregate');
    expect(queue.snapshot().aggregate).toMatchObject({ total: 3, done: 3, failed: 0 });
    void a;
  });

  it('applies the collision policy: rename next to the source, then skip, then overwrite', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'clip.mp4');
    const queue = await h.openQueue();
    const run = async (collision: 'rename' | 'skip' | 'overwrite'): Promise<string[]> => {
      // `again`: the same file converted anew on purpose (without it, adding is idempotent).
      const { added } = await queue.add({
        paths: [clip],
        presetId: 'test-thumbs',
        collision,
        again: true,
      });
      await waitFinished(queue, added);
      return queue.get(added[0]!)!.outputPaths;
    };
    expect(await run('rename')).toEqual([
      join(src, 'clip-poster.jpg'),
      join(src, 'clip-sound.mp3'),
    ]);
    expect(await run('rename')).toEqual([
      join(src, 'clip-poster (1).jpg'),
      join(src, 'clip-sound (1).mp3'),
    ]);
    expect(await run('skip')).toEqual([]);
    expect(await run('overwrite')).toEqual([
      join(src, 'clip-poster.jpg'),
      join(src, 'clip-sound.mp3'),
    ]);
    expect((await readdir(src)).sort()).toEqual([
      'clip-poster (1).jpg',
      'clip-poster.jpg',
      'clip-sound (1).mp3',
      'clip-sound.mp3',
      'clip.mp4',
    ]);
  });

  it("streams per-job progress: upload bytes, the engine's progress while processing, and an aggregate", async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'long.mp4', { seconds: 3 });
    const queue = await h.openQueue({
      pollPolicy: adaptivePollPolicy({
        firstMs: 300,
        minMs: 100,
        maxBlindMs: 400,
        maxPredictedMs: 400,
      }),
    });
    const patches: QueuePatch[] = [];
    queue.subscribe((batch) => patches.push(...batch));
    const { added } = await queue.add({ paths: [clip], presetId: 'test-slow' });
    await waitFinished(queue, added);
    expect(queue.get(added[0]!)?.stage).toBe('done');
    // What a UI saw: progress patches, and the progress carried by upserts (a batch that also
    // changes the stage sends the job whole).
    const seen = patches.flatMap((p) =>
      p.type === 'progress'
        ? [{ stage: p.stage, progress: p.progress }]
        : p.type === 'upsert'
          ? [{ stage: p.job.stage, progress: p.job.progress }]
          : [],
    );
    const upload = seen.filter((p) => p.stage === 'uploading' && p.progress.bytesTotal !== null);
    expect(upload.length).toBeGreaterThan(0);
    expect(upload.at(-1)?.progress.bytesTotal).toBe(queue.get(added[0]!)?.sourceSize);
    const processing = seen.filter((p) => p.stage === 'processing' && p.progress.fraction !== null);
    expect(processing.length).toBeGreaterThan(0);
    expect(processing.every((p) => p.progress.fraction! >= 0 && p.progress.fraction! <= 1)).toBe(
      true,
    );
    expect(processing.some((p) => p.progress.fraction! > 0)).toBe(true);
    // The ETA is damped and hidden until it means something (a tenth of the job done, 3 s
    // watched: etaSmoother.ts), which a 3 s clip on a fast machine may never reach; when it
    // shows, it is a time, and only once a tenth of the whole job is done. Its appearance is
    // tested on longer work (tests/integration/queue/jobProgress.test.ts).
    const shown = seen.filter((p) => p.progress.etaSeconds !== null);
    expect(shown.every((p) => p.progress.etaSeconds! >= 0)).toBe(true);
    expect(shown.every((p) => (p.progress.overall ?? 1) >= 0.1)).toBe(true);
    const aggregates = (): AggregateProgress[] =>
      patches.flatMap((p) => (p.type === 'aggregate' ? [p.aggregate] : []));
    expect(aggregates().some((a) => a.active === 1 && a.fraction !== null)).toBe(true);
    // The last batch is flushed within one interval of the job finishing.
    for (let i = 0; i < 100 && aggregates().at(-1)?.done !== 1; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(aggregates().at(-1)).toMatchObject({ total: 1, done: 1, active: 0 });
  });
  it('has written all it keeps when close resolves: the last result is listed, no file is written after', async () => {
    // The window's patches are throttled: a job's last upsert ('done') still waits in the
    // stream when the queue closes, and recording its output in the list of results followed
    // it after close (the CLI's temporary folder then failed to be removed, ENOTEMPTY).
    const src = join(h.dir, 'src');
    await mkdir(src, { recursive: true });
    await makeVideo(src, 'last.mp4');
    const stateDir = join(h.dir, 'state');
    const queue = await h.openQueue({ throttleMs: 60_000 });
    queue.subscribe(() => undefined);
    const { added } = await queue.add({ paths: [join(src, 'last.mp4')], presetId: 'test-mp3' });
    await waitFinished(queue, added);
    const output = queue.get(added[0]!)!.outputPaths[0]!;
    await queue.close();
    const written = async (): Promise<[string, number][]> =>
      Promise.all(
        (await readdir(stateDir)).sort().map(async (name) => {
          const info = await stat(join(stateDir, name));
          return [name, info.mtimeMs] as [string, number];
        }),
      );
    const atClose = await written();
    const list = JSON.parse(await readFile(join(stateDir, 'produced-files.json'), 'utf8')) as {
      files: { path: string }[];
    };
    expect(list.files.map((f) => f.path)).toContain(output);
    await new Promise((r) => setTimeout(r, 500));
    expect(await written()).toEqual(atClose);
  });
});
