/**
 * What a "done" cell must have produced: files with bytes that ffprobe reads, carrying the
 * streams the preset promises (a picture for video and image presets, sound for audio ones,
 * and the input's sound kept by the video presets that carry audio).
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Preset } from '../../shared/presetTypes';
import type { InputFacts } from './inputs';

const run = promisify(execFile);

interface Streams {
  video: number;
  audio: number;
}

async function streamsOf(path: string): Promise<Streams | null> {
  try {
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_type',
      '-of',
      'csv=p=0',
      path,
    ]);
    const types = stdout.split('\n').map((l) => l.trim());
    return {
      video: types.filter((t) => t === 'video').length,
      audio: types.filter((t) => t === 'audio').length,
    };
  } catch {
    return null;
  }
}

/** Video presets whose output has no sound track by design. */
const SILENT_VIDEO_OUTPUTS = new Set(['gif']);

/** Why the outputs are not what the preset promises, or null when they are. */
export async function outputProblem(
  preset: Preset,
  input: InputFacts,
  outputPaths: readonly string[],
): Promise<string | null> {
  if (outputPaths.length !== preset.outputs.length)
    return `expected ${preset.outputs.length} output(s), got ${outputPaths.length}`;
  for (const path of outputPaths) {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return 'an output is missing on disk';
    if (info.size === 0) return 'an output is empty (0 bytes)';
    const streams = await streamsOf(path);
    if (!streams) return 'ffprobe cannot read an output';
    if (preset.category === 'audio') {
      if (streams.audio === 0) return 'the output has no audio stream';
      if (streams.video > 0) return 'an audio output carries video';
    } else {
      if (streams.video === 0) return 'the output has no picture';
      if (
        preset.category === 'video' &&
        !SILENT_VIDEO_OUTPUTS.has(preset.id) &&
        input.hasAudio &&
        streams.audio === 0
      )
        return 'the input’s sound was dropped';
    }
  }
  return null;
}
