/**
 * A restart in every stage: the CLI (and so the queue) runs in a child process that kills
 * itself with SIGKILL at a named point of a job's life, right after that state was saved; a
 * second run on the same --data-dir must finish every job exactly once: one engine command per
 * job, one output file per job, nothing renamed " (1)" by a duplicate download.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { loadQueue } from '../../../electron/core/queue/queueStore';
import type { Checkpoint } from '../../../electron/core/queue/ports';
import { tempDir } from '../../support/media';
import {
  convertArgv,
  makeTwoClips,
  runQueueChild,
  SLOW_MP3,
  writeCustomPresets,
  type ChildResult,
} from '../../support/queueChildRun';
import { API_KEY_HEADER } from '../../../shared/renderioApi';

let tmp: { path: string; cleanup(): Promise<void> };
let engine: EngineHandle;
let key: string;
let clips: string[];

beforeAll(async () => {
  tmp = await tempDir('restart-');
  engine = await startEngine({ dataDir: join(tmp.path, 'engine'), port: 0, concurrency: 2 });
  key = await engine.createKey();
  clips = await makeTwoClips(tmp.path, 1);
});
afterAll(async () => {
  await engine.close();
  await tmp.cleanup();
});

async function commandCount(): Promise<number> {
  const res = await fetch(`${engine.url}/api/v1/commands?limit=100`, {
    headers: { [API_KEY_HEADER]: key },
  });
  return ((await res.json()) as { commands: unknown[] }).commands.length;
}

function runChild(dataDir: string, out: string, killAt?: Checkpoint): Promise<ChildResult> {
  const argv = convertArgv({
    inputs: clips,
    preset: SLOW_MP3.id,
    out,
    engineArgs: ['--api-base', engine.url],
    dataDir,
    concurrency: 2,
  });
  return runQueueChild({ argv, killAt }, { ...process.env, RENDERIO_API_KEY: key });
}

const POINTS: Checkpoint[] = [
  'upload-started',
  'uploaded',
  'stored',
  'submit-answered',
  'submitted',
  'processing',
  'succeeded',
  'download-progress',
  // The move of a finished .part to its final name: announced and saved, not yet done ...
  'output-committing',
  // ... done, not yet saved (before the commit was announced, this re-downloaded: "two (1).mp3").
  'output-renamed',
  'output-saved',
];

describe('restart after SIGKILL in every stage', () => {
  it.each(POINTS)('killed at %s: every job finishes exactly once', async (point) => {
    const dataDir = join(tmp.path, `state-${point}`);
    const out = join(tmp.path, `out-${point}`);
    await writeCustomPresets(dataDir, [SLOW_MP3]);
    const before = await commandCount();

    const first = await runChild(dataDir, out, point);
    expect(first.signal, first.stderr).toBe('SIGKILL');
    const second = await runChild(dataDir, out);
    expect(second.code, second.stderr).toBe(0);

    expect((await commandCount()) - before).toBe(clips.length);
    expect((await readdir(out)).sort()).toEqual(['one-mp3.mp3', 'two-mp3.mp3']);
    const saved = await loadQueue(dataDir);
    expect(saved?.jobs.map((j) => j.stage)).toEqual(['done', 'done']);
    expect(saved?.jobs.every((j) => j.attempts === 0 && j.remote.cleanedUp === true)).toBe(true);
  });
});
