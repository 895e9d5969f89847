/**
 * A row's buttons, in fixed slots so they line up from row to row: the main action (Open,
 * Retry, Cancel), a second one (Show in folder, Locate…), Details, Remove, and the move
 * arrows (only on jobs that still wait: a finished or running job has no place to move to).
 * Each button says in its hint what it does, so Cancel and Remove are not confused.
 */
import { useRef } from 'react';
import type { Job } from '../../../shared/jobs';
import { intent } from '../actions';
import { isFinished, isRunning } from '../lib/stageView';
import { openJobDetails } from './jobDetailsState';
import './jobList.css';

const MOVE_ARROW = { up: 'm6 14 6-6 6 6', down: 'm6 10 6 6 6-6' } as const;

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
        className="small"
        aria-label={`Open ${baseName(output)}`}
        title="Open the converted file in its default app"
        onClick={() => void intent((a) => a.jobs.open({ id }))}
      >
        Open
      </button>
    );
  } else if (stage === 'failed' || stage === 'cancelled') {
    primary = (
      <button
        type="button"
        className="small"
        aria-label={`Retry ${name}`}
        title="Run this job again"
        onClick={onRetry}
      >
        Retry
      </button>
    );
  } else if (!finished) {
    primary = (
      <button
        type="button"
        className="secondary small"
        aria-label={`Cancel ${name}`}
        title="Stop this job; it stays in the list so you can retry it"
        onClick={onCancel}
      >
        Cancel
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
            className="secondary small"
            aria-label={`Show in folder: ${baseName(output)}`}
            title="Show the converted file in the file manager"
            onClick={() => void intent((a) => a.jobs.reveal({ id }))}
          >
            Show in folder
          </button>
        )}
      </span>
      <span className="slot slot-details">
        <button
          ref={detailsButton}
          type="button"
          className="ghost small"
          aria-label={`Details of ${name}`}
          title="Stage times, the FFmpeg command and its log"
          aria-haspopup="dialog"
          onClick={() => openJobDetails(id, detailsButton.current)}
        >
          Details
        </button>
      </span>
      <span className="slot slot-remove">
        {!running && (
          <button
            type="button"
            className="ghost small"
            aria-label={`Remove ${name}`}
            title={
              finished
                ? 'Take this job off the list (its converted file stays)'
                : 'Take this job off the list without converting it'
            }
            onClick={onRemove}
          >
            Remove
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
