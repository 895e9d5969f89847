/**
 * A row's buttons, in fixed slots so they line up from row to row: the main action (Open,
 * Retry, Cancel), a second one (Show in folder, Locate…), Details, Remove, and the move
 * arrows (only on jobs that still wait: a finished or running job has no place to move to).
 * Each button says in its hint what it does, so Cancel and Remove are not confused.
 *
 * Each button carries a word and an icon: a wide queue shows the words, a narrow one (the
 * small windows, `jobList.css`) only the icons, on the status line, so a row stays two lines
 * tall. The accessible name (aria-label) and the hint (title) are the same either way.
 */
import { useRef } from 'react';
import type { Job } from '../../../shared/jobs';
import { intent } from '../actions';
import { isFinished, isRunning } from '../lib/stageView';
import { openJobDetails } from './jobDetailsState';
import './jobList.css';

const MOVE_ARROW = { up: 'm6 14 6-6 6 6', down: 'm6 10 6 6 6-6' } as const;

/** The icons a narrow row shows in place of the buttons' words (24-unit strokes). */
export const ACTION_ICON = {
  open: 'M14 4h6v6M20 4l-9 9M18 14v5H5V6h5',
  retry: 'M20 12a8 8 0 1 1-2.34-5.66M20 4v5h-5',
  cancel: 'M7 7l10 10M17 7 7 17',
  reveal: 'M3 6h6l2 2h10v11H3z',
  details: 'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zM12 11v6M12 7.5v.5',
  remove: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v5M14 11v5',
  change: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
} as const;

/** A button's word (wide rows) and its icon (narrow rows); aria-label names the button. */
export function ActionFace({ icon, label }: { icon: keyof typeof ACTION_ICON; label: string }) {
  return (
    <>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="action-icon">
        <path d={ACTION_ICON[icon]} />
      </svg>
      <span className="action-label">{label}</span>
    </>
  );
}

function MoveButton(props: {
  id: string;
  name: string;
  direction: 'up' | 'down';
  disabled: boolean;
}) {
  const { id, name, direction, disabled } = props;
  return (
    <button
      type="button"
      className="ghost icon"
      aria-label={`Move ${name} ${direction}`}
      title={`Move ${direction} in the queue`}
      disabled={disabled}
      onClick={() => void intent((a) => a.jobs.move({ id, direction }))}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24">
        <path d={MOVE_ARROW[direction]} />
      </svg>
    </button>
  );
}

export interface JobActionsProps {
  job: Job;
  first: boolean;
  last: boolean;
  /** Cancel and Retry: the row moves the focus to the button that replaces them. */
  onRetry(): void;
  onCancel(): void;
  onRemove(): void;
}

export function JobActions({ job, first, last, onRetry, onCancel, onRemove }: JobActionsProps) {
  const { id, sourceName: name, stage } = job;
  const finished = isFinished(stage);
  const running = isRunning(stage);
  const output = job.outputPaths[0];
  const detailsButton = useRef<HTMLButtonElement>(null);
  const canMove = !finished && !running;

  let primary = null;
  if (stage === 'done' && output) {
    primary = (
      <button
        type="button"
        className="small action"
        aria-label={`Open ${baseName(output)}`}
        title="Open the converted file in its default app"
        onClick={() => void intent((a) => a.jobs.open({ id }))}
      >
        <ActionFace icon="open" label="Open" />
      </button>
    );
  } else if (stage === 'failed' || stage === 'cancelled') {
    primary = (
      <button
        type="button"
        className="small action"
        aria-label={`Retry ${name}`}
        title="Run this job again"
        onClick={onRetry}
      >
        <ActionFace icon="retry" label="Retry" />
      </button>
    );
  } else if (!finished) {
    primary = (
      <button
        type="button"
        className="secondary small action"
        aria-label={`Cancel ${name}`}
        title="Stop this job; it stays in the list so you can retry it"
        onClick={onCancel}
      >
        <ActionFace icon="cancel" label="Cancel" />
      </button>
    );
  }

  return (
    <div className="job-actions slots">
      <span className="slot slot-primary">{primary}</span>
      <span className="slot slot-secondary">
        {stage === 'done' && output && (
          <button
            type="button"
            className="secondary small action"
            aria-label={`Show in folder: ${baseName(output)}`}
            title="Show the converted file in the file manager"
            onClick={() => void intent((a) => a.jobs.reveal({ id }))}
          >
            <ActionFace icon="reveal" label="Show in folder" />
          </button>
        )}
      </span>
      <span className="slot slot-details">
        <button
          ref={detailsButton}
          type="button"
          className="ghost small action"
          aria-label={`Details of ${name}`}
          title="Stage times, the FFmpeg command and its log"
          aria-haspopup="dialog"
          onClick={() => openJobDetails(id, detailsButton.current)}
        >
          <ActionFace icon="details" label="Details" />
        </button>
      </span>
      <span className="slot slot-remove">
        {!running && (
          <button
            type="button"
            className="ghost small action"
            aria-label={`Remove ${name}`}
            title={
              finished
                ? 'Take this job off the list (its converted file stays)'
                : 'Take this job off the list without converting it'
            }
            onClick={onRemove}
          >
            <ActionFace icon="remove" label="Remove" />
          </button>
        )}
      </span>
      <span className="slot move">
        {canMove && (
          <>
            <MoveButton id={id} name={name} direction="up" disabled={first} />
            <MoveButton id={id} name={name} direction="down" disabled={last} />
          </>
        )}
      </span>
    </div>
  );
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
