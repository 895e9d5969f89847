/**
 * The command-line front end over the same core as the app: `renderio-convert convert ...` adds
 * the paths to the queue (createAppCore), waits for its jobs and prints a summary; `presets`
 * lists presets. The key comes from RENDERIO_API_KEY only, never from argv (argv is visible to
 * every user of the machine). Progress goes to stderr, results to stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppCore, type AppCore, type AppCoreOptions } from '../electron/core/appCore';
import { undiciFetch } from '../electron/core/client/undiciFetch';
import type { FetchLike } from '../electron/core/ports';
import type { Job, JobStage, OfflineState, QueuePatch } from '../shared/jobs';
import { FINISHED_STAGES } from '../shared/jobs';
import { DEFAULT_CLOUD_BASE_URL } from '../shared/renderioApi';
import { describeUnavailablePreset } from '../shared/presets';
import { createLogger, redact } from '../shared/redact';
import type { LocalEngineLink } from '../shared/localEngine';
import { startLocalEngine } from '../engine/localEngine';
import type { EngineHandle, EngineOptions } from '../engine/index';
import { CliError, EXIT, EXIT_STATUS_HELP, usageError } from './exitStatus';
import { checkApiBase, checkFolder, checkKeyFormat, folderWriteProblem } from './inputChecks';
import { presetNote, shownPath, shownText } from './printable';
import { expandPaths } from '../electron/core/files/expandPaths';
import { outputDirOf } from '../electron/core/queue/phases/outputNames';
import { presetsFileCommand } from './presetsFile';
import { stageLabel } from './progressLine';
import { describeRefusedCustomPreset } from './refusedCustomPreset';
import { watchCommand } from './watch';
import type { LocalFfmpeg } from '../shared/ffmpegTypes';
import { presetAvailability } from '../shared/node/ffmpeg';
import type { MediaKind, Preset } from '../shared/presetTypes';

export const USAGE = `Usage:
  renderio-convert convert <files or folders...> --preset ID [--out DIR]
                   [--local | --api-base URL] [--concurrency N] [--ffmpeg PATH]
                   [--name TEMPLATE] [--collision rename|overwrite|skip] [--flat]
                   [--keep-remote] [--data-dir DIR] [--quiet] [--verbose]
  renderio-convert presets [--local | --api-base URL] [--json] [--data-dir DIR]
  renderio-convert presets export --data-dir DIR     (custom presets as JSON on stdout)
  renderio-convert presets import FILE --data-dir DIR (all or nothing)
  renderio-convert watch DIR --preset ID [--out DIR] [--local | --api-base URL]
                   [--data-dir DIR]   (queues new files until Ctrl-C)

  --preset ID       a preset id from \`renderio-convert presets\`
  --out DIR         output folder (default: next to each source file)
  --local           run on this computer: start the local engine (needs ffmpeg)
  --api-base URL    RenderIO API base (default ${DEFAULT_CLOUD_BASE_URL}); key from RENDERIO_API_KEY
  --concurrency N   uploads, commands and downloads at once (default 2 each)
  --ffmpeg PATH     with --local: the ffmpeg to run (a file or its folder; ffprobe beside it);
                    default FFMPEG_PATH, then PATH and the usual install folders
  --name TEMPLATE   output name: {name} {format} {preset} {ext} {date} (default {name}-{format})
  --collision P     when the output exists: rename (default), overwrite, skip
  --flat            do not recreate dropped folders' trees under --out
  --keep-remote     keep the uploaded input and outputs on RenderIO
  --data-dir DIR    keep the queue here: run the same command again to resume
  --again           convert again files this --data-dir has converted with the same settings
  --quiet           no progress lines, only the summary
  --verbose         also the core's log lines (redacted)

The API key is read from the RENDERIO_API_KEY environment variable only.

${EXIT_STATUS_HELP}`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress line redrawn in place). */
  isTty: boolean;
}

/** Extra wiring for tests (a checkpoint hook); not reachable from the command line. */
export type CliHooks = Pick<AppCoreOptions, 'checkpoint' | 'pollPolicy'> & {
  /** The transport instead of the CLI's own (undiciFetch). */
  fetch?: FetchLike;
  /** Engine settings (faults, limits) for --local runs under test. */
  engineOptions?: Partial<Omit<EngineOptions, 'dataDir' | 'port' | 'apiKeys'>>;
};

/** How long the API may stay unreachable before a run gives up (exit 4). */
const DEFAULT_OFFLINE_TIMEOUT_S = 60;

const KEY_REFUSED =
  'The API refused the key in RENDERIO_API_KEY (401). Set a valid key and run again.\n';

/** The --data-dir folder, or a temporary one that `discard` removes (a run without resume). */
async function dataDirFor(
  flag: string | undefined,
): Promise<{ dataDir: string; discard(): Promise<void> }> {
  if (flag !== undefined) return { dataDir: resolve(flag), discard: async () => undefined };
  const dataDir = await mkdtemp(join(tmpdir(), 'renderio-convert-'));
  // Retried (Node's rm retries ENOTEMPTY and EBUSY with a growing wait): once, in CI, a file
  // still being written into the folder after the core and the engine had closed made rmdir fail
  // and a successful conversion exit with 1. That writer was the queue's list of results,
  // recorded after close for a job whose 'done' the throttle still held (fixed in jobQueue's
  // close, tests/integration/queue/queueRun.test.ts); the retries stay for what is not ours
  // (a virus scanner or an indexer opening a file in it).
  return {
    dataDir,
    discard: () => rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }),
  };
}

/** Where jobs run: the local engine, or an API with the key from RENDERIO_API_KEY. */
export type Target = { kind: 'local' } | { kind: 'cloud'; key: string; baseUrl: string };

/**
 * The target the flags and the environment name, with the key and the API address checked:
 * a bad address is a usage error, a malformed key is refused before anything is sent.
 * `needsKey`: whether a cloud target without a key is an error (convert) or no target
 * (presets, which then lists what needs no API).
 */
export function chooseTarget(
  values: { local?: boolean; 'api-base'?: string },
  io: CliIo,
  needsKey: boolean,
): Target | null {
  if (values.local && values['api-base'] !== undefined)
    throw usageError('Use either --local or --api-base, not both.');
  const flagBase =
    values['api-base'] === undefined ? undefined : checkApiBase('--api-base', values['api-base']);
  if (values.local) return { kind: 'local' };
  const key = io.env.RENDERIO_API_KEY;
  if (key === undefined || key === '') {
    if (flagBase === undefined) return needsKey ? { kind: 'local' } : null;
    if (!needsKey) return null;
    throw usageError(
      'Set RENDERIO_API_KEY to use the RenderIO API (or use --local to convert on this computer).',
    );
  }
  checkKeyFormat(key);
  const envBase = io.env.RENDERIO_BASE_URL;
  const baseUrl =
    flagBase ??
    (envBase === undefined || envBase === ''
      ? DEFAULT_CLOUD_BASE_URL
      : checkApiBase('RENDERIO_BASE_URL', envBase));
  return { kind: 'cloud', key, baseUrl };
}

/** The vault's environment for a cloud profile: the key, and the API base it is used with. */
function cloudEnv(target: Target | null): Record<string, string | undefined> {
  return target?.kind === 'cloud'
    ? { RENDERIO_API_KEY: target.key, RENDERIO_BASE_URL: target.baseUrl }
    : {};
}

export async function openCore(
  values: {
    'data-dir'?: string;
    concurrency?: string;
    'keep-remote'?: boolean;
    ffmpeg?: string;
  },
  target: Target,
  hooks: CliHooks,
  verbose: boolean,
  io: CliIo,
): Promise<{ core: AppCore; dataDir: string; dispose: () => Promise<void> }> {
  const local = target.kind === 'local';
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
      throw usageError('--concurrency must be a whole number from 1 to 32.');
  }
  const { dataDir, discard } = await dataDirFor(values['data-dir']);
  // --local: the CLI starts the local engine in its own process and hands the core its link.
  let engine: EngineHandle | null = null;
  try {
    let localEngine: LocalEngineLink | null = null;
    if (local) {
      const started = await startLocalEngine({
        dataDir: join(dataDir, 'engine'),
        ...(concurrency ? { concurrency } : {}),
        // The same search as the app's (shared/node/ffmpeg), from this process's environment.
        ...(values.ffmpeg ? { ffmpegPath: resolve(values.ffmpeg) } : {}),
        ffmpegSearch: { env: io.env },
        logger: createLogger('engine', (level, line) => {
          if (verbose) io.stderr(`${level}: ${line}\n`);
          else if (level === 'error') io.stderr(`${line}\n`);
        }),
        ...hooks.engineOptions,
      });
      engine = started.handle;
      localEngine = started.link;
    }
    const core = await createAppCore({
      dataDir,
      cipher: null,
      env: cloudEnv(target),
      localEngine,
      activateLocalEngine: local,
      settingsOverrides: {
        ...(concurrency
          ? { concurrency: { uploads: concurrency, remote: concurrency, downloads: concurrency } }
          : {}),
        cleanupRemote: values['keep-remote'] !== true,
      },
      logSink: verbose
        ? (level, line) => io.stderr(`${level}: ${line}\n`)
        : (level, line) => {
            if (level === 'error') io.stderr(`${line}\n`);
          },
      checkpoint: hooks.checkpoint,
      pollPolicy: hooks.pollPolicy,
      fetch: hooks.fetch ?? undiciFetch,
      throttleMs: 200,
    });
    const running = engine;
    return {
      core,
      dataDir,
      dispose: async () => {
        await core.close();
        await running?.close();
        await discard();
      },
    };
  } catch (error) {
    await engine?.close().catch(() => undefined);
    await discard();
    throw error;
  }
}

async function presetsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      local: { type: 'boolean' },
      'api-base': { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
    allowPositionals: false,
  });
  // Built-in and custom presets need no engine; account presets need the API and a key.
  const target = chooseTarget(values, io, false);
  const wantsAccount = target?.kind === 'cloud';
  if (values['data-dir'] !== undefined) await checkFolder('--data-dir', values['data-dir']);
  const { dataDir, discard } = await dataDirFor(values['data-dir']);
  const core = await createAppCore({
    dataDir,
    cipher: null,
    fetch: undiciFetch,
    env: cloudEnv(target),
    autoStart: false,
  }).catch(async (error: unknown) => {
    await discard();
    throw error;
  });
  try {
    if (wantsAccount) {
      try {
        await core.presets.refreshAccount();
      } catch (error) {
        io.stderr(`Account presets could not be listed: ${redact((error as Error).message)}\n`);
      }
    }
    const list = core.presets.list();
    if (values.json) {
      io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      return EXIT.ok;
    }
    const width = Math.max(...list.map((p) => p.id.length));
    for (const p of list) {
      const outputs = p.outputs.map((o) => `.${o.extension}`).join(' ');
      // Listed so the person sees it, marked so they know why it cannot be used.
      const unavailable = p.unavailable ? `  UNAVAILABLE: ${shownText(p.unavailable, true)}` : '';
      io.stdout(
        `${shownText(p.id).padEnd(width)}  ${shownText(p.name)}  [${p.accepts.join('/')} → ${outputs}]${p.source === 'built-in' ? '' : ` (${p.source})`}${unavailable}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await core.close();
    await discard();
  }
}

async function convertCommand(args: string[], io: CliIo, hooks: CliHooks): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      preset: { type: 'string', short: 'p' },
      out: { type: 'string', short: 'o' },
      local: { type: 'boolean' },
      'api-base': { type: 'string' },
      concurrency: { type: 'string', short: 'j' },
      ffmpeg: { type: 'string' },
      name: { type: 'string' },
      collision: { type: 'string' },
      flat: { type: 'boolean' },
      'keep-remote': { type: 'boolean' },
      'data-dir': { type: 'string' },
      'offline-timeout': { type: 'string' },
      again: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      verbose: { type: 'boolean', short: 'v' },
    },
    allowPositionals: true,
  });
  if (!values.preset) throw usageError('--preset is required (see `renderio-convert presets`).');
  const offlineTimeoutS = Number(values['offline-timeout'] ?? DEFAULT_OFFLINE_TIMEOUT_S);
  if (!Number.isFinite(offlineTimeoutS) || offlineTimeoutS < 1 || offlineTimeoutS > 86_400)
    throw usageError('--offline-timeout must be a number of seconds from 1 to 86400.');
  if (values.collision !== undefined && !['rename', 'overwrite', 'skip'].includes(values.collision))
    throw usageError('--collision must be rename, overwrite or skip.');
  const resuming = values['data-dir'] !== undefined;
  if (positionals.length === 0 && !resuming)
    throw usageError('Name at least one file or folder to convert.');
  const target = chooseTarget(values, io, true) ?? { kind: 'local' };
  // Before anything is uploaded: a folder that cannot be used would fail every job at the end.
  if (values.out !== undefined) await checkFolder('--out', values.out);
  if (values['data-dir'] !== undefined) await checkFolder('--data-dir', values['data-dir']);

  const { core, dispose } = await openCore(values, target, hooks, values.verbose === true, io);
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    io.stderr('\nStopping; run the same command with --data-dir to resume.\n');
    void core.queue.close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (values.preset.startsWith('account-') && !core.presets.get(values.preset)) {
      // Account presets are listed from the API of the profile the jobs run on.
      try {
        await core.presets.refreshAccount();
      } catch (error) {
        if ((error as { kind?: unknown }).kind === 'auth') {
          io.stderr(KEY_REFUSED);
          return EXIT.keyRefused;
        }
        io.stderr(`Account presets could not be listed: ${redact((error as Error).message)}\n`);
      }
    }
    const preset = core.presets.get(values.preset);
    if (!preset) {
      // A saved custom preset the library left out: say what is wrong with it.
      const refused =
        values['data-dir'] === undefined
          ? null
          : await describeRefusedCustomPreset(resolve(values['data-dir']), values.preset);
      if (refused) throw new CliError(refused, EXIT.usage);
      throw usageError(
        `Unknown preset "${shownText(values.preset)}" (see \`renderio-convert presets\`).`,
      );
    }
    const unavailable = describeUnavailablePreset(preset);
    if (unavailable)
      // Refused before anything is queued or uploaded; the usage text would not help here.
      throw new CliError(
        `${unavailable}\nChoose another preset (see \`renderio-convert presets\`).`,
        EXIT.usage,
      );
    const link = core.localEngine();
    const localRefusal = link ? refuseOnLocalFfmpeg(link.ffmpeg, preset) : null;
    if (localRefusal) throw new CliError(localRefusal.message, localRefusal.exitCode);
    // Without --out each output goes next to its source: a folder that cannot be written would
    // fail its job only after the whole conversion. Checked as --out is, before anything runs.
    if (values.out === undefined && positionals.length > 0) {
      const problem = await sourceFolderProblem(positionals, preset, core.kindOf);
      if (problem) throw new CliError(problem, EXIT.usage);
    }
    const result =
      positionals.length > 0
        ? await core.queue.add({
            paths: positionals,
            presetId: values.preset,
            outputDir: values.out === undefined ? null : resolve(values.out),
            nameTemplate: values.name,
            collision: values.collision as 'rename' | 'overwrite' | 'skip' | undefined,
            mirrorTree: values.flat !== true,
            again: values.again === true,
            // The person named the preset: a file it cannot take is refused with the reason,
            // not converted with its kind's default (the window shows that swap on the row; a
            // line here would only say "converted").
            kindDefault: false,
          })
        : { added: [], rejected: [], alreadyDone: [] };
    // Converted by an earlier run with the same settings: reported, never converted twice.
    for (const d of result.alreadyDone)
      for (const path of d.outputPaths)
        io.stdout(`${shownPath(d.path)} -> ${shownPath(path)} (already converted)\n`);
    const already =
      result.alreadyDone.length > 0
        ? `${result.alreadyDone.length} already converted; --again to convert ${result.alreadyDone.length === 1 ? 'it' : 'them'} again`
        : '';
    // Jobs of an earlier, interrupted run with the same --data-dir continue too.
    const tracked = new Set(
      core.queue
        .snapshot()
        .jobs.filter((j) => !FINISHED_STAGES.includes(j.stage))
        .map((j) => j.id),
    );
    for (const id of result.added) tracked.add(id);
    const resumed = tracked.size - result.added.length;
    for (const r of result.rejected) {
      if (r.reason === 'already in the queue') continue;
      io.stderr(`skipped ${shownPath(r.path)}: ${shownText(r.reason, true)}\n`);
    }
    if (!values.quiet) {
      io.stderr(
        `${result.added.length} file(s) queued${resumed > 0 ? `, ${resumed} resumed from an earlier run` : ''}.\n`,
      );
    }
    if (tracked.size === 0) {
      if (positionals.length === 0 || result.alreadyDone.length > 0) {
        if (already) {
          io.stderr(`${already}.\n`);
          return EXIT.ok;
        }
        // Only resuming, and the earlier run had finished: nothing was asked that failed.
        io.stderr('Nothing left to resume.\n');
        return EXIT.ok;
      }
      io.stderr(
        result.rejected.length > 0
          ? 'Nothing to convert.\n'
          : 'Nothing to convert: no files were found in what was named.\n',
      );
      return EXIT.failed;
    }

    const total = tracked.size;
    const lastStage = new Map<string, JobStage>();
    let keyRefused = false;
    // Set while the queue cannot reach its API (it retries, and says so); past the limit, stop.
    let offline: OfflineState | null = core.queue.snapshot().offline;
    let gaveUp: OfflineState | null = null;
    let lastLine = 0;
    const finished = (): boolean => {
      for (const id of tracked) {
        const stage = core.queue.stageOf(id);
        if (stage && !FINISHED_STAGES.includes(stage)) return false;
      }
      return true;
    };
    // What the progress line shows, kept from the patches (no copies of the whole queue).
    const live = new Map<string, Pick<Job, 'sourceName' | 'stage' | 'progress'>>();
    await new Promise<void>((resolveDone) => {
      let over = false;
      let poll: ReturnType<typeof setInterval> | undefined;
      let unsubscribe = (): void => undefined;
      // Patches end the wait as the last job finishes; the poll is the backstop when no patch
      // comes (after a signal, say).
      const endIfOver = (): void => {
        if (offline && Date.now() - offline.since >= offlineTimeoutS * 1000) gaveUp = offline;
        if (over || !(keyRefused || interrupted || gaveUp || finished())) return;
        over = true;
        clearInterval(poll);
        unsubscribe();
        resolveDone();
      };
      const stageLine = (id: string, sourceName: string, stage: JobStage, detail = ''): void => {
        if (values.quiet || lastStage.get(id) === stage) return;
        lastStage.set(id, stage);
        if (io.isTty) io.stderr('\r\x1b[K');
        io.stderr(`${shownPath(sourceName)}: ${stage}${detail}\n`);
      };
      const check = (patches: QueuePatch[]): void => {
        for (const patch of patches) {
          if (patch.type === 'queue') {
            if (patch.offline && !offline && !values.quiet) {
              if (io.isTty) io.stderr('\r\x1b[K');
              io.stderr(
                `${shownText(patch.offline.message)}; retrying (giving up after ${offlineTimeoutS} s)\n`,
              );
            }
            offline = patch.offline;
          }
          if (patch.type === 'progress') {
            const known = live.get(patch.id);
            if (known) {
              live.set(patch.id, { ...known, stage: patch.stage, progress: patch.progress });
              // A stage change can arrive with the bytes only (the job itself did not change).
              stageLine(patch.id, known.sourceName, patch.stage);
            }
          }
          if (patch.type !== 'upsert' || !tracked.has(patch.job.id)) continue;
          const job = patch.job;
          if (FINISHED_STAGES.includes(job.stage) || job.stage === 'queued') live.delete(job.id);
          else
            live.set(job.id, {
              sourceName: job.sourceName,
              stage: job.stage,
              progress: job.progress,
            });
          if (job.stage === 'waiting-for-key') keyRefused = true;
          stageLine(
            job.id,
            job.sourceName,
            job.stage,
            job.stage === 'failed' && job.error
              ? `: ${shownText(job.error.message.split('\n')[0] ?? '')}`
              : '',
          );
        }
        if (!values.quiet && io.isTty && Date.now() - lastLine > 250) {
          lastLine = Date.now();
          const running = [...live.values()].map(
            (j) => `${shownPath(j.sourceName)} ${stageLabel(j)}`,
          );
          let finishedCount = 0;
          for (const id of tracked)
            if (FINISHED_STAGES.includes(core.queue.stageOf(id) ?? 'done')) finishedCount++;
          io.stderr(`\r\x1b[K[${finishedCount}/${total}] ${running.join(' | ').slice(0, 150)}`);
        }
        endIfOver();
      };
      unsubscribe = core.queue.subscribe(check);
      // Jobs may all be finished already (a resumed run whose work was done).
      check([]);
      if (!over) poll = setInterval(endIfOver, 500);
      // Once nothing is left to run, the patches the throttle holds go now: the last job's
      // lines are printed and the wait ends as it finishes, not up to an interval later.
      if (!over) void core.queue.whenIdle().then(() => core.queue.flushChanges());
    });
    if (io.isTty && !values.quiet) io.stderr('\r\x1b[K');
    if (keyRefused) {
      io.stderr(KEY_REFUSED);
      return EXIT.keyRefused;
    }
    if (interrupted) return EXIT.interrupted;
    if (gaveUp !== null) {
      const reached: OfflineState = gaveUp;
      io.stderr(
        `renderio-convert: ${shownText(reached.message)}; gave up after ${offlineTimeoutS} s ` +
          `(--offline-timeout). ${resuming ? 'Run the same command again to resume.' : 'Run it again with --data-dir DIR to be able to resume.'}\n`,
      );
      return EXIT.unreachable;
    }

    let failed = 0;
    let done = 0;
    // Done, but every output already existed and --collision skip left it alone: not converted.
    let kept = 0;
    for (const id of tracked) {
      const job = core.queue.get(id);
      if (!job) continue;
      const source = shownPath(job.sourcePath);
      if (job.stage === 'done') {
        const note = presetNote(job);
        for (const path of job.outputPaths) io.stdout(`${source} -> ${shownPath(path)}${note}\n`);
        for (const existing of skippedOutputs(job))
          io.stdout(`${source} -> (skipped: ${existing} exists)\n`);
        // Converted, but worth a look (much shorter than its source): said beside the result
        // on stderr, so stdout stays one line per output for scripts.
        if (job.warning) io.stderr(`warning ${source}: ${shownText(job.warning)}\n`);
        if (job.outputPaths.length > 0) done++;
        else kept++;
      } else {
        failed++;
        const reason = (job.error?.message ?? job.stage).split('\n').slice(0, 3).join(' ');
        io.stdout(`${source} -> FAILED: ${shownText(reason)}\n`);
      }
    }
    const refused = result.rejected.filter((r) => r.reason !== 'already in the queue').length;
    io.stderr(
      `${done} converted, ${kept > 0 ? `${kept} skipped (output exists), ` : ''}${failed} failed${refused > 0 ? `, ${refused} skipped` : ''}${already ? `, ${already}` : ''}.\n`,
    );
    return failed > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await dispose();
  }
}

/**
 * The outputs of a finished job that --collision skip did not write (a file was there), as
 * printed: the existing file's path when the job recorded its name, else "output".
 */
function skippedOutputs(job: Job): string[] {
  const outputs = job.remote.outputs ?? [];
  const skipped = outputs.filter((o) => o.localPath === null);
  if (skipped.length === 0 && job.outputPaths.length === 0) return ['output'];
  return skipped.map((o) =>
    o.localName ? shownPath(join(outputDirOf(job), o.localName)) : 'output',
  );
}

/**
 * Without --out: the first source folder that would receive an output but cannot be written,
 * said as the refusal ("Cannot write next to clip.mp4: /media/ro is on a read-only disk. Use
 * --out DIR."), or null. Only files the preset takes count: the others are skipped anyway.
 */
async function sourceFolderProblem(
  paths: string[],
  preset: Preset,
  kindOf: (fileName: string) => MediaKind | null,
): Promise<string | null> {
  const { files } = await expandPaths(paths, { kindOf });
  const firstIn = new Map<string, string>();
  for (const file of files)
    if (preset.accepts.includes(file.mediaKind) && !firstIn.has(dirname(file.path)))
      firstIn.set(dirname(file.path), file.path);
  for (const [folder, file] of firstIn) {
    const problem = await folderWriteProblem(folder);
    if (problem)
      return `Cannot write next to ${shownPath(basename(file))}: ${shownPath(folder)} ${problem}. Use --out DIR.`;
  }
  return null;
}

/**
 * With --local: why nothing can start on this computer (no usable ffmpeg), or why this preset
 * cannot (this ffmpeg lacks what it needs); null when it can run. Said before anything is queued.
 */
function refuseOnLocalFfmpeg(
  local: LocalFfmpeg,
  preset: Preset,
): { message: string; exitCode: number } | null {
  if (!local.available)
    return {
      message: `Cannot convert on this computer: ${local.problem.message}\nUse --ffmpeg PATH to name an ffmpeg.`,
      exitCode: 1,
    };
  const verdict = presetAvailability(preset, local.capabilities);
  if (verdict.available) return null;
  // As for a preset that cannot be used at all: a usage problem, the person picks another.
  return {
    message: `"${shownText(preset.name)}" cannot run on this computer: ${verdict.reason} (${local.summary}).\nChoose another preset, or use --ffmpeg PATH to name a fuller ffmpeg.`,
    exitCode: 2,
  };
}

/** Runs the CLI; resolves to the exit status. */
export async function runCli(argv: string[], io: CliIo, hooks: CliHooks = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'convert') return await convertCommand(rest, io, hooks);
    if (command === 'presets' && (rest[0] === 'export' || rest[0] === 'import'))
      return await presetsFileCommand(rest[0], rest.slice(1), io);
    if (command === 'presets') return await presetsCommand(rest, io);
    if (command === 'watch') return await watchCommand(rest, io, hooks);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    throw usageError(`Unknown command "${command}".`);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${redact(error.message)}\n${error.showUsage ? `\n${USAGE}\n` : ''}`);
      return error.exitCode;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${redact((error as Error).message)}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    io.stderr(
      `renderio-convert: ${redact(error instanceof Error ? error.message : String(error))}\n`,
    );
    return EXIT.failed;
  }
}
