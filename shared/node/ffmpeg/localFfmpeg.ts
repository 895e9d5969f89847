/**
 * The one call the engine, the CLI and the app make: find ffmpeg and ffprobe, ask them what
 * they can do, and say in one value whether "this computer" can run jobs, with what, or why
 * not. Never throws.
 */
import type { FfmpegSource, LocalFfmpeg } from '../../ffmpegTypes';
import { BUILT_IN_PRESETS } from '../../presets/builtInPresets';
import { checkFfmpegCapabilities, type CheckCapabilitiesOptions } from './checkCapabilities';
import { filtersToDescribe } from './commandNeeds';
import { resolveFfmpeg, type ResolveFfmpegOptions } from './resolveFfmpeg';

export type LocalFfmpegOptions = ResolveFfmpegOptions & CheckCapabilitiesOptions;

const SOURCE_WORDS: Record<FfmpegSource, string> = {
  chosen: 'chosen',
  env: 'FFMPEG_PATH',
  bundled: 'bundled',
  path: 'PATH',
  'common-folder': 'found',
};

/** "ffmpeg 6.1 (bundled)", "ffmpeg N-47683-g0e8eb07980 (PATH)". */
export function describeLocalFfmpeg(
  version: { text: string; major: number | null; minor: number | null },
  source: FfmpegSource,
): string {
  const shown = version.major === null ? version.text : `${version.major}.${version.minor ?? 0}`;
  return `ffmpeg ${shown} (${SOURCE_WORDS[source]})`;
}

export async function findLocalFfmpeg(options: LocalFfmpegOptions = {}): Promise<LocalFfmpeg> {
  const found = await resolveFfmpeg(options);
  if (!found.ok)
    return { available: false, problem: found.problem, ffmpeg: found.ffmpeg, ffprobe: null };
  const checked = await checkFfmpegCapabilities(
    { ffmpeg: found.ffmpeg.path, ffprobe: found.ffprobe.path },
    {
      timeoutMs: options.timeoutMs,
      describeFilters: options.describeFilters ?? filtersToDescribe(BUILT_IN_PRESETS),
    },
  );
  if (!checked.ok)
    return {
      available: false,
      problem: checked.problem,
      ffmpeg: found.ffmpeg,
      ffprobe: found.ffprobe,
    };
  return {
    available: true,
    ffmpeg: found.ffmpeg,
    ffprobe: found.ffprobe,
    capabilities: checked.capabilities,
    summary: describeLocalFfmpeg(checked.capabilities.version, found.ffmpeg.source),
  };
}
