/**
 * Local batch benchmark (prints ratios, asserts nothing): a batch of 8 clips (320×240, 3 s by
 * default, generated with lavfi) converted on "this computer" through the app's core and the
 * local engine (queue, upload, command, polling, download), against the best of running the
 * same ffmpeg commands directly one by one and N at a time (N = 1, 2, 4), in the same run. The
 * app runs as the window runs it (the engine in its own process from the built bundle, the
 * utility process under the Electron double; needs `npm run build`), as `renderio-convert
 * --local` runs it (the engine in this process), with the earlier poll schedule, and with the
 * engine running 1 and 4 at once, so the figures say which default suits this machine. With
 * `--history N`, two more: the CLI's way with N spent jobs already in the engine's state, kept
 * (as before the engine forgot spent records) and forgotten at its start (as now).
 * Goal: the app's batch within 1.05× of the best direct run.
 *
 * Each round runs every contender once, in an order that alternates between rounds; the
 * figures are medians over rounds. Each run's CPU time during the batch (this process, the
 * engine's process, their children: ffmpeg, ffprobe) is printed beside its wall time, and the
 * load average before each round: on a shared machine the wall times move with the load, the
 * CPU far less. The engine's start (with its ffmpeg check) is timed apart and not counted in
 * the batch: it happens once per launch; nor is one 1-second job run just before it, so that
 * each contender's code is compiled as in an app that has run a job since it started.
 *
 * Run: npx tsx bench/local-batch.ts [--rounds 3] [--clips 8] [--seconds 3] [--size 320x240]
 *        [--preset mp4-h264] [--ffmpeg PATH --ffprobe PATH] [--history N] [--direct 1,2,4|none]
 *        (the same binaries for the direct runs and the engine; the engine's own process takes
 *        ffprobe beside it; `--direct none` runs the app's contenders alone)
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCoreWithEngine } from '../tests/support/coreWithEngine';
import type { AppCore } from '../electron/core/appCore';
import { openCoreWithEngineProcess } from './support/engineProcess';
import { undiciFetch } from '../electron/core/client/undiciFetch';
import { adaptivePollPolicy, type PollPolicy } from '../electron/core/queue/pollPolicy';
import { defaultLocalConcurrency } from '../engine/config';
import { prepareFfmpegArgs } from '../shared/ffmpeg/argumentRules';
import { FINISHED_STAGES } from '../shared/jobs';
import { findPreset } from '../shared/presets';
import { makeVideo } from '../tests/support/media';
import { cpuSeconds, cpuSince, machineBusySeconds, type CpuSeconds } from './support/cpu';
import { seedEngineState, spentState } from '../tests/support/spentJobs';
import { median } from './support/stats';
import { runFfmpegDirect } from './support/directFfmpeg';
import { profileDuring } from './support/cpuProfile';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    clips: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '3' },
    preset: { type: 'string', default: 'mp4-h264' },
    ffmpeg: { type: 'string' },
    ffprobe: { type: 'string' },
    size: { type: 'string', default: '320x240' },
    history: { type: 'string', default: '0' },
    only: { type: 'string' },
    direct: { type: 'string', default: '1,2,4' },
  },
});
const ROUNDS = Number(opts.rounds);
const CLIPS = Number(opts.clips);
const SECONDS = Number(opts.seconds);
const PRESET = opts.preset;
const [WIDTH, HEIGHT] = opts.size.split('x').map(Number) as [number, number];
if (!(WIDTH > 0 && HEIGHT > 0)) throw new Error(`--size ${opts.size}: give WIDTHxHEIGHT`);
const FFMPEG = opts.ffmpeg ?? 'ffmpeg';
/** The direct contenders (ffmpeg N at a time); `--direct none` runs the app's alone. */
const LEVELS = opts.direct === 'none' ? [] : opts.direct.split(',').map(Number);
/** Spent jobs already in the engine's state (a day's work behind it); 0: no such contenders. */
const HISTORY = Number(opts.history);

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const runFfmpeg = (args: string[], cwd: string): Promise<void> =>
  runFfmpegDirect(FFMPEG, args, cwd);

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

/** The batch through the app's core and the local engine running `engine` commands at once. */
interface AppContender {
  /** Its name for `--only` (window, cli, held, engine1, engine4, kept, forgotten). */
  key: string;
  label: string;
  /** Engine concurrency; undefined: the engine's default. */
  engine?: number;
  /** A poll policy instead of the shipped one (the earlier schedule, for comparison). */
  pollPolicy?: PollPolicy;
  /**
   * The engine in its own process from the built bundle, as the window runs it (a utility
   * process); otherwise in this process beside the core, as `renderio-convert --local` does.
   */
  ownProcess?: boolean;
  /**
   * HISTORY spent jobs, two hours old, are in the engine's state before it starts: kept (as
   * the engine did before it forgot spent records) or forgotten by its start's sweep.
   */
  history?: 'kept' | 'forgotten';
}

/**
 * The local poll schedule until 2026-12-07: held polls, but the adaptive waits, which cut a
 * hold short at a predicted finish (a round trip more each time the prediction was early).
 */
const ADAPTIVE_HELD_POLLS: PollPolicy = {
  ...adaptivePollPolicy({
    firstMs: 150,
    minMs: 100,
    maxBlindMs: 1000,
    maxPredictedMs: 1000,
    jumpMs: 1000,
    settleMs: 50,
  }),
  held: true,
};

const APP: AppContender[] = [
  {
    key: 'window',
    label: `app as the window runs it (engine in its own process, ${defaultLocalConcurrency()} at once)`,
    ownProcess: true,
  },
  {
    key: 'cli',
    label: `app as the CLI runs it (engine in this process, ${defaultLocalConcurrency()} at once)`,
  },
  {
    key: 'held',
    label: 'app as the CLI runs it, held polls cut short at predicted finishes (before)',
    pollPolicy: ADAPTIVE_HELD_POLLS,
  },
  { key: 'engine1', label: 'app, engine 1 at once', engine: 1 },
  { key: 'engine4', label: 'app, engine 4 at once', engine: 4 },
  ...(HISTORY > 0
    ? [
        {
          key: 'kept',
          label: `app as the CLI runs it, ${HISTORY} spent jobs kept in the engine's state (before)`,
          history: 'kept' as const,
        },
        {
          key: 'forgotten',
          label: `app as the CLI runs it, ${HISTORY} spent jobs forgotten at the engine's start (now)`,
          history: 'forgotten' as const,
        },
      ]
    : []),
].filter((c) => !opts.only || opts.only.split(',').includes(c.key));

/**
 * Adds `paths` to the queue; resolves once every job has finished, with the seconds from the
 * add to the moment the queue had nothing left to run (the last output in its folder and its job
 * recorded done: the batch's end) and to the moment its change stream told a listener so (the
 * window's rows and the CLI's lines, which it sends at most every `throttleMs`). Rejects if a
 * job failed.
 */
async function runBatch(
  core: AppCore,
  paths: string[],
  outputDir: string,
): Promise<{ done: number; told: number }> {
  const started = performance.now();
  const { added } = await core.queue.add({
    paths,
    presetId: PRESET,
    outputDir,
    collision: 'overwrite',
    mirrorTree: false,
  });
  if (added.length !== paths.length) throw new Error(`only ${added.length} jobs were added`);
  const failed = (): Error | null => {
    const id = added.find((a) => core.queue.stageOf(a) === 'failed');
    return id ? new Error(`a job failed: ${core.queue.get(id)?.error?.message}`) : null;
  };
  const allFinished = (): boolean =>
    added.every((id) => {
      const s = core.queue.stageOf(id);
      return s !== undefined && FINISHED_STAGES.includes(s);
    });
  const idle = core.queue.whenIdle().then(() => {
    const error = failed() ?? (allFinished() ? null : new Error('the queue stopped short'));
    if (error) throw error;
    return (performance.now() - started) / 1000;
  });
  const told = new Promise<number>((resolve, reject) => {
    const check = (): void => {
      const error = failed();
      if (error) reject(error);
      if (allFinished()) {
        unsubscribe();
        resolve((performance.now() - started) / 1000);
      }
    };
    const unsubscribe = core.queue.subscribe(check);
  });
  const [done, toldAt] = await Promise.all([idle, told]);
  return { done, told: toldAt };
}

async function throughApp(
  clips: string[],
  warmClip: string,
  contender: AppContender,
  dir: string,
): Promise<{
  batch: number;
  /** When the change stream told of the batch's end (`batch` is when it ended). */
  told: number;
  start: number;
  cpu: CpuSeconds;
  /** The engine's own process, when it has one: its own CPU and its children's (ffmpeg, ffprobe). */
  engine: CpuSeconds | null;
  /** The whole machine's busy CPU during the batch (machineBusySeconds). */
  machine: number;
  requests: number;
}> {
  const startedCore = performance.now();
  let requests = 0;
  const coreOptions = {
    dataDir: dir,
    cipher: null,
    // Every request the core makes to the engine, counted (the batch's own, below).
    fetch: ((...args: Parameters<typeof undiciFetch>) => {
      requests++;

      return undiciFetch(...args);
    }) as typeof undiciFetch,
    env: {},
    activateLocalEngine: true,
    settingsOverrides: { cleanupRemote: true },
    ...(contender.pollPolicy ? { pollPolicy: contender.pollPolicy } : {}),
    throttleMs: 200,
  };
  if (contender.history) await seedEngineState(join(dir, 'engine'), spentState(HISTORY, 2));
  // The engine's own process takes the ffmpeg as "Choose ffmpeg…" gives it: ffprobe beside it.
  const opened = contender.ownProcess
    ? await openCoreWithEngineProcess({
        ...coreOptions,
        ...(opts.ffmpeg ? { ffmpegPath: opts.ffmpeg } : {}),
        ...(contender.engine === undefined ? {} : { concurrency: contender.engine }),
        // BENCH_ENGINE_PROF=DIR: a CPU profile of the engine's process in DIR (node --cpu-prof).
        ...(process.env.BENCH_ENGINE_PROF
          ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_ENGINE_PROF}`] }
          : {}),
      })
    : await openCoreWithEngine({
        ...coreOptions,
        engineOptions: {
          ...(contender.engine === undefined ? {} : { concurrency: contender.engine }),
          ...(opts.ffmpeg ? { ffmpegPath: opts.ffmpeg } : {}),
          ...(opts.ffprobe ? { ffprobePath: opts.ffprobe } : {}),
          ...(contender.history === 'kept' ? { recordRetentionHours: 1e6 } : {}),
        },
      });
  const { core, close } = opened;
  // The engine's own process: its CPU during the batch (its start is not a job's), and its
  // children's, which it reaps; in this process, children are counted once reaped.
  const engineCpu = 'engineCpu' in opened ? opened.engineCpu : null;
  const start = (performance.now() - startedCore) / 1000;
  try {
    // One short job first, so both sides' code is compiled as in an app that has run a job.
    await runBatch(core, [warmClip], join(dir, 'warm'));
    requests = 0;
    const before = cpuSeconds();
    const machineBefore = machineBusySeconds();
    const engineBefore = engineCpu?.();
    // BENCH_MARK=1: two failed access() calls bracket the batch, so a trace (`strace -f`) of
    // the run can count the system calls of the batch alone.
    if (process.env.BENCH_MARK) await access('/batch-start').catch(() => undefined);
    // BENCH_APP_PROF=DIR: a CPU profile of this process (the core's side) during the batch.
    const appProf = process.env.BENCH_APP_PROF;
    const batchRun = (): ReturnType<typeof runBatch> => runBatch(core, clips, join(dir, 'out'));
    const { done: batch, told } = appProf
      ? await profileDuring(appProf, `core-${contender.key}`, batchRun)
      : await batchRun();
    if (process.env.BENCH_MARK) await access('/batch-end').catch(() => undefined);
    const cpu = cpuSince(before);
    const machine = machineBusySeconds() - machineBefore;
    let engine: CpuSeconds | null = null;
    if (engineCpu && engineBefore) {
      const engineAfter = engineCpu();
      engine = {
        self: engineAfter.self - engineBefore.self,
        children: engineAfter.children - engineBefore.children,
      };
      cpu.children += engine.self + engine.children;
    }
    return { batch, told, start, cpu, engine, machine, requests };
  } finally {
    await close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'bench-local-batch-'));
try {
  const clips: string[] = [];
  for (let i = 0; i < CLIPS; i++)
    clips.push(
      await makeVideo(dir, `clip-${i}.mp4`, { seconds: SECONDS, width: WIDTH, height: HEIGHT }),
    );
  const warmClip = await makeVideo(dir, 'warm.mp4', { seconds: 1, width: WIDTH, height: HEIGHT });
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
    `Local batch: ${CLIPS} clips (${WIDTH}×${HEIGHT}, ${SECONDS} s) → ${PRESET}, ${ROUNDS} round(s), ${availableParallelism()} CPU(s), ffmpeg: ${FFMPEG}`,
  );

  const directTimes = new Map<number, number[]>(LEVELS.map((n) => [n, []]));
  const directCpu = new Map<number, number[]>(LEVELS.map((n) => [n, []]));
  const directMachine = new Map<number, number[]>(LEVELS.map((n) => [n, []]));
  const appMachine = APP.map(() => [] as number[]);
  const appTimes = APP.map(() => [] as number[]);
  const appTold = APP.map(() => [] as number[]);
  const appCpu = APP.map(() => [] as number[]);
  const appRequests = APP.map(() => [] as number[]);
  /** The app's own CPU a job beside ffmpeg's: this process's and the engine's process's. */
  const appOwnCpu = APP.map(() => [] as number[]);
  const starts: number[] = [];
  const loads: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const forward = round % 2 === 0;
    const levels = forward ? LEVELS : [...LEVELS].reverse();
    const apps = forward ? APP.map((_, i) => i) : APP.map((_, i) => APP.length - 1 - i);
    loads.push(load());
    const line: string[] = [];
    for (const n of levels) {
      const before = cpuSeconds();
      const machineBefore = machineBusySeconds();
      const t = await direct(commands, n, dir);
      const cpu = cpuSince(before);
      const machine = machineBusySeconds() - machineBefore;
      directMachine.get(n)!.push(machine);
      directTimes.get(n)!.push(t);
      directCpu.get(n)!.push(cpu.self + cpu.children);
      line.push(
        `direct×${n} ${t.toFixed(2)} s (CPU ${(cpu.self + cpu.children).toFixed(2)} s, machine ${machine.toFixed(2)} s)`,
      );
    }
    for (const i of apps) {
      const { batch, told, start, cpu, engine, machine, requests } = await throughApp(
        clips,
        warmClip,
        APP[i]!,
        join(dir, `app-${round}-${i}`),
      );
      appTimes[i]!.push(batch);
      appTold[i]!.push(told);
      appMachine[i]!.push(machine);
      appCpu[i]!.push(cpu.self + cpu.children);
      appRequests[i]!.push(requests / CLIPS);
      appOwnCpu[i]!.push((cpu.self + (engine?.self ?? 0)) / CLIPS);
      starts.push(start);
      line.push(
        `${APP[i]!.label} ${batch.toFixed(2)} s (told ${told.toFixed(2)} s; CPU ${cpu.self.toFixed(2)} s here + ${cpu.children.toFixed(2)} s children` +
          (engine
            ? `: the engine's process ${engine.self.toFixed(2)} s, its ffmpeg and ffprobe ${engine.children.toFixed(2)} s)`
            : '') +
          `; machine ${machine.toFixed(2)} s)`,
      );
    }
    console.log(`round ${round + 1}, load ${loads[round]}: ${line.join(' · ')}`);
  }

  const own = (i: number): string =>
    `the app's own CPU beside ffmpeg's ${(median(appOwnCpu[i]!) * 1000).toFixed(0)} ms a job (this process and the engine's)`;
  if (LEVELS.length === 0) {
    APP.forEach((contender, i) =>
      console.log(
        `${contender.label}: ${median(appTimes[i]!).toFixed(2)} s median; ${own(i)}; ` +
          `${median(appRequests[i]!).toFixed(1)} requests to the engine a job`,
      ),
    );
  } else {
    const directMedian = LEVELS.map((n) => ({
      n,
      t: median(directTimes.get(n)!),
      cpu: median(directCpu.get(n)!),
    }));
    const best = directMedian.reduce((a, b) => (b.t < a.t ? b : a));
    /** Each round's fastest direct run: the app's time in a round over it is the paired ratio. */
    const roundBest = Array.from({ length: ROUNDS }, (_, r) =>
      Math.min(...LEVELS.map((n) => directTimes.get(n)![r]!)),
    );
    console.log(
      `direct, median: ${directMedian.map(({ n, t, cpu }) => `${n} at a time ${t.toFixed(2)} s (CPU ${cpu.toFixed(2)} s)`).join(', ')} → best ${best.n} at a time`,
    );
    APP.forEach((contender, i) => {
      const t = median(appTimes[i]!);
      const cpu = median(appCpu[i]!);
      console.log(
        `${contender.label}: ${t.toFixed(2)} s median → ${(t / best.t).toFixed(3)}× the best direct (goal ≤ 1.05×); ` +
          `paired with each round's best direct ${median(appTimes[i]!.map((x, r) => x / roundBest[r]!)).toFixed(3)}× (median); ` +
          `told by the change stream ${median(appTold[i]!).toFixed(2)} s → ${(median(appTold[i]!) / best.t).toFixed(3)}×; ` +
          `CPU ${cpu.toFixed(2)} s, ${(cpu / best.cpu).toFixed(2)}× the best direct's, ${(((cpu - best.cpu) / CLIPS) * 1000).toFixed(0)} ms a job more; ${own(i)}; ` +
          `the machine's busy CPU ${median(appMachine[i]!).toFixed(2)} s against ${median(directMachine.get(best.n)!).toFixed(2)} s; ` +
          `${median(appRequests[i]!).toFixed(1)} requests to the engine a job`,
      );
    });
  }
  console.log(
    `engine start (ffmpeg check included), median: ${median(starts).toFixed(2)} s; load average (1/5/15 min) at each round: ${loads.join(' · ')}; after: ${load()}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
