/**
 * Resume is idempotent (issue #15): the same `convert` command run again and again over the
 * same --data-dir, each run killed with SIGKILL at a random moment, ends with exactly one output
 * and one server command per input, and no upload left on the server. The moments come from a
 * seeded generator (printed), so a failure can be replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { makeVideo, tempDir } from '../../support/media';
import { convertArgv, startQueueChild } from '../../support/queueChildRun';
import type { CommandObject, StoredFile } from '../../../shared/renderioApi';

const RUNS = 12;
const INPUTS = 4;

/** mulberry32: small, seeded, good enough to spread kill times. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('re-running a killed conversion', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let engine: EngineHandle;
  let key: string;
  let inputs: string[];

  beforeAll(async () => {
    tmp = await tempDir('rerun-kills-');
    engine = await startEngine({
      dataDir: join(tmp.path, 'engine'),
      port: 0,
      concurrency: 2,
      rateLimit: { ratePerSecond: 1000, burst: 1000 },
    });
    key = await engine.createKey();
    const src = join(tmp.path, 'src');
    await mkdir(src);
    inputs = [];
    for (let i = 0; i < INPUTS; i++)
      inputs.push(await makeVideo(src, `clip ${i}.mp4`, { seconds: 1 + (i % 2) }));
  });
  afterAll(async () => {
    await engine?.close();
    await tmp?.cleanup();
  });

  it(`${RUNS} runs killed at random moments, then one to the end: one output and one command per input`, async () => {
    const seed = Number(process.env.RERUN_SEED ?? Date.now() % 100_000);
    console.log(`queueRerunKills: seed ${seed} (RERUN_SEED=${seed} replays it)`);
    const random = seeded(seed);
    const out = join(tmp.path, 'out');
    const argv = convertArgv({
      inputs,
      preset: 'mp3',
      out,
      engineArgs: ['--api-base', engine.url],
      dataDir: join(tmp.path, 'state'),
      concurrency: 2,
    });
    const env = { ...process.env, RENDERIO_API_KEY: key };
    const kills: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const child = startQueueChild({ argv, firstPollMs: 200 }, env, true);
      // From the moment the run says what it queued: up to 3 s in, anywhere in a job's life.
      for (let i = 0; i < 600 && !/queued|already converted/.test(child.stderr()); i++)
        await sleep(25);
      const wait = Math.round(random() * 3000);
      kills.push(wait);
      const ended = await Promise.race([child.exited, sleep(wait).then(() => null)]);
      if (ended === null) child.child.kill('SIGKILL');
      await child.exited;
    }
    const last = startQueueChild({ argv, firstPollMs: 200 }, env, true);
    const end = await last.exited;
    expect(end.code, `${last.stderr()}\nkills after ${kills.join(', ')} ms`).toBe(0);

    const names = (await readdir(out)).sort();
    expect(names).toEqual(inputs.map((_, i) => `clip ${i}-mp3.mp3`).sort());
    const api = async <T>(path: string): Promise<T> =>
      (await (
        await fetch(`${engine.url}/api/v1${path}`, { headers: { 'X-API-KEY': key } })
      ).json()) as T;
    const { commands } = await api<{ commands: CommandObject[] }>('/commands?limit=100');
    // One command per input: never submitted twice across the kills and re-runs.
    expect(commands).toHaveLength(INPUTS);
    expect(commands.every((c) => c.status === 'SUCCESS')).toBe(true);
    // And no upload left behind (cleaned up after each download, lost answers found again).
    for (let i = 0; i < 100; i++) {
      const { files } = await api<{ files: StoredFile[] }>('/files?limit=100');
      if (files.filter((f) => f.rendi_store_type === 'UPLOAD').length === 0) break;
      // A clean-up handed on by a killed run is done by the next; give the last one a moment.
      await sleep(100);
    }
    const { files } = await api<{ files: StoredFile[] }>('/files?limit=100');
    expect(files.filter((f) => f.rendi_store_type === 'UPLOAD')).toEqual([]);
    // 13 process starts and up to 36 s of waits: ~20 s alone, 60 s once when the machine also
    // ran the e2e suite and a bench; a guard against a hang, not a timing.
  }, 180_000);
});
