import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadQueue,
  openQueuePersistence,
  serializeQueue,
  deserializeQueue,
} from '../../../../../electron/core/queue/queueStore';
import type { Job } from '../../../../../shared/jobs';
import type { Preset } from '../../../../../shared/presetTypes';
import { tempDir } from '../../../../support/media';

const preset: Preset = {
  id: 'webm-vp9',
  name: 'WebM',
  description: '',
  category: 'video',
  accepts: ['video'],
  ffmpegCommand: '-i {{in_file}} {{out_video}}',
  outputs: [{ alias: 'out_video', extension: 'webm' }],
  source: 'built-in',
};

function job(id: string, p: Preset = preset): Job {
  return {
    id,
    sourcePath: `/src/${id}.mp4`,
    sourceName: `${id}.mp4`,
    sourceSize: 1,
    mediaKind: 'video',
    settings: {
      presetId: p.id,
      preset: p,
      outputDir: null,
      nameTemplate: '{name}',
      collision: 'rename',
      mirrorRoot: null,
      profileId: 'local',
    },
    stage: 'submitted',
    resumeStage: null,
    holdUntil: null,
    remote: { fileId: 'f', commandId: 'c' },
    progress: { fraction: null, bytesDone: 0, bytesTotal: null, speed: null, etaSeconds: null },
    outputPaths: [],
    error: null,
    attempts: 0,
    createdAt: 1,
    startedAt: null,
    finishedAt: null,
    stageTimings: {},
  };
}

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await tempDir('store-');
});
afterEach(async () => {
  await dir.cleanup();
});

describe('queue store', () => {
  it('round-trips jobs and stores each distinct preset once', () => {
    const other = { ...preset, id: 'mp3' };
    const jobs = [job('a'), job('b'), job('c', other), job('d', { ...preset })];
    const text = serializeQueue({ jobs, paused: true, stopAfterRunning: false });
    expect((JSON.parse(text) as { presets: unknown[] }).presets).toHaveLength(2);
    const back = deserializeQueue(JSON.parse(text));
    expect(back.paused).toBe(true);
    expect(back.jobs).toEqual(jobs);
  });

  it('journals job changes, replays them after a crash, and ignores a torn last line', async () => {
    const jobs = [job('a'), job('b')];
    const state = () => ({ jobs, paused: false, stopAfterRunning: false });
    const store = openQueuePersistence(dir.path, state);
    await store.saveAll();
    jobs[0]!.stage = 'processing';
    const p1 = store.saveJob(jobs[0]!);
    jobs[1]!.stage = 'downloading';
    const p2 = store.saveJob(jobs[1]!);
    jobs[0]!.stage = 'done'; // changed again after its line was taken: the line keeps 'processing'
    await Promise.all([p1, p2]);
    const journal = await readFile(join(dir.path, 'queue.journal'), 'utf8');
    expect(journal.trim().split('\n')).toHaveLength(2);
    // A crash cut the next line short: it is ignored, the rest replays.
    await appendFile(join(dir.path, 'queue.journal'), '{"seq": 3, "job": {"id": "a", "sta');
    const loaded = await loadQueue(dir.path);
    expect(loaded?.jobs.map((j) => j.stage)).toEqual(['processing', 'downloading']);
    expect(loaded?.seq).toBe(2);
  });

  it('a snapshot covers earlier lines, so a crash before the journal is emptied replays nothing twice', async () => {
    const jobs = [job('a')];
    const state = () => ({ jobs, paused: true, stopAfterRunning: false });
    const store = openQueuePersistence(dir.path, state);
    jobs[0]!.stage = 'processing';
    await store.saveJob(jobs[0]!);
    const staleJournal = await readFile(join(dir.path, 'queue.journal'), 'utf8');
    jobs[0]!.stage = 'done';
    await store.saveAll();
    expect(await readFile(join(dir.path, 'queue.journal'), 'utf8')).toBe('');
    // Simulate the crash window: the old line is still there after the new snapshot.
    await writeFile(join(dir.path, 'queue.journal'), staleJournal);
    const loaded = await loadQueue(dir.path);
    expect(loaded?.jobs[0]?.stage).toBe('done');
    expect(loaded?.paused).toBe(true);
  });

  it('compacts the journal into a snapshot after enough lines; a foreign file is refused', async () => {
    const jobs = [job('a')];
    const store = openQueuePersistence(
      dir.path,
      () => ({ jobs, paused: false, stopAfterRunning: false }),
      undefined,
      {
        compactAfterLines: 5,
      },
    );
    await store.saveAll();
    for (let i = 0; i < 12; i++) {
      jobs[0]!.attempts = i;
      await store.saveJob(jobs[0]!);
    }
    const lines = (await readFile(join(dir.path, 'queue.journal'), 'utf8'))
      .split('\n')
      .filter(Boolean);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect((await loadQueue(dir.path))?.jobs[0]?.attempts).toBe(11);
    await writeFile(join(dir.path, 'queue.json'), '{"version": 99}');
    await expect(loadQueue(dir.path)).rejects.toThrow(/not a queue file/);
  });
});
