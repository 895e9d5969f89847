/** Settings: concurrency per stage, poll interval bounds (PollBounds.tsx), clean-up on RenderIO, notifications, theme, this computer's ffmpeg. */
import { useEffect, useState } from 'react';
import type { ToolsSettings } from '../../../../shared/ipc/contract';
import type { LocalEngineStatus } from '../../../../shared/localEngine';
import { useToolsStore } from '../../store/toolsStore';
import { PollBounds } from './PollBounds';
import { applyTheme, toolIntent } from './toolsActions';

const STAGES: { key: keyof ToolsSettings['concurrency']; label: string }[] = [
  { key: 'uploads', label: 'Uploads at once' },
  { key: 'remote', label: 'Conversions at once' },
  { key: 'downloads', label: 'Downloads at once' },
];

type SettingsPatch = {
  concurrency?: Partial<ToolsSettings['concurrency']>;
  cleanupRemote?: boolean;
  notifications?: boolean;
  theme?: ToolsSettings['theme'];
};

export function SettingsPanel() {
  const settings = useToolsStore((s) => s.settings);
  const setSettings = useToolsStore((s) => s.setSettings);
  const [engine, setEngine] = useState<LocalEngineStatus | null>(null);
  useEffect(() => {
    void toolIntent((api) => api.appSettings.get()).then((s) => s && setSettings(s));
    void toolIntent((api) => api.engine.status()).then((e) => e && setEngine(e));
  }, [setSettings]);
  const update = (patch: SettingsPatch) =>
    void toolIntent(
      (api) => api.appSettings.update(patch),
      () => 'Settings saved.',
    ).then((s) => {
      if (s) {
        setSettings(s);
        applyTheme(s.theme);
      }
    });
  if (!settings) return <p>Loading settings…</p>;
  return (
    <form className="tool-settings" aria-label="Settings" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Work at once</legend>
        {STAGES.map(({ key, label }) => (
          <label key={key}>
            {label}
            <input
              type="number"
              min={1}
              max={32}
              defaultValue={settings.concurrency[key]}
              onBlur={(e) => update({ concurrency: { [key]: Number(e.target.value) } })}
            />
          </label>
        ))}
      </fieldset>
      <PollBounds settings={settings} />
      <label className="check">
        <input
          type="checkbox"
          checked={settings.cleanupRemote}
          onChange={(e) => update({ cleanupRemote: e.target.checked })}
        />
        Delete my files from RenderIO after download
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.notifications}
          onChange={(e) => update({ notifications: e.target.checked })}
        />
        Notifications (a failed job, a finished queue)
      </label>
      <label>
        Theme
        <select
          value={settings.theme}
          onChange={(e) => update({ theme: e.target.value as ToolsSettings['theme'] })}
        >
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <p className="meta">
        ffmpeg for this computer: {engine?.summary ?? engine?.problem ?? 'not known yet'}
      </p>
    </form>
  );
}
