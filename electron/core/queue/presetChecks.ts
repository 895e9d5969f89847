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

/** Why the preset cannot run on this kind of file, or null. Without a kind: whether it can run at all. */
export function presetRefusal(
  preset: Preset,
  kind: MediaKind | null,
  refusePreset?: (preset: Preset, kind: MediaKind) => string | null,
): string | null {
  const unavailable = describeUnavailablePreset(preset);
  if (unavailable) return unavailable;
  if (refusePreset && kind) return refusePreset(preset, kind);
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
