/**
 * Whether a local file has an audio stream, asked of `ffprobe` before upload, so an audio preset
 * refuses a silent video with a reason instead of failing on the server after the upload. Only
 * the files that need the answer are probed (video files for an audio preset). The packaged app
 * may run where no ffprobe is installed (a cloud profile needs none): then, and for anything
 * ffprobe cannot read, the answer is null ("unknown") and the file is queued as before.
 */
import { execFile } from 'node:child_process';

const PROBE_TIMEOUT_MS = 15_000;

/**
 * true / false once probed; null when it cannot be told here. `ffprobePath`: the one the local
 * engine found (an app started from the Finder has no Homebrew folders on its PATH).
 */
export function probeHasAudio(path: string, ffprobePath = 'ffprobe'): Promise<boolean | null> {
  return new Promise((resolveProbe) => {
    execFile(
      ffprobePath,
      [
        '-v',
        'error',
        '-select_streams',
        'a',
        '-show_entries',
        'stream=index',
        '-of',
        'csv=p=0',
        '--',
        path,
      ],
      { timeout: PROBE_TIMEOUT_MS, maxBuffer: 64 * 1024, windowsHide: true },
      (error, stdout) => {
        if (error) resolveProbe(null);
        else resolveProbe(stdout.trim() !== '');
      },
    );
  });
}

/** The paths known to have no audio, probing a few at a time. */
export async function silentPaths(
  paths: readonly string[],
  hasAudio: (path: string) => Promise<boolean | null> = probeHasAudio,
  concurrency = 4,
): Promise<Set<string>> {
  const silent = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++]!;
      if ((await hasAudio(path)) === false) silent.add(path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return silent;
}
