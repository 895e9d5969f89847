/**
 * What kind of media a file is, from its extension alone: the check the app can make before
 * anything is uploaded, so a file a preset cannot take is refused with the reason.
 */
import type { MediaKind, Preset } from '../presetTypes';

const EXTENSIONS: Record<MediaKind, readonly string[]> = {
  video: [
    'mp4',
    'm4v',
    'mov',
    'qt',
    'mkv',
    'webm',
    'avi',
    'wmv',
    'asf',
    'flv',
    'f4v',
    'mpg',
    'mpeg',
    'm2v',
    'ts',
    'mts',
    'm2ts',
    '3gp',
    '3g2',
    'ogv',
    'vob',
    'mxf',
    'dv',
    'y4m',
    'divx',
    'rm',
    'rmvb',
    'nut',
    'h264',
    'hevc',
    // Animated GIFs behave like video in ffmpeg (and GIF → MP4 is a common conversion).
    'gif',
  ],
  audio: [
    'mp3',
    'm4a',
    'm4b',
    'aac',
    'wav',
    'wave',
    'flac',
    'ogg',
    'oga',
    'opus',
    'wma',
    'aif',
    'aiff',
    'aifc',
    'caf',
    'mka',
    'ac3',
    'eac3',
    'dts',
    'amr',
    'ape',
    'wv',
    'mp2',
    'mpa',
    'alac',
    'au',
    'snd',
    'spx',
    'tta',
  ],
  image: [
    'png',
    'jpg',
    'jpeg',
    'jpe',
    'jfif',
    'webp',
    'bmp',
    'tif',
    'tiff',
    'tga',
    'ppm',
    'pgm',
    'pbm',
    'pcx',
    'dpx',
    'exr',
    'sgi',
    'qoi',
  ],
};

const KIND_BY_EXTENSION = new Map<string, MediaKind>();
for (const kind of ['video', 'audio', 'image'] as const) {
  for (const ext of EXTENSIONS[kind]) KIND_BY_EXTENSION.set(ext, kind);
}

/** The extensions the app offers in its open dialog and keeps when walking a folder. */
export const SUPPORTED_EXTENSIONS: readonly string[] = [...KIND_BY_EXTENSION.keys()];

/**
 * `mp4`, `.MP4` or a file name / path (`clip.final.mov`) → its media kind, or null when the
 * extension is not one the app knows.
 */
export function mediaKindFromExtension(extOrName: string): MediaKind | null {
  const trimmed = extOrName.trim().toLowerCase();
  const dot = trimmed.lastIndexOf('.');
  const ext = dot >= 0 ? trimmed.slice(dot + 1) : trimmed;
  return KIND_BY_EXTENSION.get(ext) ?? null;
}

export function presetAcceptsMedia(
  preset: Pick<Preset, 'accepts' | 'unavailable'>,
  kind: MediaKind | null,
): boolean {
  return kind !== null && !preset.unavailable && preset.accepts.includes(kind);
}

/** What is known about a file before upload; `hasAudio` only once it was probed. */
export interface MediaFacts {
  hasAudio?: boolean;
}

function listKinds(kinds: readonly MediaKind[]): string {
  const names = kinds.map((k) => (k === 'image' ? 'images' : `${k} files`));
  if (names.length <= 1) return names[0] ?? 'nothing';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Why a preset the app lists but cannot run refuses every file, or null when it can run. */
export function describeUnavailablePreset(
  preset: Pick<Preset, 'name' | 'unavailable'>,
): string | null {
  return preset.unavailable ? `"${preset.name}" cannot be used here. ${preset.unavailable}` : null;
}

/**
 * Why `preset` cannot take a file of this kind, as a sentence to show, or null when it can.
 * `mediaKind` null means the file type is unknown. An audio preset also refuses a video that
 * is known to have no sound; a preset marked `unavailable` refuses everything.
 */
export function describePresetRefusal(
  preset: Pick<Preset, 'name' | 'accepts' | 'category' | 'unavailable'>,
  mediaKind: MediaKind | null,
  facts: MediaFacts = {},
): string | null {
  const unavailable = describeUnavailablePreset(preset);
  if (unavailable) return unavailable;
  if (mediaKind === null)
    return `"${preset.name}" cannot take this file: it is not a video, audio or image format the app knows.`;
  if (!preset.accepts.includes(mediaKind)) {
    const what = { video: 'a video', audio: 'an audio file', image: 'an image' }[mediaKind];
    return `"${preset.name}" takes ${listKinds(preset.accepts)}; this file is ${what}.`;
  }
  if (preset.category === 'audio' && mediaKind === 'video' && facts.hasAudio === false)
    return `"${preset.name}" makes an audio file, but this video has no sound.`;
  return null;
}
