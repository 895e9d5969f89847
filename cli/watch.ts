/**
 * `renderio-convert watch DIR --preset ID`: the app's watch folders from the command line.
 * New files in DIR (and its sub-folders) are queued once they stop growing, converted into
 * --out (default DIR/converted, which the watch never reads), and reported one line each on
 * stdout. Runs until SIGINT or SIGTERM, which stop it cleanly (exit 0): with --data-dir, a
 * later run neither queues a file twice nor forgets the jobs still running.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeUnavailablePreset } from '../shared/presets';
import type { QueuePatch } from '../shared/jobs';
import { watchQueueOf } from '../electron/core/watch/queuePort';
import { createWatchService, type WatchService } from '../electron/core/watch/watchService';
import { chooseTarget, openCore, type CliHooks, type CliIo } from './convert';
import { CliError, EXIT, usageError } from './exitStatus';
import { checkFolder } from './inputChecks';
import { presetNote, shownPath, shownText } from './printable';

export async function watchCommand(args: string[], io: CliIo, hooks: CliHooks): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      preset: { type: 'string', short: 'p' },
      out: { type: 'string', short: 'o' },
      local: { type: 'boolean' },
      'api-base': { type: 'string' },
      ffmpeg: { type: 'string' },
      'data-dir': { type: 'string' },
      settle: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1)
    throw usageError('watch takes one folder: renderio-convert watch DIR --preset ID.');
  if (!values.preset) throw usageError('--preset is required (see `renderio-convert presets`).');
  const settleS = Number(values.settle ?? 3);
  if (!Number.isFinite(settleS) || settleS < 0.2 || settleS > 3600)
    throw usageError('--settle must be a number of seconds from 0.2 to 3600.');
  const folder = resolve(positionals[0]!);
  const outputDir = resolve(values.out ?? join(folder, 'converted'));
  await checkFolder('--out', outputDir);
  if (values['data-dir'] !== undefined) await checkFolder('--data-dir', values['data-dir']);
  const target = chooseTarget(values, io, true) ?? { kind: 'local' };

  const { core, dataDir, dispose } = await openCore(
    values,
    target,
    hooks,
    values.verbose === true,
    io,
  );
  let watch: WatchService | null = null;
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolveStop) => {
    stop = resolveStop;
  });
  const onSignal = (): void => {
    io.stderr('\nStopping the watch.\n');
    stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const preset = core.presets.get(values.preset);
    if (!preset)
      throw usageError(
        `Unknown preset "${shownText(values.preset)}" (see \`renderio-convert presets\`).`,
      );
    const unavailable = describeUnavailablePreset(preset);
    if (unavailable) throw new CliError(unavailable, EXIT.usage);
    watch = await createWatchService({
      dataDir: join(dataDir, 'cli-watch'),
      queue: watchQueueOf(core.queue),
      presetProblem: (id) => (core.presets.get(id) ? null : `Unknown preset "${shownText(id)}".`),
      stableMs: settleS * 1000,
      pollMs: Math.max(200, Math.min(2000, (settleS * 1000) / 3)),
    });
    // One watch per run: an earlier run's watch of the same folder and preset is taken up again.
    const earlier = watch.list().find((w) => w.presetId === values.preset);
    for (const w of watch.list()) if (w !== earlier) await watch.remove(w.id);
    if (earlier && earlier.outputDir !== outputDir) await watch.remove(earlier.id);
    const current =
      earlier && earlier.outputDir === outputDir && earlier.folder === folder
        ? await watch.setPaused(earlier.id, false)
        : await watch.add({ folder, presetId: values.preset, outputDir }).catch((error: Error) => {
            throw new CliError(shownText(error.message), EXIT.usage);
          });
    io.stderr(
      `Watching ${shownPath(current.folder)} with "${shownText(preset.name)}"; outputs go to ${shownPath(current.outputDir)}. Ctrl-C stops.\n`,
    );
    let lastProblem: string | null = null;
    watch.subscribe((list) => {
      const problem = list[0]?.problem ?? null;
      if (problem !== lastProblem)
        io.stderr(
          problem ? `${shownText(problem, true)}\n` : `Watching ${shownPath(folder)} again.\n`,
        );
      lastProblem = problem;
    });
    const reported = new Set<string>();
    const onPatches = (patches: QueuePatch[]): void => {
      for (const patch of patches) {
        if (patch.type !== 'upsert' || reported.has(`${patch.job.id}:${patch.job.stage}`)) continue;
        const job = patch.job;
        const source = shownPath(job.sourcePath);
        if (job.stage === 'queued') io.stderr(`queued ${source}\n`);
        else if (job.stage === 'done')
          for (const out of job.outputPaths)
            io.stdout(`${source} -> ${shownPath(out)}${presetNote(job)}\n`);
        else if (job.stage === 'failed')
          io.stdout(
            `${source} -> FAILED: ${shownText((job.error?.message ?? '').split('\n')[0] ?? '')}\n`,
          );
        else continue;
        reported.add(`${job.id}:${job.stage}`);
      }
    };
    const unsubscribe = core.queue.subscribe(onPatches);
    await watch.scanNow();
    await stopped;
    unsubscribe();
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await watch?.close();
    await dispose();
  }
}
