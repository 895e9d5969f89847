/**
 * What the live region says about a batch of patches: additions, stage changes and
 * completions, never progress ticks. Pure, so it is unit-tested.
 */
import type { Job, JobStage, QueuePatch } from '../../../shared/jobs';
import type { QueueReplica } from '../store/queueReplica';
import { formatCount } from './format';
import { isFinished } from './stageView';

/** Stages worth announcing when a job enters them (stored/submitted read as one). */
const SPOKEN: Partial<Record<JobStage, string>> = {
  uploading: 'uploading',
  submitted: 'queued on server',
  processing: 'processing',
  downloading: 'downloading',
  done: 'done',
  cancelled: 'cancelled',
  paused: 'paused',
  'waiting-for-key': 'waiting for an API key',
  'rate-limited': 'rate-limited, will resume by itself',
};

export function announce(
  before: QueueReplica,
  after: QueueReplica,
  patches: readonly QueuePatch[],
): string[] {
  const messages: string[] = [];
  // Only upserts add jobs; the replica copies `order` only when it changes, so a batch of
  // progress ticks skips this scan. (A replica that learns the rest of the ids adds none.)
  let added: string[] = [];
  if (after.order !== before.order) {
    const known = new Set(before.order);
    const named = new Set<string>();
    for (const p of patches) if (p.type === 'upsert' && !known.has(p.job.id)) named.add(p.job.id);
    added = [...named];
  }
  // The jobs as the batch's upserts carry them: a replica of the rows on screen holds only
  // those, and a job added or changed off screen (or before its row is drawn) is named from here.
  const upserted = new Map<string, Job>();
  for (const p of patches) if (p.type === 'upsert') upserted.set(p.job.id, p.job);
  if (added.length === 1) {
    const id = added[0] ?? '';
    const job = after.jobsById[id] ?? upserted.get(id);
    messages.push(job ? `${job.sourceName} added to the queue.` : '1 file added to the queue.');
  } else if (added.length > 1) {
    messages.push(`${formatCount(added.length)} files added to the queue.`);
  }

  const newlyFailed: string[] = [];
  let stageChanged = false;
  const changed = new Set<string>();
  for (const p of patches) {
    if (p.type === 'upsert') changed.add(p.job.id);
    else if (p.type === 'progress') changed.add(p.id);
  }
  const failure = (job: Job) =>
    `${job.sourceName} failed: ${job.error?.message ?? 'unknown reason'}`;
  // Failures this batch adds to main's count, for a replica of the rows on screen: a job whose
  // row was not held yet (a file that failed as it was added, before its row was drawn) is not
  // seen to change stage, and would fail unsaid.
  let unsaid =
    after.keep !== null ? Math.max(0, after.aggregate.failed - before.aggregate.failed) : 0;
  const unseenFailed: Job[] = [];
  for (const id of changed) {
    const old = before.jobsById[id];
    const now = after.jobsById[id] ?? upserted.get(id);
    if (now?.stage === 'failed' && (!old || old.stage === 'failed') && upserted.has(id))
      unseenFailed.push(now);
    if (!old || !now || old.stage === now.stage) continue;
    stageChanged = true;
    if (now.stage === 'failed') {
      newlyFailed.push(failure(now));
      unsaid--;
      continue;
    }
    const spoken = SPOKEN[now.stage];
    if (!spoken) continue;
    if (now.stage === 'submitted' && old.stage === 'stored') continue;
    messages.push(`${now.sourceName}: ${spoken}.`);
  }
  for (const job of unseenFailed) if (unsaid-- > 0) newlyFailed.push(failure(job));
  messages.push(...newlyFailed.map((m) => `${m}.`.replace(/\.\.$/, '.')));

  if (before.paused !== after.paused)
    messages.push(after.paused ? 'Queue paused.' : 'Queue resumed.');
  if (!before.stopAfterRunning && after.stopAfterRunning)
    messages.push('The queue will stop after the running jobs.');

  // A replica of the rows on screen only: main's counts say when the whole queue finished.
  if (after.keep !== null) {
    const a = before.aggregate;
    const b = after.aggregate;
    const wasBusy = a.total > a.done + a.failed;
    if (a !== b && wasBusy && b.total > 0 && b.done + b.failed === b.total && b.active === 0)
      messages.push(
        `Queue finished: ${formatCount(b.done)} done${b.failed ? `, ${formatCount(b.failed)} failed` : ''}.`,
      );
    return messages;
  }
  // The whole queue finished in this batch: one summary. Only a stage change or a removal can
  // finish it, so a batch of progress ticks skips the scans below.
  if (!stageChanged && after.order === before.order) return messages;
  const wasBusy = before.order.some((id) => {
    const j = before.jobsById[id];
    return j !== undefined && !isFinished(j.stage);
  });
  if (!wasBusy) return messages;
  const jobsAfter = after.order.map((id) => after.jobsById[id]).filter((j) => j !== undefined);
  if (jobsAfter.length > 0 && jobsAfter.every((j) => isFinished(j.stage))) {
    const done = jobsAfter.filter((j) => j.stage === 'done').length;
    const failed = jobsAfter.filter((j) => j.stage === 'failed').length;
    messages.push(
      `Queue finished: ${formatCount(done)} done${failed ? `, ${formatCount(failed)} failed` : ''}.`,
    );
  }
  return messages;
}
