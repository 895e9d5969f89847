/**
 * Asks an ffmpeg + ffprobe pair what they are and what they can do: the version, encoders,
 * muxers, filters and the options of the filters presets set by name. Each question is one
 * short run with a time limit; the answers are kept per binary (path, modification time and
 * size), so a second engine start, or the CLI after the app, asks again only when the file
 * changed (an upgrade by Homebrew replaces it).
 */
import { realpath, stat } from 'node:fs/promises';
import type { FfmpegCapabilities, FfmpegProblem } from '../../ffmpegTypes';
import { askTool } from './askTool';
import {
  parseEncoders,
  parseFilterOptions,
  parseFilters,
  parseLicense,
  parseMuxers,
  parseVersion,
} from './parseToolOutput';

export type CapabilitiesOutcome =
  { ok: true; capabilities: FfmpegCapabilities } | { ok: false; problem: FfmpegProblem };

export interface CheckCapabilitiesOptions {
  /** Per question. A healthy ffmpeg answers in well under a second; a first run after install
   * on Windows (virus scan) can take a few. */
  timeoutMs?: number;
  /** Filters whose option names to read (those presets set by name); default none. */
  describeFilters?: readonly string[];
}

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

const cache = new Map<string, Promise<CapabilitiesOutcome>>();

/** Identifies the file's current content well enough: an upgrade changes mtime or size. */
async function fileKey(path: string): Promise<string> {
  try {
    const real = await realpath(path);
    const info = await stat(real);
    return `${real}\u0000${info.mtimeMs}\u0000${info.size}`;
  } catch {
    return `${path}\u0000missing`;
  }
}

async function ask(
  paths: { ffmpeg: string; ffprobe: string },
  timeoutMs: number,
  describeFilters: readonly string[],
): Promise<CapabilitiesOutcome> {
  const ffmpeg = (args: string[], expect?: RegExp) =>
    askTool('ffmpeg', paths.ffmpeg, ['-hide_banner', ...args], timeoutMs, expect);
  // The version first: a wrong file (/bin/ls, a text file) is told apart before the lists.
  const version = await ffmpeg(['-version'], /^\s*ffmpeg version /m);
  if (!version.ok) return version;
  const parsed = parseVersion(version.stdout);
  if (!parsed)
    return {
      ok: false,
      problem: {
        message: `${paths.ffmpeg} is not ffmpeg: it does not answer as ffmpeg does.`,
        detail: `-version printed no version line`,
      },
    };
  const probe = await askTool(
    'ffprobe',
    paths.ffprobe,
    ['-version'],
    timeoutMs,
    /^\s*ffprobe version /m,
  );
  if (!probe.ok) return probe;
  // Two at a time: the lists are quick, and the machine may be busy with other work.
  const [encoders, muxers] = await Promise.all([ffmpeg(['-encoders']), ffmpeg(['-muxers'])]);
  const [filters, ...described] = await Promise.all([
    ffmpeg(['-filters']),
    ...describeFilters.map((name) => ffmpeg(['-h', `filter=${name}`])),
  ]);
  for (const answer of [encoders, muxers, filters]) if (answer && !answer.ok) return answer;
  const filterOptions: Record<string, string[]> = {};
  describeFilters.forEach((name, i) => {
    const answer = described[i];
    // An unknown filter is answered with an error; the filter list already says it is missing.
    if (answer?.ok) filterOptions[name] = parseFilterOptions(answer.stdout);
  });
  return {
    ok: true,
    capabilities: {
      version: parsed,
      license: parseLicense(version.stdout),
      encoders: encoders?.ok ? parseEncoders(encoders.stdout) : [],
      muxers: muxers?.ok ? parseMuxers(muxers.stdout) : [],
      filters: filters?.ok ? parseFilters(filters.stdout) : [],
      filterOptions,
    },
  };
}

/**
 * What this ffmpeg can do, or why it cannot be used (not ffmpeg, crashed, hung, no working
 * ffprobe). Never throws. Asked once per binary pair and set of filters while the files stay
 * the same.
 */
export async function checkFfmpegCapabilities(
  paths: { ffmpeg: string; ffprobe: string },
  options: CheckCapabilitiesOptions = {},
): Promise<CapabilitiesOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const describeFilters = [...new Set(options.describeFilters ?? [])].sort();
  const key = [
    await fileKey(paths.ffmpeg),
    await fileKey(paths.ffprobe),
    describeFilters.join(','),
  ].join('\u0001');
  let outcome = cache.get(key);
  if (!outcome) {
    outcome = ask(paths, timeoutMs, describeFilters);
    cache.set(key, outcome);
    // A failure may be passing (a hang under load): ask again next time rather than remember it.
    void outcome.then((result) => {
      if (!result.ok) cache.delete(key);
    });
  }
  return outcome;
}
