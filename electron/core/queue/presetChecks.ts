/**
 * The one check of a preset against a file, made when jobs are added, when a preset is applied
 * to queued jobs, and again before the upload: a preset the app lists but cannot run, the wrong
 * kind of file, a silent video for an audio preset.
 */
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import {
  describePresetRefusal,
  describeUnavailablePreset,
} from '../../../shared/presets/mediaKinds';

export interface PresetRules {
  /** Why a preset cannot take this kind of file, or null. */
  refusePreset?(preset: Preset, kind: MediaKind): string | null;
  /**
   * Why the place a profile runs jobs cannot run this preset, or null: this computer without a
   * usable ffmpeg, or with an ffmpeg that lacks the preset's encoder. No job starts there.
   */
  refuseOnProfile?(profileId: string, preset: Preset): string | null;
}

/**
 * Why the preset cannot run on this kind of file, or null. Without a kind: whether it can run
 * at all. With a profile: whether it can run where that profile runs jobs.
 */
export function presetRefusal(
  preset: Preset,
  kind: MediaKind | null,
  rules: PresetRules,
  profileId?: string,
): string | null {
  const unavailable = describeUnavailablePreset(preset);
  if (unavailable) return unavailable;
  const there = profileId === undefined ? null : rules.refuseOnProfile?.(profileId, preset);
  if (there) return there;
  if (rules.refusePreset && kind) return rules.refusePreset(preset, kind);
  if (kind && !preset.accepts.includes(kind))
    return `${preset.name} takes ${preset.accepts.join(' or ')} files, not ${kind}`;
  return null;
}

/** Whether to probe a file for sound first: an audio preset makes nothing of a silent video. */
export function needsSound(preset: Preset, kind: MediaKind | null): boolean {
  return preset.category === 'audio' && preset.accepts.includes('video') && kind === 'video';
}

/** Why an audio preset refuses a video known to have no sound (add and upload say the same). */
export function silentVideoRefusal(preset: Preset): string {
  return (
    describePresetRefusal(preset, 'video', { hasAudio: false }) ??
    `"${preset.name}" needs a sound track, and this video has none.`
  );
}
