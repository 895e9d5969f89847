import { useMemo } from 'react';
import { updateSettings } from '../actions';
import {
  outputsInWords,
  presetGroups,
  reasonElementId,
  unavailablePresets,
} from '../lib/presetPicker';
import { activeProfile } from '../lib/runJobsOn';
import { selectDefaultPreset, useAppStore } from '../store/appStore';

/**
 * A native select grouped by category, plus the account's presets: keyboard and screen
 * readers get it right for free. Account presets the app cannot run are listed disabled, with
 * the reason as the option's description and in a note under the picker.
 */
export function PresetPicker() {
  const presets = useAppStore((s) => s.presets);
  const accountError = useAppStore((s) => s.accountPresetsError);
  const current = useAppStore(selectDefaultPreset);
  const grouped = useMemo(() => presetGroups(presets), [presets]);
  const unavailable = useMemo(() => unavailablePresets(presets), [presets]);
  // Presets this computer's ffmpeg cannot run, while new jobs go to this computer.
  const notHere = useAppStore((s) =>
    activeProfile(s.vault)?.kind === 'local' ? (s.engine?.unavailablePresets ?? null) : null,
  );
  const currentNotHere = current ? notHere?.[current.id] : undefined;

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
          <optgroup key={group.key} label={group.label}>
            {group.options.map((o) => (
              <option
                key={o.id}
                value={o.id}
                disabled={o.disabled}
                aria-disabled={o.disabled || undefined}
                aria-describedby={o.reason ? reasonElementId(o.id) : undefined}
                title={o.reason ?? undefined}
              >
                {notHere?.[o.id] ? `${o.label} (RenderIO only)` : o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p id="preset-description" className="hint">
        {current?.unavailable ? (
          // Chosen before it became unusable (edited on RenderIO): say why files will be refused.
          <span className="warn-text">
            “{current.name}” cannot be used here. {current.unavailable}
          </span>
        ) : current && currentNotHere ? (
          <span className="warn-text">
            Not on this computer: {currentNotHere}. It runs on RenderIO.
          </span>
        ) : current ? (
          <>
            {current.description}{' '}
            <span className="meta">
              Takes {current.accepts.join(', ')} ·{' '}
              <span className="nowrap">makes {outputsInWords(current)}</span>
            </span>
          </>
        ) : presets.length === 0 ? (
          'Loading presets…'
        ) : (
          'Pick what the files should become.'
        )}
      </p>
      {accountError && <p className="hint warn-text">{accountError}</p>}
      {unavailable.length > 0 && (
        <div className="hint preset-unavailable">
          <p>Account presets RenderIO Desktop cannot run:</p>
          <ul>
            {unavailable.map((o) => (
              <li key={o.id}>
                <span className="name">{o.name}</span>:{' '}
                <span id={reasonElementId(o.id)}>{o.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
