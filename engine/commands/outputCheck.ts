/**
 * What ffmpeg made, checked before a command counts as SUCCESS. ffmpeg can exit 0 and leave
 * a declared output missing (an option after the last output name) or empty (a filter that
 * kept no frame: "Output file is empty, nothing was encoded"). Such a command fails, with
 * ffmpeg's own warnings as the reason; a SUCCESS would hand out an output with no bytes to
 * download and no word on why.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface OutputProblem {
  status: 'OUTPUT_MISSING' | 'OUTPUT_EMPTY';
  message: string;
}

/**
 * The first problem with the declared outputs in `workDir`, every bad output named, or null
 * when each one is a file with bytes. `ffmpegSaid`: the runs' warnings and errors.
 */
export async function findOutputProblem(
  workDir: string,
  outputs: Record<string, string>,
  ffmpegSaid: readonly string[],
): Promise<OutputProblem | null> {
  const problems: string[] = [];
  let status: OutputProblem['status'] | null = null;
  for (const [alias, name] of Object.entries(outputs)) {
    const made = await stat(join(workDir, name)).catch(() => null);
    if (!made?.isFile()) {
      problems.push(`ffmpeg finished but did not write the output ${alias} ("${name}")`);
      status ??= 'OUTPUT_MISSING';
    } else if (made.size === 0) {
      problems.push(`ffmpeg finished but the output ${alias} ("${name}") is empty (0 bytes)`);
      status ??= 'OUTPUT_EMPTY';
    }
  }
  if (status === null) return null;
  // One line: a job's row shows it as it is.
  const said = ffmpegSaid.length > 0 ? `. ffmpeg said: ${ffmpegSaid.join('; ')}` : '';
  return { status, message: `${problems.join('; ')}${said}` };
}
