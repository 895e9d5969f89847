import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readdir, readFile, readlink, realpath, writeFile } from 'node:fs/promises';
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
    retry: null,
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

/** The paths this process holds open (Linux: /proc/self/fd). */
async function openPaths(): Promise<string[]> {
  return Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
}

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
    await store.close();
  });

  it('keeps the journal open: a line after a snapshot emptied it starts the file, and close lets go', async () => {
    const jobs = [job('a')];
    const store = openQueuePersistence(dir.path, () => ({
      jobs,
      paused: false,
      stopAfterRunning: false,
    }));
    await store.saveJob(jobs[0]!);
    await store.saveAll();
    jobs[0]!.attempts = 3;
    await store.saveJob(jobs[0]!);
    // One line, from the first byte: no hole where the emptied journal's lines were.
    const text = await readFile(join(dir.path, 'queue.journal'), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    expect(text.startsWith('{"seq":')).toBe(true);
    expect((await loadQueue(dir.path)).jobs[0]!.attempts).toBe(3);
    // Between writes, this process holds one descriptor of the journal (Linux: /proc/self/fd).
    const journal = join(await realpath(dir.path), 'queue.journal');
    expect((await openPaths()).filter((p) => p === journal)).toHaveLength(1);
    await store.close();
    // Closed: none any more.
    expect(await openPaths()).not.toContain(journal);
    // A write after close opens it again.
    jobs[0]!.attempts = 4;
    await store.saveJob(jobs[0]!);
    expect((await loadQueue(dir.path)).jobs[0]!.attempts).toBe(4);
    await store.close();
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
    await store.close();
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
    await store.close();
  });
});

describe('the queue file: its schema, versions and damage', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir('queue-file-')));
  afterEach(async () => dir.cleanup());

  it('reads a version 1 file, as the queue wrote it before the phases: jobs load, retry is null', async () => {
    // A version 1 file, written by hand as that code wrote it (no retry, no uploadTag).
    const { settings, retry: _r, ...rest } = job('old');
    const { preset: _p, ...stored } = settings;
    await writeFile(
      join(dir.path, 'queue.json'),
      JSON.stringify({
        version: 1,
        seq: 0,
        paused: true,
        stopAfterRunning: false,
        presets: [preset],
        jobs: [
          {
            ...rest,
            stage: 'submitted',
            remote: { fileId: 'f1', commandId: 'c1' },
            settings: { ...stored, presetRef: 0 },
          },
        ],
      }),
    );
    const loaded = await loadQueue(dir.path);
    expect(loaded.paused).toBe(true);
    expect(loaded.jobs).toHaveLength(1);
    expect(loaded.jobs[0]).toMatchObject({
      id: 'old',
      stage: 'submitted',
      retry: null,
      remote: { commandId: 'c1' },
    });
    expect(loaded.jobs[0]!.settings.preset).toEqual(preset);
  });

  it('keeps an unreadable file aside and starts empty, never losing it', async () => {
    await writeFile(join(dir.path, 'queue.json'), '{"version": 99}');
    await writeFile(join(dir.path, 'queue.journal'), '{"seq":1}\n');
    const loaded = await loadQueue(dir.path);
    expect(loaded.jobs).toEqual([]);
    const names = await readdir(dir.path);
    const aside = names.find((n) => n.startsWith('queue.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir.path, aside!), 'utf8')).toBe('{"version": 99}');
    expect(names).toContain(`${aside}.journal`);
  });

  it('leaves a damaged job out, loads the others, and copies the file aside', async () => {
    const text = serializeQueue({
      jobs: [job('a'), job('b')],
      paused: false,
      stopAfterRunning: false,
    });
    const file = JSON.parse(text) as { jobs: Record<string, unknown>[] };
    file.jobs[0]!.stage = 'exploded';
    await writeFile(join(dir.path, 'queue.json'), JSON.stringify(file));
    const loaded = await loadQueue(dir.path);
    expect(loaded.jobs.map((j) => j.id)).toEqual(['b']);
    expect((await readdir(dir.path)).some((n) => n.startsWith('queue.json.damaged-'))).toBe(true);
  });

  it('stops replaying the journal at a line whose job does not fit the schema', async () => {
    const store = openQueuePersistence(dir.path, () => ({
      jobs: [job('a')],
      paused: false,
      stopAfterRunning: false,
    }));
    await store.saveAll();
    const changed = { ...job('a'), attempts: 1 };
    await store.saveJob(changed);
    await appendFile(
      join(dir.path, 'queue.journal'),
      `${JSON.stringify({ seq: 99, job: { ...changed, attempts: -5 } })}\n`,
    );
    await appendFile(
      join(dir.path, 'queue.journal'),
      `${JSON.stringify({ seq: 100, job: { ...changed, attempts: 7 } })}\n`,
    );
    expect((await loadQueue(dir.path)).jobs[0]!.attempts).toBe(1);
    await store.close();
  });
});
