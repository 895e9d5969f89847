/**
 * Starting tests/support/queueChild.ts from a crash test: the CLI's argv for a `convert` run,
 * the slow custom preset those tests convert with, and a run of the child to its exit.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from '../../electron/core/queue/ports';
import { makeVideo } from './media';

export const QUEUE_CHILD = join(import.meta.dirname, 'queueChild.ts');

/** A custom preset that runs in real time (-re), so its command is seen PROCESSING. */
export const SLOW_MP3 = {
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
export async function writeCustomPresets(dataDir: string, presets: object[]): Promise<void> {
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

export interface ChildResult {
  code: number | null;
  signal: string | null;
  stderr: string;
}

/**
 * Runs the child with `spec` to its exit. With `ownGroup` it runs in its own process group,
 * and on its exit the group is killed: an ffmpeg orphaned by its SIGKILL is ended with it.
 */
export function runQueueChild(
  spec: { argv: string[]; killAt?: Checkpoint },
  env: NodeJS.ProcessEnv,
  ownGroup = false,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', QUEUE_CHILD, JSON.stringify(spec)], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(ownGroup ? { detached: true } : {}),
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (ownGroup)
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // nothing left in the group
        }
      resolve({ code, signal, stderr });
    });
  });
}
