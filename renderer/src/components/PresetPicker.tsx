import { useMemo } from 'react';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import { updateSettings } from '../actions';
import { useAppStore } from '../store/appStore';

const GROUPS: { kind: MediaKind; label: string }[] = [
  { kind: 'video', label: 'Video' },
  { kind: 'audio', label: 'Audio' },
  { kind: 'image', label: 'Image' },
];

function outputsOf(preset: Preset): string {
  return [...new Set(preset.outputs.map((o) => o.extension.toUpperCase()))].join(', ');
}

/** A native select grouped by category: keyboard and screen readers get it right for free. */
export function PresetPicker() {
  const presets = useAppStore((s) => s.presets);
  const presetId = useAppStore((s) => s.settings?.defaultPresetId ?? null);
  const grouped = useMemo(
    () =>
      GROUPS.map((g) => ({ ...g, presets: presets.filter((p) => p.category === g.kind) })).filter(
        (g) => g.presets.length > 0,
      ),
    [presets],
  );
  const current = presets.find((p) => p.id === presetId) ?? null;

  return (
    <div className="field preset-field">
      <label htmlFor="preset">Preset</label>
      <select
        id="preset"
        value={current?.id ?? ''}
        aria-describedby="preset-description"
        disabled={presets.length === 0}
        onChange={(event) => void updateSettings({ defaultPresetId: event.target.value })}
      >
        {!current && <option value="">Choose a preset…</option>}
        {grouped.map((group) => (
          <optgroup key={group.kind} label={group.label}>
            {group.presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p id="preset-description" className="hint">
        {current ? (
          <>
            {current.description}{' '}
            <span className="meta">
              Takes {current.accepts.join(', ')} · makes {outputsOf(current)}
            </span>
          </>
        ) : presets.length === 0 ? (
          'Loading presets…'
        ) : (
          'Pick what the files should become.'
        )}
      </p>
    </div>
  );
}
