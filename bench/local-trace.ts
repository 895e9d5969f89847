/**
 * Where a job's time goes on this computer (prints, asserts nothing). A batch of short clips
 * runs through the app's core and the local engine as shipped (bench/local-batch.ts times the
 * whole batch against ffmpeg run directly); this one follows each job through the queue's
 * checkpoints and every child process started (ffmpeg, ffprobe), and prints per job:
 *
 *   wait upload   added → its upload starts (upload slots busy)
 *   upload        the bytes to the engine
 *   stored        uploaded → the queue sees STORED (the engine's ffprobe of the input, polls)
 *   wait lane     stored → submitted (the local lane full)
 *   engine queue  submitted → its ffmpeg starts (the engine's slots busy)
 *   ffmpeg        ffmpeg's own run
 *   seen done     ffmpeg exits → the queue sees SUCCESS (outputs moved and probed, the poll)
 *   download      SUCCESS → the output is in place
 *
 * then the engine's ffmpeg slots left idle while work remained, child processes per job, and
 * CPU per job (this process, and its children) against the same ffmpeg commands run directly.
 * Run: npx tsx bench/local-trace.ts [clips] [seconds] [preset] [--ffmpeg PATH --ffprobe PATH]
 *      (the same binaries for the direct runs and the engine; the packaged static builds cost a
 *      tenth of Debian's dynamically linked ones to start)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { children, installChildTrace } from './support/childTrace';
import { cpuSeconds, cpuSince } from './support/cpu';
import { median } from './support/stats';
import { runFfmpegDirect } from './support/directFfmpeg';
import { openCoreWithEngine } from '../tests/support/coreWithEngine';
import { undiciFetch } from '../electron/core/client/undiciFetch';
import type { Checkpoint } from '../electron/core/queue/ports';
import { probeMedia } from '../engine/ffmpeg/probe';
import { prepareFfmpegArgs } from '../shared/ffmpeg/argumentRules';
import { FINISHED_STAGES } from '../shared/jobs';
import { findPreset } from '../shared/presets';
import { makeVideo } from '../tests/support/media';

installChildTrace();

const { values: opts, positionals } = parseArgs({
  options: { ffmpeg: { type: 'string' }, ffprobe: { type: 'string' } },
  allowPositionals: true,
});
const CLIPS = Number(positionals[0] ?? 8);
const SECONDS = Number(positionals[1] ?? 3);
const PRESET = positionals[2] ?? 'mp4-h264';
const FFMPEG = opts.ffmpeg ?? 'ffmpeg';

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const ms = (s: number): string => `${Math.round(s)} ms`;

const runFfmpeg = (args: string[], cwd: string): Promise<void> =>
  runFfmpegDirect(FFMPEG, args, cwd);

const dir = await mkdtemp(join(tmpdir(), 'bench-local-trace-'));
try {
  const clips: string[] = [];
  for (let i = 0; i < CLIPS; i++)
    clips.push(
      await makeVideo(dir, `clip-${i}.mp4`, { seconds: SECONDS, width: 320, height: 240 }),
    );
  const preset = findPreset(PRESET);
  if (!preset?.ffmpegCommand) throw new Error(`no single-command preset ${PRESET}`);
  const extension = preset.outputs[0]!.extension;
  console.log(
    `Local trace: ${CLIPS} clips (320×240, ${SECONDS} s) → ${PRESET}, ${availableParallelism()} CPU(s), load ${load()}`,
  );

  // The floor: the same ffmpeg commands, one by one, and what one probe costs.
  const directCpu = cpuSeconds();
  const directStart = performance.now();
  for (const [i, clip] of clips.entries())
    await runFfmpeg(
      [
        '-nostdin',
        '-y',
        ...prepareFfmpegArgs(preset.ffmpegCommand, (alias) =>
          alias === 'in_file' ? clip : join(dir, `direct-${i}.${extension}`),
        ),
      ],
      dir,
    );
  const directWall = (performance.now() - directStart) / 1000;
  const direct = cpuSince(directCpu);
  const probeCpu = cpuSeconds();
  const probeStart = performance.now();
  for (const clip of clips)
    await probeMedia(clip, opts.ffprobe ? { ffprobePath: opts.ffprobe } : {});
  const probeWall = (performance.now() - probeStart) / CLIPS;
  const probe = cpuSince(probeCpu);
  console.log(
    `direct ffmpeg, one by one: ${directWall.toFixed(2)} s, CPU ${ms((direct.children * 1000) / CLIPS)} a clip · ` +
      `one ffprobe (the engine's): ${ms(probeWall)} wall, ${ms((probe.children * 1000) / CLIPS)} CPU (children) + ${ms((probe.self * 1000) / CLIPS)} here`,
  );

  // The app's path, as shipped.
  const marks = new Map<string, Partial<Record<Checkpoint | 'added', number>>>();
  const { core, close } = await openCoreWithEngine({
    dataDir: join(dir, 'app'),
    cipher: null,
    fetch: undiciFetch,
    env: {},
    activateLocalEngine: true,
    engineOptions: {
      ...(opts.ffmpeg ? { ffmpegPath: opts.ffmpeg } : {}),
      ...(opts.ffprobe ? { ffprobePath: opts.ffprobe } : {}),
    },
    settingsOverrides: { cleanupRemote: true },
    checkpoint: (name, job) => {
      const m = marks.get(job.id) ?? {};
      m[name] ??= performance.now();
      marks.set(job.id, m);
    },
  });
  const slots = core.localEngine()?.commandSlots ?? 1;
  const firstChild = children.length;
  const appCpu = cpuSeconds();
  const started = performance.now();
  let added: string[] = [];
  let wall = 0;
  let app = { self: 0, children: 0 };
  let jobs: NonNullable<ReturnType<typeof core.queue.get>>[] = [];
  try {
    ({ added } = await core.queue.add({
      paths: clips,
      presetId: PRESET,
      outputDir: join(dir, 'out'),
      collision: 'overwrite',
      mirrorTree: false,
    }));
    for (const id of added) marks.set(id, { added: started, ...marks.get(id) });
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        const stages = added.map((id) => core.queue.stageOf(id));
        if (stages.some((s) => s === 'failed')) reject(new Error('a job failed'));
        if (stages.every((s) => s !== undefined && FINISHED_STAGES.includes(s))) {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = core.queue.subscribe(check);
      check();
    });
  } finally {
    wall = (performance.now() - started) / 1000;
    app = cpuSince(appCpu);
    jobs = added.map((id) => core.queue.get(id)!);
    await close();
  }
  const spawned = children.slice(firstChild);
  const ffmpegRuns = spawned.filter((c) => c.program === 'ffmpeg');

  const rows: Record<string, number[]> = {
    'wait upload': [],
    upload: [],
    stored: [],
    'wait lane': [],
    'engine queue': [],
    ffmpeg: [],
    'seen done': [],
    download: [],
    'whole job': [],
  };
  for (const job of jobs) {
    const m = marks.get(job.id)!;
    const run = ffmpegRuns.find((c) => c.cwd?.includes(job.remote.commandId ?? '?'));
    const push = (row: string, a: number | undefined, b: number | undefined | null): void => {
      if (a !== undefined && b !== undefined && b !== null) rows[row]!.push(b - a);
    };
    push('wait upload', m.added, m['upload-started']);
    push('upload', m['upload-started'], m.uploaded);
    push('stored', m.uploaded, m.stored);
    // The submit's answer may come after ffmpeg has started: the engine starts it at once.
    const submitted = Math.min(m['submit-answered'] ?? Infinity, run?.start ?? Infinity);
    push('wait lane', m.stored, Number.isFinite(submitted) ? submitted : undefined);
    push('engine queue', submitted, run?.start);
    push('ffmpeg', run?.start, run?.end);
    push('seen done', run?.end ?? undefined, m.succeeded);
    push('download', m.succeeded, m.done);
    push('whole job', m.added, m.done);
  }
  console.log(
    `\napp as shipped (engine ${slots} at once, local lane ${2 * slots}): ${wall.toFixed(2)} s for ${CLIPS} jobs, load ${load()}`,
  );
  console.log('per job (median · max):');
  for (const [row, xs] of Object.entries(rows))
    if (xs.length > 0)
      console.log(`  ${row.padEnd(13)} ${ms(median(xs)).padStart(8)} · ${ms(Math.max(...xs))}`);

  // Engine slots idle: between the first ffmpeg start and the last exit, slot-time with no ffmpeg.
  const first = Math.min(...ffmpegRuns.map((c) => c.start));
  const last = Math.max(...ffmpegRuns.map((c) => c.end ?? c.start));
  const busy = ffmpegRuns.reduce((t, c) => t + ((c.end ?? c.start) - c.start), 0);
  const idle = slots * (last - first) - busy;
  console.log(
    `engine slots: ${((busy / (slots * (last - first))) * 100).toFixed(0)} % busy from the first ffmpeg to the last; ` +
      `${ms(idle / CLIPS)} of slot time idle a job; before the first ffmpeg ${ms(first - started)}, after the last ${ms(started + wall * 1000 - last)}`,
  );
  const byProgram = new Map<string, number>();
  for (const c of spawned) byProgram.set(c.program, (byProgram.get(c.program) ?? 0) + 1);
  console.log(
    `child processes a job: ${[...byProgram].map(([p, n]) => `${p} ${(n / CLIPS).toFixed(1)}`).join(', ')}`,
  );
  const probes = spawned.filter((c) => c.program === 'ffprobe');
  if (probes.length > 0)
    console.log(
      `ffprobe wall (median): ${ms(median(probes.map((c) => (c.end ?? c.start) - c.start)))}`,
    );
  const perJob = (s: number): string => ms((s * 1000) / CLIPS);
  const extra = app.self + app.children - direct.children;
  console.log(
    `CPU a job: this process (queue + engine) ${perJob(app.self)}, children ${perJob(app.children)} ` +
      `(direct ffmpeg ${perJob(direct.children)}) → ${perJob(extra)} a job more than ffmpeg alone ` +
      `(${((app.self + app.children) / direct.children).toFixed(2)}× the CPU)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
