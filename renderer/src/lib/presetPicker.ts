/**
 * Pure shape of the preset picker: which groups the native select shows and how each option
 * reads. Built-in and custom presets are grouped by what they make; account presets have a
 * group of their own, where those the app cannot run are listed disabled with the reason.
 * No DOM, no store.
 */
import type { MediaKind, Preset } from '../../../shared/presetTypes';

export interface PresetOptionView {
  id: string;
  name: string;
  /** The option's text (its accessible name). */
  label: string;
  /** A preset the app lists but cannot run: not selectable. */
  disabled: boolean;
  /** Why it cannot run (the option's description), or null. */
  reason: string | null;
}

/** Where a preset is listed: by what it makes, and pictures made from video on their own. */
export type PresetGroupKey = MediaKind | 'animation' | 'account';

export interface PresetGroupView {
  key: PresetGroupKey;
  label: string;
  options: PresetOptionView[];
}

const KIND_GROUPS: { kind: Exclude<PresetGroupKey, 'account'>; label: string }[] = [
  { kind: 'video', label: 'Video' },
  { kind: 'animation', label: 'Animation / thumbnail' },
  { kind: 'audio', label: 'Audio' },
  { kind: 'image', label: 'Image' },
];

/**
 * The group an app preset is listed in: an image made from a video (an animated GIF, a
 * thumbnail) is not an image conversion, and a person looks for it beside video.
 */
export function groupOf(
  preset: Pick<Preset, 'category' | 'accepts'>,
): Exclude<PresetGroupKey, 'account'> {
  if (preset.category === 'image' && preset.accepts.includes('video')) return 'animation';
  return preset.category;
}

/** What a preset makes, as a person says it: "WebM video", "MP3 audio", "animated GIF". */
const FORMAT_WORDS: Record<string, string> = {
  webm: 'WebM video',
  mp4: 'MP4 video',
  mkv: 'MKV video',
  mov: 'QuickTime video',
  avi: 'AVI video',
  gif: 'animated GIF',
  jpg: 'JPEG image',
  jpeg: 'JPEG image',
  png: 'PNG image',
  webp: 'WebP image',
  avif: 'AVIF image',
  mp3: 'MP3 audio',
  m4a: 'AAC audio (M4A)',
  aac: 'AAC audio',
  opus: 'Opus audio',
  ogg: 'Ogg audio',
  wav: 'WAV audio',
  flac: 'FLAC audio',
  mka: 'Matroska audio (MKA)',
};

export function formatWords(extension: string): string {
  const ext = extension.toLowerCase().replace(/^\./, '');
  return FORMAT_WORDS[ext] ?? `${ext.toUpperCase()} file`;
}

/** "WebM video", "MP3 audio and PNG image": the outputs of a preset in words. */
export function outputsInWords(preset: Pick<Preset, 'outputs'>): string {
  const words = [...new Set(preset.outputs.map((o) => formatWords(o.extension)))];
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

export const ACCOUNT_GROUP_LABEL = 'Your RenderIO account';

function presetOption(preset: Preset): PresetOptionView {
  const reason = preset.unavailable ?? null;
  return {
    id: preset.id,
    name: preset.name,
    label: reason ? `${preset.name} (unavailable)` : preset.name,
    disabled: reason !== null,
    reason,
  };
}

/** The select's groups, in order, without empty ones. */
export function presetGroups(presets: readonly Preset[]): PresetGroupView[] {
  const groups: PresetGroupView[] = KIND_GROUPS.map((g) => ({
    key: g.kind,
    label: g.label,
    options: presets
      .filter((p) => p.source !== 'account' && groupOf(p) === g.kind)
      .map(presetOption),
  }));
  groups.push({
    key: 'account',
    label: ACCOUNT_GROUP_LABEL,
    options: presets.filter((p) => p.source === 'account').map(presetOption),
  });
  return groups.filter((g) => g.options.length > 0);
}

/** The presets listed but not runnable, for the note under the picker. */
export function unavailablePresets(presets: readonly Preset[]): PresetOptionView[] {
  return presets.filter((p) => p.unavailable).map(presetOption);
}

/** A DOM id for the element holding an unavailable preset's reason. */
export function reasonElementId(presetId: string): string {
  return `preset-reason-${presetId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
