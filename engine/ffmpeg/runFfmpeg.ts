/**
 * Runs ffmpeg with an argument array (never a shell), reports progress from `-progress
 * pipe:1`, enforces a time limit, a stall limit and an abort signal, and keeps only a bounded
 * tail of stderr for the error message.
 */
import { spawn } from 'node:child_process';
import { redact } from '../../shared/redact';
import { ProgressMotion, ProgressParser, progressFraction } from './progress';
import { StderrNotices } from './stderrNotices';
import { stillWriting, writeSampleMs } from './stillWriting';

export interface RunFfmpegOptions {
  args: string[];
  cwd: string;
  timeoutMs?: number;
  /**
   * Stop ffmpeg once its progress counters have not moved for this long (ProgressMotion), the
   * time before its first progress block included, and no file in `cwd` is being written
   * either (stillWriting.ts: an index moved after the last block); unset or 0: never. A hung ffmpeg (an input
   * that never delivers, a filter graph that waits on itself) otherwise holds its slot until the
   * time limit, a week for the app's engine, with the job at the same percentage throughout.
   */
  stallMs?: number;
  durationSeconds?: number | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  ffmpegPath?: string;
}

export interface RunFfmpegResult {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** Stopped because its progress did not move for `stallMs`. */
  stalled: boolean;
  aborted: boolean;
  /** Last ~20 lines of stderr, redacted. */
  stderrTail: string;
  /**
   * ffmpeg's warnings and errors from the whole run, redacted: what explains an output that is
   * missing or empty although ffmpeg exited 0.
   */
  notices: string[];
  runSeconds: number;
}

const TAIL_LINES = 20;
/** Bytes of stderr kept while running: enough for 20 long lines, bounded however chatty. */
const TAIL_BYTES = 16 * 1024;
/** Time between SIGTERM (ffmpeg finishes its files) and SIGKILL. */
const KILL_GRACE_MS = 2000;
/** At most this many progress callbacks per second (the last one, 1, always comes). */
const PROGRESS_INTERVAL_MS = 200;
/** setTimeout's largest delay; a longer one fires at once. A stall limit beyond it means none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** "10 minutes", "1 minute", "90 seconds", "1.5 seconds": a stall limit in words. */
export function durationInWords(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) {
    const minutes = ms / 60_000;
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** Why a stalled run was stopped; `step` names it in a chain (" (step 2 of 3)"). */
export function stalledMessage(stallMs: number, step = ''): string {
  return `ffmpeg${step} made no progress for ${durationInWords(stallMs)} and was stopped`;
}

/**
 * The environment ffmpeg gets: the engine's, minus anything that could carry a secret
 * (ffmpeg has no use for it) and FFREPORT (which would write a log file anywhere).
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i.test(key) || /ffsk_/i.test(value)) continue;
    if (key === 'FFREPORT' || key.startsWith('AV_LOG_')) continue;
    env[key] = value;
  }
  return env;
}

function spawnFailure(code: string | undefined): string {
  if (code === 'ENOENT') return 'the program or the work folder was not found';
  if (code === 'EACCES' || code === 'EPERM')
    return 'the program may not be run (not marked as a program?)';
  return 'the program could not be started';
}

function tailOf(text: string): string {
  const lines = text
    .split(/\r?\n|\r/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
  return redact(lines.slice(-TAIL_LINES).join('\n'));
}

export function runFfmpeg(o: RunFfmpegOptions): Promise<RunFfmpegResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) / 10) / 100;

  if (o.signal?.aborted) {
    return Promise.resolve({
      ok: false,
      exitCode: null,
      timedOut: false,
      stalled: false,
      aborted: true,
      stderrTail: 'aborted before ffmpeg started',
      notices: [],
      runSeconds: 0,
    });
  }

  return new Promise<RunFfmpegResult>((resolvePromise) => {
    // Only warnings and errors on stderr: they are all the engine reads (StderrNotices, the
    // tail in the log). At the default level ffmpeg also reports every stream and its metadata,
    // about 150 small writes a run, each a wake-up of this process. A command that sets its
    // own -loglevel (later on the line) overrides this one.
    const args = ['-loglevel', 'warning', '-progress', 'pipe:1', '-nostats', ...o.args];
    const child = spawn(o.ffmpegPath ?? 'ffmpeg', args, {
      cwd: o.cwd,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(),
      windowsHide: true,
    });

    let stderr = '';
    let timedOut = false;
    let stalled = false;
    let aborted = false;
    let settled = false;
    let lastReported = -1;
    let lastReportAt = 0;
    let killTimer: NodeJS.Timeout | undefined;
    const parser = new ProgressParser();
    const motion = new ProgressMotion();
    const notices = new StderrNotices();

    const report = (fraction: number): void => {
      if (!o.onProgress || fraction <= lastReported) return;
      const now = performance.now();
      if (fraction < 1 && now - lastReportAt < PROGRESS_INTERVAL_MS) return;
      lastReported = fraction;
      lastReportAt = now;
      try {
        o.onProgress(fraction);
      } catch {
        // A failing listener must not break the run.
      }
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const block of parser.push(chunk)) {
        // Any movement gives the run a whole stall period again (Timeout.refresh: no new timer).
        if (motion.moved(block)) stallTimer?.refresh();
        const fraction = progressFraction(block, o.durationSeconds);
        if (fraction !== null && !block.end) report(fraction);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      notices.push(chunk);
      if (stderr.length > TAIL_BYTES * 2) stderr = stderr.slice(-TAIL_BYTES);
    });

    const stop = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, KILL_GRACE_MS);
    };

    const timeout =
      o.timeoutMs !== undefined && o.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, o.timeoutMs)
        : undefined;
    // Armed at the spawn: ffmpeg's start (probing its inputs, a long analysis) gets the same
    // allowance as any stretch between two moving blocks.
    const stallMs = o.stallMs !== undefined && o.stallMs > 0 ? o.stallMs : 0;
    const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
    const stallTimer =
      stallMs > 0 && stallMs <= MAX_TIMER_MS
        ? setTimeout(() => {
            // Exited, its last output still being read: finished, not stalled.
            if (exited() || settled) return;
            // Counters still, files still growing or rewritten (a +faststart index move after
            // the last progress block): working, and given another whole period.
            void stillWriting(o.cwd, writeSampleMs(stallMs)).then((writing) => {
              if (exited() || settled) return;
              if (writing) {
                stallTimer?.refresh();
                return;
              }
              stalled = true;
              stop();
            });
          }, stallMs)
        : undefined;
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, extra?: string): void => {
      if (settled) return;
      settled = true;
      if (timeout) clearTimeout(timeout);
      if (stallTimer) clearTimeout(stallTimer);
      if (killTimer) clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      const ok = exitCode === 0 && !timedOut && !stalled && !aborted;
      if (ok) report(1);
      let tail = tailOf(stderr);
      if (timedOut)
        tail =
          `${tail}\nffmpeg was stopped after the time limit of ${Math.round((o.timeoutMs ?? 0) / 1000)} s`.trim();
      else if (stalled) tail = `${tail}\n${stalledMessage(stallMs)}`.trim();
      else if (aborted) tail = `${tail}\nffmpeg was stopped: the command was cancelled`.trim();
      if (extra) tail = `${tail}\n${redact(extra)}`.trim();
      resolvePromise({
        ok,
        exitCode,
        timedOut,
        stalled,
        aborted,
        stderrTail: tail,
        notices: notices.lines().map(redact),
        runSeconds: elapsed(),
      });
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Spawn failures (no ffmpeg binary, bad cwd) end the run like a failed ffmpeg, in words a
      // person reads: the errno code ("spawn ffmpeg ENOENT") says nothing to them.
      finish(null, `could not run ffmpeg: ${spawnFailure(error.code)}`);
    });
    child.on('close', (code) => finish(code));
  });
}
