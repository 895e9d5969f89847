/**
 * A job's Details: where it ran, its stage times, the FFmpeg command and the words of whoever
 * ran it (ffmpeg's message, or the server's record), each copyable. A native modal <dialog>:
 * it keeps the focus inside and closes on Escape; the focus goes back to the button that
 * opened it.
 */
import { useEffect, useRef, useState } from 'react';
import type { JobDetails } from '../../../shared/jobDetails';
import { errorMessage, requireApi } from '../api';
import { formatBytes, formatClock } from '../lib/format';
import { stageLabel } from '../lib/stageView';
import { copyText } from '../lib/copyText';
import { useDetails } from './jobDetailsState';

type Load =
  | { state: 'loading' }
  | { state: 'ready'; details: JobDetails }
  | { state: 'failed'; message: string };

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatClock(ms / 1000);
}

/** What the log below is; on this computer there is no server to speak of, only its converter. */
function logHeading(details: JobDetails): string {
  if (details.logSource === 'ffmpeg') return 'FFmpeg log';
  if (details.logSource === 'server') return details.local ? "Converter's record" : 'Server record';
  return 'Log';
}

function CopyButton({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary small"
      disabled={text.length === 0}
      onClick={() => void copyText(text).then((ok) => setCopied(ok))}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

export function JobDetailsDialog() {
  const { id, returnTo } = useDetails();
  const dialog = useRef<HTMLDialogElement>(null);
  // What came back, for which job: another id than the one shown means it is still loading.
  const [answer, setAnswer] = useState<{ id: string; load: Load } | null>(null);
  const load: Load = answer && answer.id === id ? answer.load : { state: 'loading' };

  useEffect(() => {
    if (!id) return;
    let live = true;
    if (!dialog.current?.open) dialog.current?.showModal();
    requireApi()
      .jobs.details({ id })
      .then(
        (details) => live && setAnswer({ id, load: { state: 'ready', details } }),
        (error: unknown) =>
          live && setAnswer({ id, load: { state: 'failed', message: errorMessage(error) } }),
      );
    return () => {
      live = false;
    };
  }, [id]);

  const close = () => dialog.current?.close();
  const onClose = () => {
    const back = returnTo?.isConnected
      ? returnTo
      : document.querySelector<HTMLElement>(`[data-job-id="${CSS.escape(id ?? '')}"] .row-focus`);
    useDetails.setState({ id: null, returnTo: null });
    back?.focus();
  };

  const details = load.state === 'ready' ? load.details : null;
  return (
    <dialog
      ref={dialog}
      className="modal details-dialog"
      aria-labelledby="details-title"
      onClose={onClose}
    >
      <div className="modal-head">
        <h2 id="details-title">Details{details ? ` of ${details.sourceName}` : ''}</h2>
        <button type="button" className="ghost small" onClick={close}>
          Close
        </button>
      </div>
      {load.state === 'loading' && <p className="hint">Loading…</p>}
      {load.state === 'failed' && <p role="alert">{load.message}</p>}
      {details && (
        <div className="modal-body">
          <dl className="facts">
            <dt>Status</dt>
            <dd>{stageLabel(details.stage, details.local)}</dd>
            {details.error && (
              <>
                <dt>Why it failed</dt>
                <dd className="failure">{details.error}</dd>
              </>
            )}
            {details.warning && (
              <>
                <dt>Worth a look</dt>
                <dd className="caution">{details.warning}</dd>
              </>
            )}
            <dt>Preset</dt>
            <dd>{details.presetName}</dd>
            <dt>Ran on</dt>
            <dd>{details.runsOn}</dd>
            <dt>Source</dt>
            <dd className="path">
              {details.sourcePath} ({formatBytes(details.sourceSize)})
            </dd>
            {details.outputPaths.map((path) => (
              <FactRow key={path} term="Output" value={path} bytes={details.outputBytes} />
            ))}
          </dl>
          <h3>Stages</h3>
          {details.stages.length === 0 ? (
            <p className="hint">No stage has run yet.</p>
          ) : (
            <table className="stage-times">
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {details.stages.map((s) => (
                  <tr key={s.stage}>
                    <td>{stageLabel(s.stage, details.local)}</td>
                    <td className="numeric">{duration(s.ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="copy-head">
            <h3 id="details-command">Command</h3>
            <CopyButton label="Copy command" text={details.command} />
          </div>
          <pre aria-labelledby="details-command" tabIndex={0}>
            {details.command}
          </pre>
          <div className="copy-head">
            <h3 id="details-log">{logHeading(details)}</h3>
            <CopyButton label="Copy log" text={details.log} />
          </div>
          {details.log ? (
            <pre aria-labelledby="details-log" tabIndex={0}>
              {details.log}
            </pre>
          ) : (
            <p className="hint">Nothing logged yet: the command has not run.</p>
          )}
        </div>
      )}
    </dialog>
  );
}

function FactRow({ term, value, bytes }: { term: string; value: string; bytes: number | null }) {
  return (
    <>
      <dt>{term}</dt>
      <dd className="path">
        {value}
        {bytes !== null ? ` (${formatBytes(bytes)})` : ''}
      </dd>
    </>
  );
}
