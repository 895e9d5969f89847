/**
 * What the queue as a whole is doing, in one word a person can trust, and the one control
 * that moves it on. Derived from main's flags and the jobs' stages only (no guessing from
 * timers). Pure, so it is unit-tested.
 */
import type { Job, JobStage, OfflineState } from '../../../shared/jobs';
import { formatCount } from './format';
import { isFinished, isRunning } from './stageView';

export type QueueStateKind =
  | 'empty'
  | 'running'
  | 'paused'
  | 'stopping'
  | 'stopped'
  | 'offline'
  | 'waiting'
  | 'finished'
  | 'failed';

/** The control the state offers first: the one that gets the queue going again. */
export type QueueMove = 'pause' | 'resume' | 'start' | null;

export interface QueueStateView {
  kind: QueueStateKind;
  /** "Running", "Paused", "Stopping after current", "Stopped", "Offline"… */
  label: string;
  /** What it means for the jobs, in a short sentence (null when the label says it all). */
  detail: string | null;
  move: QueueMove;
}

export interface QueueFacts {
  paused: boolean;
  stopAfterRunning: boolean;
  offline: OfflineState | null;
  /** How many jobs are at each stage (main counts them: the window holds only some rows). */
  byStage: Partial<Record<JobStage, number>>;
}

/** Stage counts of a list of jobs (for a caller that holds them all, and for tests). */
export function stageCountsOf(
  jobs: readonly Pick<Job, 'stage'>[],
): Partial<Record<JobStage, number>> {
  const counts: Partial<Record<JobStage, number>> = {};
  for (const job of jobs) counts[job.stage] = (counts[job.stage] ?? 0) + 1;
  return counts;
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function queueStateOf(facts: QueueFacts): QueueStateView {
  let running = 0;
  let waiting = 0;
  let held = 0;
  let any = 0;
  for (const [stage, n] of Object.entries(facts.byStage) as [JobStage, number][]) {
    any += n;
    if (isRunning(stage)) running += n;
    else if (stage === 'queued') waiting += n;
    else if (!isFinished(stage)) held += n;
  }
  const left = waiting + held;
  if (facts.paused) {
    return {
      kind: 'paused',
      label: 'Paused',
      detail:
        left > 0
          ? `${plural(left, 'job waits', 'jobs wait')} for Resume.`
          : 'Files added now wait for Resume.',
      move: 'resume',
    };
  }
  if (facts.offline) {
    return {
      kind: 'offline',
      label: 'Offline',
      detail: `${plural(facts.offline.jobs, 'job is', 'jobs are')} retried on their own.`,
      move: 'pause',
    };
  }
  if (facts.stopAfterRunning) {
    if (running > 0) {
      return {
        kind: 'stopping',
        label: 'Stopping after current',
        detail: `${plural(running, 'job finishes', 'jobs finish')}; ${waiting > 0 ? `${plural(waiting, 'job waits', 'jobs wait')} for Start.` : 'nothing else starts.'}`,
        move: 'resume',
      };
    }
    return {
      kind: 'stopped',
      label: 'Stopped',
      detail:
        waiting > 0
          ? `${plural(waiting, 'job waits', 'jobs wait')} for Start.`
          : 'Files added now wait for Start.',
      move: 'start',
    };
  }
  if (running > 0 || waiting > 0) {
    return {
      kind: 'running',
      label: 'Running',
      detail: waiting > 0 ? `${plural(waiting, 'job', 'jobs')} waiting to start.` : null,
      move: 'pause',
    };
  }
  if (held > 0) {
    // Waiting for a key or out a rate limit: the banner says why and what to do.
    return { kind: 'waiting', label: 'On hold', detail: null, move: 'pause' };
  }
  const failed = facts.byStage.failed ?? 0;
  if (failed > 0) {
    // Not "All finished" in green: the failed jobs still wait for Retry or Remove.
    return {
      kind: 'failed',
      label: 'Finished',
      detail: `${plural(failed, 'job', 'jobs')} failed: Retry or Remove ${failed === 1 ? 'it' : 'them'}.`,
      move: 'pause',
    };
  }
  if (any > 0) return { kind: 'finished', label: 'All finished', detail: null, move: 'pause' };
  return { kind: 'empty', label: 'Ready', detail: null, move: 'pause' };
}

/** What a waiting row says beside "Waiting" while the queue will not start it. */
export function waitingReason(flags: {
  paused: boolean;
  stopAfterRunning: boolean;
}): string | null {
  if (flags.paused) return 'queue paused';
  if (flags.stopAfterRunning) return 'queue stopped: Start runs it';
  return null;
}
