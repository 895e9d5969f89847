/**
 * What a finished job made, on its row: the output's name (drag it out of the window to
 * another app: main starts the native drag with the real file), the output size beside the
 * source size, and the time the job took.
 */
import type { DragEvent } from 'react';
import type { Job } from '../../../shared/jobs';
import { intent } from '../actions';
import { formatBytes, formatTook } from '../lib/format';
import { baseName } from './JobActions';

/** Wall time from the first start to the end, or the sum of the stage times when unknown. */
export function timeTakenMs(
  job: Pick<Job, 'startedAt' | 'finishedAt' | 'stageTimings'>,
): number | null {
  if (job.startedAt !== null && job.finishedAt !== null && job.finishedAt >= job.startedAt)
    return job.finishedAt - job.startedAt;
  const sum = Object.values(job.stageTimings).reduce<number>((a, b) => a + (b ?? 0), 0);
  return sum > 0 ? sum : null;
}

export function JobResult({ job }: { job: Job }) {
  const output = job.outputPaths[0];
  if (!output) return null;
  const took = timeTakenMs(job);
  const startDrag = (event: DragEvent) => {
    // The native drag carries the real file; the page's own drag would carry only text.
    event.preventDefault();
    void intent((a) => a.jobs.startDrag({ id: job.id }));
  };
  return (
    <>
      <span
        className="detail output-name"
        draggable
        onDragStart={startDrag}
        title={`${baseName(output)}: drag it to another app or folder`}
      >
        → {baseName(output)}
      </span>
      <span className="detail sizes">
        {formatBytes(job.sourceSize)} →{' '}
        {job.outputBytes !== undefined ? formatBytes(job.outputBytes) : '—'}
      </span>
      {took !== null && <span className="detail took">took {formatTook(took)}</span>}
    </>
  );
}
