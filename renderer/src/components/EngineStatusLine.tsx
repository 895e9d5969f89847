/**
 * What runs the jobs when they run on this computer: "This computer: ffmpeg 5.1.6 (PATH)", or
 * why it cannot convert, with the ways out: choose an ffmpeg (main's file dialog; the file is
 * checked before it is used), go back to the one found automatically when a chosen one stopped
 * working (moved by an upgrade), or run them on RenderIO. Shown only while new jobs go to this
 * computer; on RenderIO the Account button says where they go.
 */
import { useEffect, useState } from 'react';
import { getApi } from '../api';
import { runFfmpegChoice } from '../lib/ffmpegChoice';
import { activeProfile } from '../lib/runJobsOn';
import { useAppStore } from '../store/appStore';
import { useToolsStore } from '../store/toolsStore';

export function EngineStatusLine({ onUseRenderio }: { onUseRenderio: () => void }) {
  const engine = useAppStore((s) => s.engine);
  const local = useAppStore((s) => activeProfile(s.vault)?.kind === 'local');
  const chosen = useToolsStore((s) => s.settings?.chosenFfmpeg ?? null);
  const [checking, setChecking] = useState<'choose' | 'automatic' | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const problem = Boolean(engine?.problem);
  // Whether an ffmpeg was chosen is a setting, not part of the engine's status: asked when the
  // box shows, so a chosen one that stopped working offers the way back to automatic.
  useEffect(() => {
    if (!problem) return;
    void getApi()
      ?.appSettings.get()
      .then((s) => useToolsStore.getState().setSettings(s))
      .catch(() => undefined);
  }, [problem]);
  if (!engine || !local) return null;
  const run = async (which: 'choose' | 'automatic') => {
    if (checking) return;
    setChecking(which);
    setRefusal(null);
    const notice = await runFfmpegChoice(which);
    setChecking(null);
    if (notice?.kind === 'error') setRefusal(notice.text);
  };
  if (engine.problem) {
    return (
      <div
        className="engine-status engine-problem"
        role="status"
        data-testid="engine-status"
        aria-busy={checking !== null}
      >
        <p>
          <strong>This computer cannot convert.</strong> {engine.problem}
        </p>
        <div className="engine-actions">
          {/* aria-disabled, not disabled: the button keeps the focus while main checks the file. */}
          <button
            type="button"
            className="secondary"
            onClick={() => void run('choose')}
            aria-disabled={checking !== null}
          >
            {checking === 'choose' ? 'Checking ffmpeg…' : 'Choose ffmpeg…'}
          </button>
          {chosen && (
            <button
              type="button"
              className="secondary"
              onClick={() => void run('automatic')}
              aria-disabled={checking !== null}
            >
              {checking === 'automatic' ? 'Looking for ffmpeg…' : 'Use automatic'}
            </button>
          )}
          <button type="button" className="secondary" onClick={onUseRenderio}>
            Use RenderIO instead
          </button>
        </div>
        {refusal && (
          <p className="engine-refusal" role="alert" data-testid="ffmpeg-refusal">
            {refusal}
          </p>
        )}
      </div>
    );
  }
  const unavailable = Object.keys(engine.unavailablePresets).length;
  return (
    <p className="engine-status hint" role="status" data-testid="engine-status">
      {engine.state === 'ready' && engine.summary
        ? `This computer: ${engine.summary}`
        : 'This computer: starting the converter…'}
      {unavailable > 0 &&
        ` · ${unavailable} ${unavailable === 1 ? 'preset runs' : 'presets run'} on RenderIO only`}
    </p>
  );
}
