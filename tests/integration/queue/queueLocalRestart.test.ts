/**
 * The app's own case: the local engine runs inside the process (`--local`), so a crash kills
 * the queue and the engine together, mid-conversion. The CLI runs in a child process that
 * kills itself with SIGKILL at a point of a job's life; the second run on the same --data-dir
 * starts a new engine on the same engine data (a new port, a new per-launch key), which runs
 * the cut-off commands again, while the queue polls the commands it knows and refreshes every
 * storage URL signed on the dead port. Each job must finish exactly once.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../../engine/index';
import { loadQueue } from '../../../electron/core/queue/queueStore';
import type { Checkpoint } from '../../../electron/core/queue/ports';
import { API_KEY_HEADER, type CommandObject } from '../../../shared/renderioApi';
import { durationOf, probe, tempDir } from '../../support/media';
import {
  convertArgv,
  makeTwoClips,
  runQueueChild,
  SLOW_MP3,
  writeCustomPresets,
  type ChildResult,
} from '../../support/queueChildRun';

let tmp: { path: string; cleanup(): Promise<void> };
let clips: string[];

beforeAll(async () => {
  tmp = await tempDir('local-restart-');
  clips = await makeTwoClips(tmp.path, 3);
});
afterAll(() => tmp.cleanup());

function runChild(dataDir: string, out: string, killAt?: Checkpoint): Promise<ChildResult> {
  const argv = convertArgv({
    inputs: clips,
    preset: SLOW_MP3.id,
    out,
    engineArgs: ['--local'],
    dataDir,
    concurrency: 2,
  });
  const env = { ...process.env };
  delete env.RENDERIO_API_KEY;
  return runQueueChild({ argv, killAt }, env, true);
}

/** The commands the CLI's engine holds (its data lives in <data-dir>/engine). */
async function engineCommands(dataDir: string): Promise<CommandObject[]> {
  const key = `ffsk_${randomBytes(32).toString('hex')}`;
  const engine = await startEngine({ dataDir: join(dataDir, 'engine'), port: 0, apiKeys: [key] });
  try {
    const res = await fetch(`${engine.url}/api/v1/commands?limit=100`, {
      headers: { [API_KEY_HEADER]: key },
    });
    return ((await res.json()) as { commands: CommandObject[] }).commands;
  } finally {
    await engine.close();
  }
}

async function commandStatusesOnDisk(dataDir: string): Promise<string[]> {
  const state = JSON.parse(await readFile(join(dataDir, 'engine', 'state.json'), 'utf8')) as {
    commands: Record<string, { status: string }>;
  };
  return Object.values(state.commands).map((c) => c.status);
}

const POINTS: Checkpoint[] = ['submitted', 'processing', 'succeeded', 'download-progress'];

describe('--local: the app and its engine killed together', () => {
  it.each(POINTS)('killed at %s: every job finishes exactly once', async (point) => {
    const dataDir = join(tmp.path, `state-${point}`);
    const out = join(tmp.path, `out-${point}`);
    await writeCustomPresets(dataDir, [SLOW_MP3]);

    const first = await runChild(dataDir, out, point);
    expect(first.signal, first.stderr).toBe('SIGKILL');
    if (point === 'processing')
      // The kill landed mid-conversion: the engine's saved state has a command still running.
      expect(await commandStatusesOnDisk(dataDir)).toContain('PROCESSING');

    const second = await runChild(dataDir, out);
    expect(second.code, second.stderr).toBe(0);

    const commands = await engineCommands(dataDir);
    expect(commands.map((c) => c.status)).toEqual(['SUCCESS', 'SUCCESS']);
    const saved = await loadQueue(dataDir);
    expect(saved?.jobs.map((j) => j.stage)).toEqual(['done', 'done']);
    expect(saved?.jobs.every((j) => j.attempts === 0 && j.remote.cleanedUp === true)).toBe(true);
    expect(new Set(saved?.jobs.map((j) => j.remote.commandId))).toEqual(
      new Set(commands.map((c) => c.command_id)),
    );
    expect((await readdir(out)).sort()).toEqual(['one-mp3.mp3', 'two-mp3.mp3']);
    for (const name of ['one-mp3.mp3', 'two-mp3.mp3'])
      expect(durationOf(await probe(join(out, name)))).toBeCloseTo(3, 0);
  });
});
