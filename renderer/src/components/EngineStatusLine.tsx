/**
 * What runs the jobs when they run on this computer: "This computer: ffmpeg 5.1.6 (PATH)", or
 * why it cannot convert, with the ways out: start the converter again when it gave up after
 * repeated crashes or was stopped (first: nothing else brings it back short of quitting the
 * app), choose an ffmpeg (main's file dialog; the file is checked before it is used), go back to
 * the one found automatically when a chosen one stopped working (moved by an upgrade), or run
 * them on RenderIO. Shown only while new jobs go to this computer; on RenderIO the Account
 * button says where they go.
 */
import { useEffect, useRef, useState } from 'react';
import { getApi } from '../api';
import {
  canStartConverter,
  shownFailure,
  START_CONVERTER_LABEL,
  startConverterAgain,
  useConverterStart,
} from '../lib/converterStart';
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
  const starting = useConverterStart((s) => s.starting);
  const startFailure = useConverterStart((s) => shownFailure(s.failure, engine));
  const focusLine = useConverterStart((s) => s.focusLine);
  const line = useRef<HTMLParagraphElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const problem = Boolean(engine?.problem);
  // Started from this box, which then gives way to the line: the focus goes to the line, which
  // says what runs now, instead of being dropped with the button (or to the box's first way
  // out, when the converter runs but found no ffmpeg).
  useEffect(() => {
    const target = line.current ?? box.current?.querySelector('button');
    if (!focusLine || !target) return;
    target.focus();
    useConverterStart.getState().lineFocused();
  }, [focusLine, engine]);
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
  const busy = checking !== null || starting;
  const run = async (which: 'choose' | 'automatic') => {
    if (busy) return;
    setChecking(which);
    setRefusal(null);
    const notice = await runFfmpegChoice(which);
    setChecking(null);
    if (notice?.kind === 'error') setRefusal(notice.text);
  };
  // While the converter starts again its problem is gone, but the box stays (its button says
  // "Starting…" and keeps the focus) until it runs or says why it did not.
  if (engine.problem || starting) {
    const offerStart = canStartConverter(engine) || starting;
    return (
      <div
        ref={box}
        className={`engine-status engine-problem${starting && !engine.problem ? ' engine-starting' : ''}`}
        role="status"
        data-testid="engine-status"
        aria-busy={busy}
      >
        {/* First: what the person just chose was refused, and why. Under the buttons it sat
            below the fold at 720x520, under the older "ffmpeg not found". */}
        {refusal && (
          <p className="engine-refusal" role="alert" data-testid="ffmpeg-refusal">
            {refusal}
          </p>
        )}
        {startFailure ? (
          <p role="alert" data-testid="converter-start-failure">
            <strong>Starting it again did not work.</strong> {startFailure}
          </p>
        ) : starting && !engine.problem ? (
          <p>
            <strong>Starting this computer&apos;s converter…</strong>
          </p>
        ) : (
          <p>
            <strong>This computer cannot convert.</strong> {engine.problem}
          </p>
        )}
        <div className="engine-actions">
          {/* aria-disabled, not disabled: a button keeps the focus while main works. */}
          {offerStart && (
            <button
              type="button"
              className={starting ? 'working' : undefined}
              onClick={() => void startConverterAgain('box')}
              aria-disabled={busy}
            >
              {starting ? 'Starting…' : START_CONVERTER_LABEL}
            </button>
          )}
          <button
            type="button"
            className={checking === 'choose' ? 'secondary working' : 'secondary'}
            onClick={() => void run('choose')}
            aria-disabled={busy}
          >
            {checking === 'choose' ? 'Checking ffmpeg…' : 'Choose ffmpeg…'}
          </button>
          {chosen && (
            <button
              type="button"
              className={checking === 'automatic' ? 'secondary working' : 'secondary'}
              onClick={() => void run('automatic')}
              aria-disabled={busy}
            >
              {checking === 'automatic' ? 'Looking for ffmpeg…' : 'Use automatic'}
            </button>
          )}
          <button type="button" className="secondary" onClick={onUseRenderio}>
            Use RenderIO instead
          </button>
        </div>
      </div>
    );
  }
  const unavailable = Object.keys(engine.unavailablePresets).length;
  return (
    <p
      ref={line}
      className="engine-status hint"
      role="status"
      data-testid="engine-status"
      tabIndex={-1}
    >
      {engine.state === 'ready' && engine.summary
        ? `This computer: ${engine.summary}`
        : 'This computer: starting the converter…'}
      {unavailable > 0 &&
        ` · ${unavailable} ${unavailable === 1 ? 'preset runs' : 'presets run'} on RenderIO only`}
    </p>
  );
}
