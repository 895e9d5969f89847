/**
 * curl as the baseline client for transfer benchmarks. Secrets go in a header file
 * (`-H @file`), never on the command line, so they do not show up in `ps`.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CurlResult {
  status: number;
  seconds: number;
  bytes: number;
  body: string;
}

/** Writes `Name: value` lines to a 0600 file for `-H @file`. */
export async function writeHeaderFile(
  path: string,
  headers: Record<string, string>,
): Promise<string> {
  await writeFile(
    path,
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\n`)
      .join(''),
    { mode: 0o600 },
  );
  return path;
}

/**
 * Runs curl with `args`, through `via` when given (e.g. `taskset -c 1`). `seconds` is curl's
 * own transfer time (%{time_total}), so process start-up counts on neither side; `body` is
 * what it printed before that (the answer, unless it went to a file).
 */
export async function curl(args: string[], via: readonly string[] = []): Promise<CurlResult> {
  const [command, ...argv] = [
    ...via,
    'curl',
    '-sS',
    '--fail-with-body',
    '-w',
    '\n%{http_code} %{time_total} %{size_upload} %{size_download}',
    ...args,
  ];
  const { stdout } = await run(command!, argv, { maxBuffer: 64 * 1024 * 1024 });
  const lines = stdout.trimEnd().split('\n');
  const [status, seconds, up, down] = (lines.pop() ?? '').split(' ').map(Number);
  return {
    status: status ?? 0,
    seconds: seconds ?? NaN,
    bytes: Math.max(up ?? 0, down ?? 0),
    body: lines.join('\n'),
  };
}

/** Multipart upload of `path` as the part `file`. */
export function curlUpload(url: string, path: string, headerFile?: string): Promise<CurlResult> {
  return curl([...(headerFile ? ['-H', `@${headerFile}`] : []), '-F', `file=@${path}`, url]);
}

/** Download to `target` (a real file, like a client would). */
export function curlDownload(url: string, target: string): Promise<CurlResult> {
  return curl(['-o', target, url]);
}
