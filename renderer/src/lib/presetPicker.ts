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

export interface PresetGroupView {
  key: MediaKind | 'account';
  label: string;
  options: PresetOptionView[];
}

const KIND_GROUPS: { kind: MediaKind; label: string }[] = [
  { kind: 'video', label: 'Video' },
  { kind: 'audio', label: 'Audio' },
  { kind: 'image', label: 'Image' },
];

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
      .filter((p) => p.source !== 'account' && p.category === g.kind)
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
