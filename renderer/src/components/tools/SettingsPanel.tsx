/** Settings: concurrency per stage, poll interval bounds (PollBounds.tsx), clean-up on RenderIO, notifications, theme, this computer's ffmpeg. */
import { useEffect, useState } from 'react';
import type { ToolsSettings } from '../../../../shared/ipc/contract';
import { runFfmpegChoice } from '../../lib/ffmpegChoice';
import { useAppStore } from '../../store/appStore';
import {
  CONCURRENCY_LIMITS,
  describeConcurrencyProblem,
} from '../../../../shared/concurrencyLimits';
import { useToolsStore } from '../../store/toolsStore';
import { PollBounds } from './PollBounds';
import { ffmpegChoiceMessage } from './toolMessages';
import { applyTheme, clearToolMessage, toolIntent, toolRead } from './toolsActions';

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
  // Kept current by engine:status-changed (actions.ts), so a new choice shows here at once.
  const engine = useAppStore((s) => s.engine);
  const [checking, setChecking] = useState<'choose' | 'automatic' | null>(null);
  useEffect(() => {
    void toolRead((api) => api.appSettings.get()).then((s) => s && setSettings(s));
  }, [setSettings]);
  const chooseFfmpeg = async (which: 'choose' | 'automatic') => {
    if (checking) return;
    clearToolMessage();
    setChecking(which);
    const notice = await runFfmpegChoice(which);
    setChecking(null);
    if (!notice) return;
    if (notice.kind === 'error') return useToolsStore.getState().say('error', notice.text);
    // runFfmpegChoice stored the engine's new status: it says which presets this ffmpeg cannot run.
    const { engine, presets } = useAppStore.getState();
    const said = ffmpegChoiceMessage(notice.text, engine, presets);
    useToolsStore.getState().say(said.kind, said.text);
  };
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
  // A value that cannot be a limit is refused here in the field's words (main would refuse it
  // as "concurrency.uploads: Too small: expected number to be >=1"), and nothing is saved.
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const saveLimit = (key: keyof ToolsSettings['concurrency'], label: string, typed: string) => {
    const problem = describeConcurrencyProblem(typed);
    setInvalid((now) => {
      const next = new Set(now);
      if (problem) next.add(key);
      else next.delete(key);
      return next;
    });
    if (problem) useToolsStore.getState().say('error', `${label}: ${problem}`);
    else update({ concurrency: { [key]: Number(typed) } });
  };
  if (!settings) return <p>Loading settings…</p>;
  return (
    <form className="tool-settings" aria-label="Settings" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="framed">
        <legend>Work at once</legend>
        {STAGES.map(({ key, label }) => (
          <label key={key}>
            {label}
            <input
              type="number"
              min={CONCURRENCY_LIMITS.low}
              max={CONCURRENCY_LIMITS.high}
              defaultValue={settings.concurrency[key]}
              aria-invalid={invalid.has(key) || undefined}
              onBlur={(e) => saveLimit(key, label, e.target.value)}
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
      <div
        className="ffmpeg-choice"
        role="group"
        aria-labelledby="ffmpeg-summary"
        aria-busy={checking !== null}
      >
        <p id="ffmpeg-summary" data-testid="ffmpeg-summary">
          ffmpeg for this computer:{' '}
          {engine?.summary ??
            (engine?.state === 'starting' ? 'starting…' : (engine?.problem ?? 'not known yet'))}
        </p>
        <p className="meta">
          {settings.chosenFfmpeg
            ? `Chosen: ${settings.chosenFfmpeg}`
            : 'Found automatically: FFMPEG_PATH, the copy packaged with the app, PATH, then the usual folders.'}
        </p>
        <div className="ffmpeg-actions">
          <button
            type="button"
            className="secondary"
            aria-disabled={checking !== null}
            onClick={() => void chooseFfmpeg('choose')}
          >
            {checking === 'choose' ? 'Checking ffmpeg…' : 'Choose ffmpeg…'}
          </button>
          {settings.chosenFfmpeg && (
            <button
              type="button"
              className="secondary"
              aria-disabled={checking !== null}
              onClick={() => void chooseFfmpeg('automatic')}
            >
              {checking === 'automatic' ? 'Looking for ffmpeg…' : 'Use automatic'}
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
