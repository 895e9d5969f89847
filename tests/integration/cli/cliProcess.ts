/**
 * The CLI as a person runs it: the `renderio-convert` bin in a child process, with an
 * environment of the test's choosing (RENDERIO_API_KEY never inherited from the one running
 * the tests).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../../bin/renderio-convert.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `wrapper`: a command that runs the rest of its arguments (`unshare --user --map-root-user`, a
 * mount namespace's `sh -c '… && exec "$0" "$@"'`), put before node and the bin.
 */
export function cli(
  args: string[],
  env: Record<string, string> = {},
  wrapper: readonly string[] = [],
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    delete base.RENDERIO_API_KEY;
    delete base.RENDERIO_BASE_URL;
    const [command, ...before] = [...wrapper, process.execPath];
    const child = spawn(command!, [...before, BIN, ...args], {
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
