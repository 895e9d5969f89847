/**
 * What runs the jobs when they run on this computer: "This computer: ffmpeg 5.1.6 (PATH)", or
 * why it cannot convert, with the ways out: choose an ffmpeg (main's file dialog; the file is
 * checked before it is used) or run them on RenderIO. Shown only while new jobs go to this
 * computer; on RenderIO the Account button says where they go.
 */
import { useState } from 'react';
import { runFfmpegChoice } from '../lib/ffmpegChoice';
import { activeProfile } from '../lib/runJobsOn';
import { useAppStore } from '../store/appStore';

export function EngineStatusLine({ onUseRenderio }: { onUseRenderio: () => void }) {
  const engine = useAppStore((s) => s.engine);
  const local = useAppStore((s) => activeProfile(s.vault)?.kind === 'local');
  const [checking, setChecking] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  if (!engine || !local) return null;
  const choose = async () => {
    if (checking) return;
    setChecking(true);
    setRefusal(null);
    const notice = await runFfmpegChoice('choose');
    setChecking(false);
    if (notice?.kind === 'error') setRefusal(notice.text);
  };
  if (engine.problem) {
    return (
      <div
        className="engine-status engine-problem"
        role="status"
        data-testid="engine-status"
        aria-busy={checking}
      >
        <p>
          <strong>This computer cannot convert.</strong> {engine.problem}
        </p>
        <div className="engine-actions">
          {/* aria-disabled, not disabled: the button keeps the focus while main checks the file. */}
          <button
            type="button"
            className="secondary"
            onClick={() => void choose()}
            aria-disabled={checking}
          >
            {checking ? 'Checking ffmpeg…' : 'Choose ffmpeg…'}
          </button>
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
