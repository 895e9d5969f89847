/**
 * Reads ffmpeg's own answers: `-version`, `-encoders`, `-muxers`, `-filters` and
 * `-h filter=NAME`. The layouts are those of ffmpeg 4 to 7 (checked against the Debian 5.1
 * build and the 4.x and 7.x builds the app can package).
 */
import type { FfmpegCapabilities, FfmpegVersion } from '../../ffmpegTypes';

/** "ffmpeg version 6.1.1-static https://..." → 6.1.1-static, major 6, minor 1. */
export function parseVersion(
  text: string,
  tool: 'ffmpeg' | 'ffprobe' = 'ffmpeg',
): FfmpegVersion | null {
  const match = new RegExp(`^\\s*${tool} version (\\S+)`, 'm').exec(text);
  if (!match?.[1]) return null;
  const raw = match[1];
  // Release builds: "6.1.1", "n7.1", "5.1.6-0+deb12u1", "7.0.2-essentials_build-www.gyan.dev".
  // Builds from git ("N-112233-gabc", "2023-10-01-git-...") carry no release number.
  const release = /^n?(\d+)\.(\d+)/.exec(raw);
  return {
    text: raw,
    major: release ? Number(release[1]) : null,
    minor: release ? Number(release[2]) : null,
  };
}

/** GPL when configured with --enable-gpl; nonfree (not redistributable) with --enable-nonfree. */
export function parseLicense(text: string): FfmpegCapabilities['license'] {
  const configuration = /^\s*configuration:(.*)$/m.exec(text)?.[1] ?? '';
  if (/--enable-nonfree\b/.test(configuration)) return 'nonfree';
  if (/--enable-gpl\b/.test(configuration)) return 'GPL';
  return 'LGPL';
}

/**
 * The names of a `-encoders` / `-muxers` / `-filters` listing: each entry line is a column of
 * flags, the name, a description. The legend above the `---` line is skipped.
 */
function listedNames(text: string, flags: RegExp): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^\s*-{2,}\s*$/.test(line));
  const names = new Set<string>();
  for (const line of lines.slice(start + 1)) {
    const match = flags.exec(line);
    // Muxers may list several names at once ("matroska,webm" in some builds).
    if (match?.[1]) for (const name of match[1].split(',')) if (name) names.add(name);
  }
  return [...names].sort();
}

/**
 * ` V....D libx264   libx264 H.264 ... (codec h264)` → libx264 and h264: `-c:v h264` is
 * accepted too (ffmpeg takes the codec's default encoder), so both names count.
 */
export function parseEncoders(text: string): string[] {
  const names = new Set(listedNames(text, /^\s[VAS][A-Z.]{5}\s+(\S+)/));
  for (const match of text.matchAll(/^\s[VAS][A-Z.]{5}\s+\S+.*\(codec ([A-Za-z0-9_]+)\)\s*$/gm))
    if (match[1]) names.add(match[1]);
  return [...names].sort();
}

/** `  E mp4   MP4 (MPEG-4 Part 14)`, ` DE matroska ...` (muxing is the E) → mp4, matroska. */
export function parseMuxers(text: string): string[] {
  return listedNames(text, /^\s[D ]E[d ]?\s+(\S+)/);
}

/** ` ... scale   V->V   Scale the input video size ...` → scale. */
export function parseFilters(text: string): string[] {
  return listedNames(text, /^\s[TSC.|]{2,3}\s+(\S+)\s+\S+->\S+/);
}

/** The option names `-h filter=NAME` lists (`   force_divisible_by <int> ..FV...`). */
export function parseFilterOptions(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/^\s{2,}([A-Za-z0-9_]+)\s+<[a-z0-9_]+>/gm))
    if (match[1]) names.add(match[1]);
  return [...names].sort();
}
