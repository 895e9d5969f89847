/**
 * Starting tests/support/queueChild.ts from a crash test: the CLI's argv for a `convert` run,
 * the slow custom preset those tests convert with, and the child started (or run to its exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from '../../electron/core/queue/ports';
import type { Preset } from '../../shared/presetTypes';
import { makeVideo } from './media';

const QUEUE_CHILD = join(import.meta.dirname, 'queueChild.ts');

/** A custom preset that runs in real time (-re), so its command is seen PROCESSING. */
export const SLOW_MP3: Preset = {
  id: 'custom-slow-mp3',
  name: 'MP3 in real time',
  description: '',
  category: 'audio',
  accepts: ['video', 'audio'],
  ffmpegCommand: '-re -i {{in_file}} -vn -c:a libmp3lame -q:a 6 {{out_audio}}',
  outputs: [{ alias: 'out_audio', extension: 'mp3' }],
  source: 'custom',
};

/** The two clips a crash test converts: one.mp4 and two.mp4, `seconds` long, in `<dir>/src`. */
export async function makeTwoClips(dir: string, seconds: number): Promise<string[]> {
  const src = join(dir, 'src');
  await mkdir(src);
  return [
    await makeVideo(src, 'one.mp4', { seconds }),
    await makeVideo(src, 'two.mp4', { seconds }),
  ];
}

/** Creates the CLI's --data-dir with `presets` as its saved custom presets. */
export async function writeCustomPresets(dataDir: string, presets: Preset[]): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, 'presets.json'), JSON.stringify({ version: 1, presets }));
}

/** The argv of `convert`; `engineArgs` names the engine (`--local` or `--api-base URL`). */
export function convertArgv(opts: {
  inputs: string[];
  preset: string;
  out: string;
  engineArgs: string[];
  dataDir: string;
  concurrency: number;
}): string[] {
  return [
    'convert',
    ...opts.inputs,
    '--preset',
    opts.preset,
    '--out',
    opts.out,
    ...opts.engineArgs,
    '--data-dir',
    opts.dataDir,
    '--concurrency',
    String(opts.concurrency),
    ...(process.env.QDEBUG ? ['--verbose'] : []),
  ];
}

/** What tests/support/queueChild.ts takes as its one argument (as JSON). */
export interface QueueChildSpec {
  argv: string[];
  killAt?: Checkpoint;
  /** Die at the nth time the checkpoint is reached (default 1). */
  nth?: number;
  firstPollMs?: number;
  /** Count storage download bodies on stderr; hold each after `holdAfterBytes` bytes. */
  downloads?: { holdAfterBytes?: number };
}

/** How the child ended. */
export interface ChildExit {
  code: number | null;
  signal: string | null;
}

export interface ChildResult extends ChildExit {
  stderr: string;
}

/** A child while it runs: the process, its stderr so far, and its exit. */
export interface RunningQueueChild {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<ChildExit>;
}

/**
 * Starts the child with `spec`. With `ownGroup` it runs in its own process group, and on its
 * exit the group is killed: an ffmpeg orphaned by its SIGKILL is ended with it.
 */
export function startQueueChild(
  spec: QueueChildSpec,
  env: NodeJS.ProcessEnv,
  ownGroup = false,
): RunningQueueChild {
  const child = spawn(process.execPath, ['--import', 'tsx', QUEUE_CHILD, JSON.stringify(spec)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(ownGroup ? { detached: true } : {}),
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<ChildExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (ownGroup)
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // nothing left in the group
        }
      resolve({ code, signal });
    });
  });
  return { child, stderr: () => stderr, exited };
}

/** Runs the child with `spec` to its exit (see startQueueChild for `ownGroup`). */
export async function runQueueChild(
  spec: QueueChildSpec,
  env: NodeJS.ProcessEnv,
  ownGroup = false,
): Promise<ChildResult> {
  const run = startQueueChild(spec, env, ownGroup);
  return { ...(await run.exited), stderr: run.stderr() };
}
