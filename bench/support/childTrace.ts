/**
 * Records every child process this process starts (`spawn`, `execFile`): the program, its
 * arguments, its working directory and when it started and exited. Installed before the code
 * under measurement runs; named imports of node:child_process see the wrapped functions through
 * syncBuiltinESMExports. For benchmarks only.
 */
import childProcess, { type ChildProcess } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

export interface ChildRecord {
  /** The program's base name (ffmpeg, ffprobe, ...). */
  program: string;
  args: readonly string[];
  cwd: string | null;
  /** performance.now() at the start and at the exit (null while it runs). */
  start: number;
  end: number | null;
}

export const children: ChildRecord[] = [];

function watch(child: ChildProcess, file: string, args: unknown, options: unknown): void {
  const record: ChildRecord = {
    program: basename(String(file)),
    args: Array.isArray(args) ? args.map(String) : [],
    cwd:
      options && typeof options === 'object' && 'cwd' in options
        ? String((options as { cwd?: unknown }).cwd ?? '')
        : null,
    start: performance.now(),
    end: null,
  };
  children.push(record);
  child.once('exit', () => (record.end = performance.now()));
  child.once('error', () => (record.end ??= performance.now()));
}

let installed = false;

export function installChildTrace(): void {
  if (installed) return;
  installed = true;
  const spawn = childProcess.spawn;
  const execFile = childProcess.execFile;
  childProcess.spawn = function (this: unknown, ...a: unknown[]) {
    const child = (spawn as (...x: unknown[]) => ChildProcess).apply(this, a);
    watch(child, a[0] as string, a[1], a[2]);
    return child;
  } as typeof spawn;
  childProcess.execFile = function (this: unknown, ...a: unknown[]) {
    const child = (execFile as (...x: unknown[]) => ChildProcess).apply(this, a);
    const opts = a.find((x, i) => i >= 1 && x && typeof x === 'object' && !Array.isArray(x));
    watch(child, a[0] as string, a[1], opts);
    return child;
  } as typeof execFile;
  syncBuiltinESMExports();
}
