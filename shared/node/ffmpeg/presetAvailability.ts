/**
 * Whether a preset, or any command, can run on a given ffmpeg, and if not, why in words a
 * person understands: "this ffmpeg has no SVT-AV1 encoder (libsvtav1)". Pure: the same
 * capabilities always give the same answer, so the window, the CLI and the engine agree.
 */
import type { Availability, CommandNeeds, FfmpegCapabilities } from '../../ffmpegTypes';
import type { Preset } from '../../presetTypes';
import { presetNeeds } from './commandNeeds';

/** What people call the encoders the built-in presets use (and a few common others). */
const ENCODER_NAMES: Record<string, string> = {
  libx264: 'H.264 encoder',
  libx265: 'H.265/HEVC encoder',
  libsvtav1: 'SVT-AV1 encoder',
  'libaom-av1': 'AV1 encoder',
  'libvpx-vp9': 'VP9 encoder',
  libvpx: 'VP8 encoder',
  libopus: 'Opus encoder',
  libvorbis: 'Vorbis encoder',
  libmp3lame: 'MP3 encoder',
  libwebp: 'WebP encoder',
  aac: 'AAC encoder',
  flac: 'FLAC encoder',
  pcm_s16le: '16-bit PCM (WAV) encoder',
  mjpeg: 'JPEG encoder',
  png: 'PNG encoder',
  gif: 'GIF encoder',
};

const MUXER_NAMES: Record<string, string> = {
  mp4: 'MP4',
  ipod: 'M4A',
  mov: 'QuickTime',
  matroska: 'Matroska (MKV)',
  webm: 'WebM',
  mp3: 'MP3',
  opus: 'Opus',
  ogg: 'Ogg',
  wav: 'WAV',
  flac: 'FLAC',
  adts: 'AAC',
  gif: 'GIF',
  webp: 'WebP',
  image2: 'image',
};

const named = (names: Record<string, string>, id: string, kind: string): string =>
  names[id] ? `${names[id]} (${id})` : `${kind} ${id}`;

/** The needs this ffmpeg lacks. A filter's options are judged only when they were read. */
export function missingNeeds(needs: CommandNeeds, capabilities: FfmpegCapabilities): CommandNeeds {
  const encoders = new Set(capabilities.encoders);
  const muxers = new Set(capabilities.muxers);
  const filters = new Set(capabilities.filters);
  const missingFilters = needs.filters.filter((f) => !filters.has(f));
  return {
    encoders: needs.encoders.filter((e) => !encoders.has(e)),
    muxers: needs.muxers.filter((m) => !muxers.has(m)),
    filters: missingFilters,
    filterOptions: needs.filterOptions.filter(({ filter, option }) => {
      const known = capabilities.filterOptions[filter];
      return !missingFilters.includes(filter) && known !== undefined && !known.includes(option);
    }),
  };
}

/** One sentence naming everything missing, most telling first. */
export function describeMissing(missing: CommandNeeds): string | null {
  const parts: string[] = [];
  for (const e of missing.encoders) parts.push(`no ${named(ENCODER_NAMES, e, 'encoder')}`);
  for (const m of missing.muxers)
    parts.push(MUXER_NAMES[m] ? `no way to write ${MUXER_NAMES[m]} files (${m})` : `no muxer ${m}`);
  for (const f of missing.filters) parts.push(`no ${f} filter`);
  for (const { filter, option } of missing.filterOptions)
    parts.push(`no ${option} option in its ${filter} filter (a newer ffmpeg has it)`);
  if (parts.length === 0) return null;
  const list =
    parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `this ffmpeg has ${list}`;
}

/** Whether a command with these needs can run here. */
export function needsAvailability(
  needs: CommandNeeds,
  capabilities: FfmpegCapabilities,
): Availability {
  const missing = missingNeeds(needs, capabilities);
  const reason = describeMissing(missing);
  return reason === null ? { available: true } : { available: false, reason, missing };
}

/**
 * Whether `preset` can run on the ffmpeg these capabilities describe. A preset whose command
 * the engine would refuse anyway is left to that check (reported available here).
 */
export function presetAvailability(
  preset: Pick<Preset, 'ffmpegCommand' | 'ffmpegCommands' | 'outputs'>,
  capabilities: FfmpegCapabilities,
): Availability {
  const needs = presetNeeds(preset);
  if (needs === null) return { available: true };
  return needsAvailability(needs, capabilities);
}
