/**
 * Stand-ins for ffmpeg and ffprobe that misbehave the ways real installs do: a wrapper of the
 * real ffmpeg that lacks an encoder, one that crashes at -version, hangs, is not marked as a
 * program, or sits in a folder whose name has spaces and non-ASCII letters. Each is a small
 * POSIX shell script written into a temp folder; wrappers log every run to a file, so a test
 * can tell whether ffmpeg was started at all.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The real binaries on PATH (the Debian ffmpeg on this machine). */
export function realTool(tool: 'ffmpeg' | 'ffprobe'): string {
  return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export async function writeScript(
  folder: string,
  name: string,
  body: string,
  mode = 0o755,
): Promise<string> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
}

export interface WrapperOptions {
  /** Encoder names to leave out of `-encoders` (as a build without them would). */
  withoutEncoders?: string[];
  /** Where each run appends its arguments. */
  log?: string;
  /**
   * Seconds each run waits before the real tool starts (not a `-version` check): a slow probe,
   * as of a large file or a busy machine, that leaves an upload PROCESSING for a while.
   */
  delaySeconds?: number;
}

/** An ffmpeg (or ffprobe) that is the real one, less some encoders, logging each run. */
export async function writeWrapper(
  folder: string,
  tool: 'ffmpeg' | 'ffprobe',
  options: WrapperOptions = {},
): Promise<string> {
  const real = quote(realTool(tool));
  const lines: string[] = [];
  if (options.log) lines.push(`echo "$*" >> ${quote(options.log)}`);
  if (options.withoutEncoders?.length) {
    const pattern = options.withoutEncoders.map((e) => ` ${e} `).join('\\|');
    lines.push(
      'for a in "$@"; do',
      `  if [ "$a" = "-encoders" ]; then ${real} "$@" | grep -v ${quote(pattern)}; exit 0; fi`,
      'done',
    );
  }
  if (options.delaySeconds)
    lines.push(`case " $* " in *" -version "*) ;; *) sleep ${options.delaySeconds} ;; esac`);
  lines.push(`exec ${real} "$@"`);
  return writeScript(folder, tool, lines.join('\n'));
}

/** The runs a wrapper logged, one argument line each. */
export async function loggedRuns(log: string): Promise<string[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}
