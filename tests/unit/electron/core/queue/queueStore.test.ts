import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadQueue,
  queueWriter,
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

  it('writes atomically and coalesces saves; a foreign file is refused', async () => {
    let jobs = [job('a')];
    const writer = queueWriter(dir.path, () => ({ jobs, paused: false, stopAfterRunning: false }));
    const saves = [writer.save(), writer.save(), writer.save()];
    jobs = [job('a'), job('b')];
    saves.push(writer.save());
    await Promise.all(saves);
    expect((await loadQueue(dir.path))?.jobs.map((j) => j.id)).toEqual(['a', 'b']);
    await writeFile(join(dir.path, 'queue.json'), '{"version": 99}');
    await expect(loadQueue(dir.path)).rejects.toThrow(/not a queue file/);
    expect(await readFile(join(dir.path, 'queue.json'), 'utf8')).toContain('99');
  });
});
