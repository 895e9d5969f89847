/**
 * Runs ffmpeg or ffprobe once with a question (`-version`, `-encoders`, ...) and a time limit,
 * and turns whatever went wrong into a sentence for a person plus a detail for the log. A
 * hanging binary (a stuck network drive, a GUI wrapper waiting for input) is killed at the
 * limit, so it cannot stall the app's start.
 */
import { execFile } from 'node:child_process';
import type { FfmpegProblem } from '../../ffmpegTypes';

export type ToolAnswer = { ok: true; stdout: string } | { ok: false; problem: FfmpegProblem };

/** Enough for the longest list ffmpeg prints (`-encoders` is ~30 KB, `-filters` ~40 KB). */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}

/** Plain words for a failure to start the program at all. */
function notStarted(label: string, path: string, code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return `${label} at ${path} could not be started: the file is gone or cannot be found.`;
    case 'EACCES':
    case 'EPERM':
      return `${label} at ${path} cannot be run: it is not marked as a program, or this account may not run it.`;
    case 'ENOEXEC':
    case 'EBADARCH':
    case 'UNKNOWN':
      return `${label} at ${path} is not a program this computer can run (made for another system?).`;
    default:
      return `${label} at ${path} could not be started.`;
  }
}

/**
 * Asks `tool` (the file at `path`) with `args`. `expect` tells a real answer from another
 * program's: ffmpeg's `-version` starts with "ffmpeg version", /bin/ls's does not.
 */
export function askTool(
  label: 'ffmpeg' | 'ffprobe',
  path: string,
  args: string[],
  timeoutMs: number,
  expect?: RegExp,
): Promise<ToolAnswer> {
  return new Promise((resolveAnswer) => {
    execFile(
      path,
      args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        encoding: 'utf8',
        // Nothing of ours needs to reach it, and a wrapper script must not wait on a terminal.
        env: { ...process.env, FFREPORT: undefined, AV_LOG_FORCE_COLOR: undefined },
      },
      (error, stdout, stderr) => {
        const said = `${stdout}\n${stderr}`;
        const looksRight = expect === undefined || expect.test(said);
        if (!error) {
          if (looksRight) return resolveAnswer({ ok: true, stdout });
          return resolveAnswer({
            ok: false,
            problem: {
              message: `${path} is not ${label}: it does not answer as ${label} does.`,
              detail: `${args.join(' ')} printed: ${lastLine(said) || '(nothing)'}`,
            },
          });
        }
        const failure = error as NodeJS.ErrnoException & {
          killed?: boolean;
          signal?: NodeJS.Signals | null;
          code?: number | string | null;
        };
        const code = typeof failure.code === 'string' ? failure.code : undefined;
        const asked = args.join(' ');
        if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return resolveAnswer({
            ok: false,
            problem: {
              message: `${path} is not ${label}: it printed far more than ${label} does.`,
              detail: `${asked} printed over ${MAX_OUTPUT_BYTES} bytes`,
            },
          });
        if (code !== undefined)
          // The process never ran (spawn failed): ENOENT, EACCES, ENOEXEC, ...
          return resolveAnswer({
            ok: false,
            problem: {
              message: notStarted(label, path, code),
              detail: `${code}: ${failure.message}`,
            },
          });
        if (failure.killed)
          return resolveAnswer({
            ok: false,
            problem: {
              message: `${label} at ${path} did not answer within ${Math.ceil(timeoutMs / 1000)} s.`,
              detail: `${asked} killed after ${timeoutMs} ms`,
            },
          });
        const how = failure.signal
          ? `was killed by ${failure.signal}`
          : `exited with code ${String(failure.code)}`;
        const detail = `${asked} ${how}: ${lastLine(stderr) || lastLine(stdout) || '(no output)'}`;
        let message: string;
        if (failure.signal)
          message = `${label} at ${path} crashed when it was started (it may be damaged or built for another system).`;
        else if (!looksRight)
          message = `${path} is not ${label}: it does not answer as ${label} does.`;
        else
          message = `${label} at ${path} stopped with an error when it was started (it may be damaged or missing a library).`;
        return resolveAnswer({ ok: false, problem: { message, detail } });
      },
    );
  });
}
