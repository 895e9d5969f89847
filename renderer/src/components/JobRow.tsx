import { memo, useEffect, useRef, useState, type RefObject } from 'react';
import { intent } from '../actions';
import { waitingReason } from '../lib/queueState';
import { queuedElsewhereName } from '../lib/runJobsOn';
import { canChangePreset, describeJob, isFinished, isRunning } from '../lib/stageView';
import { useAppStore } from '../store/appStore';
import { ProgressBar } from './ProgressBar';

/** Re-renders once a second while the row shows a clock (elapsed time, a rate-limit wait). */
function useTicking(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  // When not ticking, rows show nothing time-based, so a stale value is harmless.
  return now;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

const KIND_ICON: Record<string, string> = {
  video: 'M4 6h11v12H4zM15 10l5-3v10l-5-3',
  audio: 'M9 18V6l10-2v12M9 18a3 3 0 1 1-3-3 3 3 0 0 1 3 3Zm10-2a3 3 0 1 1-3-3 3 3 0 0 1 3 3Z',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9.5a1.5 1.5 0 1 0 0-.01',
};

const MOVE_ARROW = { up: 'm6 14 6-6 6 6', down: 'm6 10 6 6 6-6' } as const;

function MoveButton({
  id,
  name,
  direction,
  disabled,
}: {
  id: string;
  name: string;
  direction: 'up' | 'down';
  disabled: boolean;
}) {
  return (
    <button
      type="button"
      className="ghost icon"
      aria-label={`Move ${name} ${direction}`}
      title={`Move ${direction}`}
      disabled={disabled}
      onClick={() => void intent((a) => a.jobs.move({ id, direction }))}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24">
        <path d={MOVE_ARROW[direction]} />
      </svg>
    </button>
  );
}

interface Props {
  id: string;
  first: boolean;
  last: boolean;
  /** The row that takes focus if this one is removed. */
  nextId: string | null;
  focusFallback: RefObject<HTMLElement | null>;
}

export const JobRow = memo(function JobRow({ id, first, last, nextId, focusFallback }: Props) {
  const job = useAppStore((s) => s.queue.jobsById[id]);
  const since = useAppStore((s) => s.queue.stageSince[id]);
  const selected = useAppStore((s) => s.selected.includes(id));
  const toggleSelected = useAppStore((s) => s.toggleSelected);
  const held = useAppStore((s) => waitingReason(s.queue));
  // A job runs where it was queued; say so when that is not where new jobs go now.
  const place = useAppStore((s) => queuedElsewhereName(s.vault, job?.settings.profileId));
  const stage = job?.stage;
  const ticking =
    Boolean(job?.retry) ||
    stage === 'stored' ||
    stage === 'submitted' ||
    stage === 'rate-limited' ||
    (stage === 'processing' && job?.progress.fraction === null);
  const now = useTicking(ticking);
  // Cancel removes its own button; the Retry button that replaces it takes the focus, so a
  // keyboard user is not dropped back to the top of the page.
  const retryButton = useRef<HTMLButtonElement>(null);
  const focusRetry = useRef(false);
  useEffect(() => {
    if (focusRetry.current && retryButton.current) {
      focusRetry.current = false;
      retryButton.current.focus();
    }
  }, [stage]);
  if (!job) return null;

  const described = describeJob(job, now, since);
  const view = job.stage === 'queued' && held ? { ...described, detail: held } : described;
  const name = job.sourceName;
  const running = isRunning(job.stage);
  const finished = isFinished(job.stage);
  const output = job.outputPaths[0];

  const cancel = async () => {
    focusRetry.current = true;
    const done = await intent(async (a) => {
      await a.jobs.cancel({ id });
      return true;
    });
    if (!done) focusRetry.current = false;
  };

  const remove = async () => {
    // Keep the keyboard user's place: focus the neighbouring row, or the queue heading.
    const next = nextId
      ? document.querySelector<HTMLElement>(`[data-job-id="${CSS.escape(nextId)}"] .row-focus`)
      : null;
    await intent((a) => a.jobs.remove({ ids: [id] }));
    (next ?? focusFallback.current)?.focus();
  };

  return (
    <li
      className={`job tone-${view.tone}`}
      data-job-id={id}
      data-stage={job.stage}
      aria-labelledby={`job-${id}-name`}
      aria-describedby={`job-${id}-status`}
    >
      <span className="select">
        {canChangePreset(job) && (
          <input
            type="checkbox"
            aria-label={`Select ${name}`}
            checked={selected}
            onChange={() => toggleSelected(id)}
          />
        )}
      </span>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="kind-icon">
        <path d={KIND_ICON[job.mediaKind ?? 'video'] ?? KIND_ICON.video} />
      </svg>
      <div className="job-main">
        <div className="job-title">
          <span
            id={`job-${id}-name`}
            className="job-name row-focus"
            tabIndex={-1}
            title={job.sourcePath}
          >
            {name}
          </span>
          <span className="badge" title={job.settings.preset.description}>
            {job.settings.preset.name}
          </span>
          {job.settings.presetChoice === 'kind-default' && (
            <span className="place">default for {job.mediaKind ?? 'this kind'}</span>
          )}
          {place && !finished && <span className="place">on {place}</span>}
        </div>
        <div id={`job-${id}-status`} className="job-status">
          <span className="stage">{view.label}</span>
          {view.detail && <span className="detail">{view.detail}</span>}
          {job.stage === 'done' && output && (
            <span className="detail output-name">→ {baseName(output)}</span>
          )}
        </div>
        {view.showBar && (
          <ProgressBar
            label={`Progress of ${name}`}
            fraction={view.fraction}
            valueText={view.valueText}
            tone={view.tone}
          />
        )}
      </div>
      <div className="job-actions">
        {job.stage === 'done' && output && (
          <button
            type="button"
            className="secondary small"
            aria-label={`Show in folder: ${baseName(output)}`}
            onClick={() => void intent((a) => a.jobs.reveal({ id }))}
          >
            Show in folder
          </button>
        )}
        {(job.stage === 'failed' || job.stage === 'cancelled') && (
          <button
            ref={retryButton}
            type="button"
            className="small"
            aria-label={`Retry ${name}`}
            onClick={() => void intent((a) => a.jobs.retry({ id }))}
          >
            Retry
          </button>
        )}
        {!finished && (
          <button
            type="button"
            className="secondary small"
            aria-label={`Cancel ${name}`}
            onClick={() => void cancel()}
          >
            Cancel
          </button>
        )}
        {!running && (
          <button
            type="button"
            className="ghost small"
            aria-label={`Remove ${name}`}
            onClick={() => void remove()}
          >
            Remove
          </button>
        )}
        <span className="move">
          <MoveButton id={id} name={name} direction="up" disabled={first} />
          <MoveButton id={id} name={name} direction="down" disabled={last} />
        </span>
      </div>
    </li>
  );
});
