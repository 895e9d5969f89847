/**
 * What runs the jobs when they run on this computer: "This computer: ffmpeg 5.1.6 (PATH)", or
 * why it cannot convert, with the way out (run them on RenderIO). Shown only while new jobs go
 * to this computer; on RenderIO the Account button says where they go.
 */
import { activeProfile } from '../lib/runJobsOn';
import { useAppStore } from '../store/appStore';

export function EngineStatusLine({ onUseRenderio }: { onUseRenderio: () => void }) {
  const engine = useAppStore((s) => s.engine);
  const local = useAppStore((s) => activeProfile(s.vault)?.kind === 'local');
  if (!engine || !local) return null;
  if (engine.problem) {
    return (
      <div className="engine-status engine-problem" role="status" data-testid="engine-status">
        <p>
          <strong>This computer cannot convert.</strong> {engine.problem}
        </p>
        <button type="button" className="secondary" onClick={onUseRenderio}>
          Use RenderIO instead
        </button>
      </div>
    );
  }
  const unavailable = Object.keys(engine.unavailablePresets).length;
  return (
    <p className="engine-status hint" data-testid="engine-status">
      {engine.state === 'ready' && engine.summary
        ? `This computer: ${engine.summary}`
        : 'This computer: starting the converter…'}
      {unavailable > 0 &&
        ` · ${unavailable} ${unavailable === 1 ? 'preset runs' : 'presets run'} on RenderIO only`}
    </p>
  );
}
