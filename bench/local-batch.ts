/**
 * Local batch benchmark (prints ratios, asserts nothing): a batch of 8 short clips (320×240,
 * 3 s, generated with lavfi) converted on "this computer" the way the app and `renderio-convert
 * --local` do it (the core with the local engine beside it: queue, upload, command, polling,
 * download), against the best of running the same ffmpeg commands directly one by one and N
 * at a time (N = 1, 2, 4). The app path runs as shipped, then with the engine running C
 * commands at once (C = 1, 2, 4; the queue submitting up to 2C), then with a faster first
 * poll (APP below), so the figures say which default concurrency suits this machine and where
 * the rest of the time goes. Goal: the app's batch within 1.05× of the best direct run.
 *
 * Each round runs every contender once, in an order that alternates between rounds; the
 * figures are medians over rounds. The engine's start (with its ffmpeg check) is timed apart:
 * it happens once per launch, not per batch.
 * Run: npx tsx bench/local-batch.ts [rounds] [preset]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCoreWithEngine } from '../tests/support/coreWithEngine';
import { undiciFetch } from '../electron/core/client/undiciFetch';
import { adaptivePollPolicy } from '../electron/core/queue/pollPolicy';
import { defaultLocalConcurrency } from '../engine/config';
import { prepareFfmpegArgs } from '../shared/ffmpeg/argumentRules';
import { FINISHED_STAGES } from '../shared/jobs';
import { findPreset } from '../shared/presets';
import { makeVideo } from '../tests/support/media';
import { median } from './support/stats';

const ROUNDS = Number(process.argv[2] ?? 3);
const PRESET = process.argv[3] ?? 'mp4-h264';
const CLIPS = 8;
const LEVELS = [1, 2, 4] as const;

function runFfmpeg(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr.slice(-300)}`)),
    );
  });
}

/** The batch as plain ffmpeg runs, `n` at a time; seconds of wall time. */
async function direct(commands: string[][], n: number, cwd: string): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < commands.length) await runFfmpeg(commands[next++]!, cwd);
  };
  await Promise.all(Array.from({ length: n }, worker));
  return (performance.now() - started) / 1000;
}

/** The batch through the app's core and the local engine running `c` commands at once. */
interface AppContender {
  label: string;
  /** Engine concurrency; undefined: the engine's default. */
  engine?: number;
  /** The queue's uploads/remote/downloads limits; undefined: the app's defaults (2 each). */
  queue?: number;
  /** First poll after a submit, ms; undefined: the queue's default (2 s). */
  firstPollMs?: number;
}

/**
 * The app as shipped, then the engine running C at once with the queue submitting 2C (so the
 * next command already waits in the engine when one ends), then C = 2 with a first poll at
 * 250 ms instead of 2 s (what a loopback profile could afford).
 */
const APP: AppContender[] = [
  { label: `app as shipped (engine ${defaultLocalConcurrency()}, queue 2)` },
  ...LEVELS.map((c) => ({ label: `app engine ${c}, queue ${2 * c}`, engine: c, queue: 2 * c })),
  { label: 'app engine 2, queue 4, first poll 250 ms', engine: 2, queue: 4, firstPollMs: 250 },
];

async function throughApp(
  clips: string[],
  contender: AppContender,
  dir: string,
): Promise<{ batch: number; start: number }> {
  const startedCore = performance.now();
  const limit = contender.queue;
  const { core, close } = await openCoreWithEngine({
    dataDir: dir,
    cipher: null,
    fetch: undiciFetch,
    env: {},
    activateLocalEngine: true,
    engineOptions: contender.engine === undefined ? {} : { concurrency: contender.engine },
    settingsOverrides: {
      ...(limit === undefined
        ? {}
        : { concurrency: { uploads: limit, remote: limit, downloads: limit } }),
      cleanupRemote: true,
    },
    ...(contender.firstPollMs === undefined
      ? {}
      : { pollPolicy: adaptivePollPolicy({ firstMs: contender.firstPollMs, minMs: 100 }) }),
    throttleMs: 200,
  });
  const start = (performance.now() - startedCore) / 1000;
  try {
    const started = performance.now();
    const { added } = await core.queue.add({
      paths: clips,
      presetId: PRESET,
      outputDir: join(dir, 'out'),
      collision: 'overwrite',
      mirrorTree: false,
    });
    if (added.length !== clips.length) throw new Error(`only ${added.length} jobs were added`);
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        const stages = added.map((id) => core.queue.stageOf(id));
        if (stages.some((s) => s === 'failed'))
          reject(new Error(`a job failed: ${core.queue.get(added[0]!)?.error?.message}`));
        if (stages.every((s) => s !== undefined && FINISHED_STAGES.includes(s))) {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = core.queue.subscribe(check);
      check();
    });
    return { batch: (performance.now() - started) / 1000, start };
  } finally {
    await close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'bench-local-batch-'));
try {
  const clips: string[] = [];
  for (let i = 0; i < CLIPS; i++)
    clips.push(await makeVideo(dir, `clip-${i}.mp4`, { seconds: 3, width: 320, height: 240 }));
  const preset = findPreset(PRESET);
  if (!preset?.ffmpegCommand) throw new Error(`no single-command preset ${PRESET}`);
  const extension = preset.outputs[0]!.extension;
  const commands = clips.map((clip, i) => [
    '-nostdin',
    '-y',
    ...prepareFfmpegArgs(preset.ffmpegCommand!, (alias) =>
      alias === 'in_file' ? clip : join(dir, `direct-${i}.${extension}`),
    ),
  ]);
  console.log(
    `Local batch: ${CLIPS} clips (320×240, 3 s) → ${PRESET}, ${ROUNDS} round(s), ${availableParallelism()} CPU(s)`,
  );

  const directTimes = new Map<number, number[]>(LEVELS.map((n) => [n, []]));
  const appTimes = APP.map(() => [] as number[]);
  const starts: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const forward = round % 2 === 0;
    const levels = forward ? LEVELS : [...LEVELS].reverse();
    const apps = forward ? APP.map((_, i) => i) : APP.map((_, i) => APP.length - 1 - i);
    const line: string[] = [];
    for (const n of levels) {
      const t = await direct(commands, n, dir);
      directTimes.get(n)!.push(t);
      line.push(`direct×${n} ${t.toFixed(2)} s`);
    }
    for (const i of apps) {
      const { batch, start } = await throughApp(clips, APP[i]!, join(dir, `app-${round}-${i}`));
      appTimes[i]!.push(batch);
      starts.push(start);
      line.push(`${APP[i]!.label} ${batch.toFixed(2)} s`);
    }
    console.log(`round ${round + 1}: ${line.join(' · ')}`);
  }

  const directMedian = LEVELS.map((n) => ({ n, t: median(directTimes.get(n)!) }));
  const best = directMedian.reduce((a, b) => (b.t < a.t ? b : a));
  console.log(
    `direct, median: ${directMedian.map(({ n, t }) => `${n} at a time ${t.toFixed(2)} s`).join(', ')} → best ${best.n} at a time`,
  );
  APP.forEach((contender, i) => {
    const t = median(appTimes[i]!);
    console.log(
      `${contender.label}: ${t.toFixed(2)} s median → ${(t / best.t).toFixed(3)}× the best direct (goal ≤ 1.05×)`,
    );
  });
  console.log(`engine start (ffmpeg check included), median: ${median(starts).toFixed(2)} s`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
