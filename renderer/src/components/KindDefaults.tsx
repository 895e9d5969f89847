import { useId, useState } from 'react';
import type { MediaKind } from '../../../shared/presetTypes';
import { updateSettings } from '../actions';
import { useAppStore } from '../store/appStore';

const KINDS: { kind: MediaKind; label: string }[] = [
  { kind: 'video', label: 'Video files' },
  { kind: 'audio', label: 'Audio files' },
  { kind: 'image', label: 'Image files' },
];

/**
 * The preset each kind of file gets when the picked preset cannot take it, so a drop of a
 * video, a WAV and a PNG together just works. Only presets that take the kind are offered.
 */
export function KindDefaults() {
  const presets = useAppStore((s) => s.presets);
  const defaults = useAppStore((s) => s.settings?.kindDefaults);
  const base = useId();
  // Drawn once first opened: closed, its three lists of presets are not shown, and the first
  // render of the window need not build them.
  const [opened, setOpened] = useState(false);
  if (!defaults) return null;
  return (
    <details
      className="kind-defaults"
      onToggle={(e) => {
        if (e.currentTarget.open) setOpened(true);
      }}
    >
      <summary>When the preset does not fit a file</summary>
      <p className="hint">Files the preset above cannot take get the default for their kind:</p>
      {opened &&
        KINDS.map(({ kind, label }) => {
          const options = presets.filter((p) => !p.unavailable && p.accepts.includes(kind));
          const id = `${base}-${kind}`;
          return (
            <div className="field kind-default" key={kind}>
              <label htmlFor={id}>{label}</label>
              <select
                id={id}
                value={defaults[kind]}
                onChange={(e) => void updateSettings({ kindDefaults: { [kind]: e.target.value } })}
              >
                {!options.some((p) => p.id === defaults[kind]) && (
                  <option value={defaults[kind]}>Not available: choose another</option>
                )}
                {options.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
    </details>
  );
}
