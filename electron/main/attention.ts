/**
 * What the OS shows about the queue: the taskbar/Dock progress (from the aggregate) and
 * notifications, one when the whole queue finishes and one per failed job, never one per
 * file. Pure logic behind two sinks, so it is unit-tested without Electron.
 */
import {
  FINISHED_STAGES,
  type AggregateProgress,
  type JobStage,
  type QueuePatch,
  type QueueSnapshot,
} from '../../shared/jobs';

export interface AttentionSinks {
  /** 0..1 determinate, 2 indeterminate (Windows), -1 removes the bar. */
  setProgress(value: number): void;
  notify(title: string, body: string): void;
}

export function taskbarValue(aggregate: AggregateProgress): number {
  if (aggregate.total === 0 || aggregate.active === 0) return -1;
  // The same value as the window's overall bar (failures apart, never back), when main has it.
  const value = aggregate.share !== undefined ? aggregate.share : aggregate.fraction;
  if (value === null) return 2;
  return Math.min(1, Math.max(0, value));
}

export function createAttentionTracker(initial: QueueSnapshot, sinks: AttentionSinks) {
  const jobs = new Map<string, { name: string; stage: JobStage }>();
  // Kept as a count so a patch batch (one per progress tick) does not scan every job.
  let unfinished = 0;
  const track = (id: string, next: { name: string; stage: JobStage } | null): void => {
    const old = jobs.get(id);
    if (old && !FINISHED_STAGES.includes(old.stage)) unfinished--;
    if (next === null) {
      jobs.delete(id);
      return;
    }
    jobs.set(id, next);
    if (!FINISHED_STAGES.includes(next.stage)) unfinished++;
  };
  for (const job of initial.jobs) track(job.id, { name: job.sourceName, stage: job.stage });
  let lastProgress = Number.NaN;
  const setProgress = (value: number): void => {
    if (value === lastProgress) return;
    lastProgress = value;
    sinks.setProgress(value);
  };
  setProgress(taskbarValue(initial.aggregate));

  return {
    onPatches(patches: readonly QueuePatch[]): void {
      const busyBefore = unfinished > 0;
      const failures: string[] = [];
      for (const patch of patches) {
        if (patch.type === 'upsert' || patch.type === 'progress') {
          const id = patch.type === 'upsert' ? patch.job.id : patch.id;
          const stage = patch.type === 'upsert' ? patch.job.stage : patch.stage;
          const known = jobs.get(id);
          const name = patch.type === 'upsert' ? patch.job.sourceName : (known?.name ?? 'A file');
          if (stage === 'failed' && known?.stage !== 'failed') {
            const reason = patch.type === 'upsert' ? patch.job.error?.message : undefined;
            failures.push(reason ? `${name}: ${reason}` : name);
          }
          track(id, { name, stage });
        } else if (patch.type === 'remove') {
          for (const id of patch.ids) track(id, null);
        } else if (patch.type === 'aggregate') {
          setProgress(taskbarValue(patch.aggregate));
        }
      }
      for (const failure of failures) sinks.notify('Conversion failed', failure);
      if (busyBefore && jobs.size > 0 && unfinished === 0) {
        const all = [...jobs.values()];
        const done = all.filter((j) => j.stage === 'done').length;
        const failed = all.filter((j) => j.stage === 'failed').length;
        sinks.notify(
          'Queue finished',
          failed > 0
            ? `${done} converted, ${failed} failed.`
            : `${done} ${done === 1 ? 'file' : 'files'} converted.`,
        );
        setProgress(-1);
      }
    },
  };
}
