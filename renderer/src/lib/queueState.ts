/**
 * What the queue as a whole is doing, in one word a person can trust, and the one control
 * that moves it on. Derived from main's flags and the jobs' stages only (no guessing from
 * timers). Pure, so it is unit-tested.
 */
import type { Job, JobStage, OfflineState } from '../../../shared/jobs';
import type { LocalEngineStatus } from '../../../shared/localEngine';
import type { VaultStatus } from '../../../shared/profileTypes';
import { formatCount } from './format';
import { activeProfile } from './runJobsOn';
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
  | 'failed'
  /** New jobs go to this computer and it cannot convert: nothing is queued, nothing runs. */
  | 'blocked';

/** The control the state offers first: the one that gets the queue going again. */
export type QueueMove = 'pause' | 'resume' | 'start' | null;

export interface QueueStateView {
  kind: QueueStateKind;
  /** "Running", "Paused", "Stopping after current", "Stopped", "Offline"… */
  label: string;
  /** What it means for the jobs, in a short sentence (null when the label says it all). */
  detail: string | null;
  move: QueueMove;
  /**
   * What the move does when it is not obvious: Pause all on a queue with nothing to pause holds
   * the files added next (they wait for Resume). Said as the button's description.
   */
  moveNote?: string;
}

const HOLDS_NEXT = 'Nothing is running: Pause all makes files added next wait for Resume.';

export interface QueueFacts {
  paused: boolean;
  stopAfterRunning: boolean;
  offline: OfflineState | null;
  /** How many jobs are at each stage (main counts them: the window holds only some rows). */
  byStage: Partial<Record<JobStage, number>>;
  /** Whether new jobs can run where they go (`newJobsBlockOf`); absent or null when they can. */
  newJobs?: NewJobsBlock;
  /** This computer's converter is not running (`converterDownOf`): its jobs cannot reach it. */
  converterDown?: boolean;
}

/**
 * Why files added now would not run, when new jobs go to this computer and it cannot convert:
 * `refused` when it has no working ffmpeg (none found, or the chosen one is gone or refused):
 * main refuses every file added, with the reason (no job starts on a computer that cannot run
 * it); `waits` when its converter is not running (stopped, failed, restarting): files are
 * taken and wait until it runs again. null when they can run, when they go to RenderIO (a
 * missing ffmpeg blocks nothing there), or while it is not known yet.
 */
export type NewJobsBlock = 'refused' | 'waits' | null;

export function newJobsBlockOf(
  engine: LocalEngineStatus | null,
  vault: VaultStatus | null,
): NewJobsBlock {
  if (!engine?.problem || activeProfile(vault)?.kind !== 'local') return null;
  // Main refuses files only when the engine is up and has no ffmpeg (refusalOnThisComputer);
  // a converter that stopped is started again, and its jobs wait for it.
  return engine.state === 'ready' ? 'refused' : 'waits';
}

/**
 * Whether this computer's converter is not running (stopped, failed, restarting), whatever
 * profile new jobs go to: jobs already on it wait for it, and nothing on this computer is
 * "offline" (it is not a network that went away).
 */
export function converterDownOf(engine: LocalEngineStatus | null): boolean {
  return Boolean(engine?.problem) && engine?.state !== 'ready';
}

/** What the queue's empty state says when new jobs cannot run (null: the usual invitation). */
export function blockedEmptyHint(block: NewJobsBlock): string | null {
  if (block === 'refused')
    return 'Files dropped or added are refused until this computer has a working ffmpeg (Choose ffmpeg…) or new jobs run on RenderIO (Use RenderIO instead).';
  if (block === 'waits')
    return "Files dropped or added now wait until this computer's converter runs again, or run them on RenderIO (Use RenderIO instead).";
  return null;
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
  // Nothing left to run, and new files cannot run either: say so rather than "Ready" (and
  // offer no Pause all: there is nothing to pause, and files added are refused or wait anyway).
  // Files refused are refused whatever the queue's state; files that would wait for the
  // converter also wait for a paused or stopped queue's Resume or Start, said below.
  const quietQueue = !facts.paused && !facts.stopAfterRunning;
  if (
    running + left === 0 &&
    (facts.newJobs === 'refused' || (facts.newJobs === 'waits' && quietQueue))
  ) {
    return facts.newJobs === 'refused'
      ? {
          kind: 'blocked',
          label: 'Cannot convert',
          // The buttons the engine's box offers, named as it names them.
          detail:
            'No working ffmpeg on this computer: files added now are refused. Choose ffmpeg… or Use RenderIO instead, under Convert.',
          move: null,
        }
      : {
          kind: 'blocked',
          label: 'Converter not running',
          detail: "Files added now wait until this computer's converter runs again.",
          move: null,
        };
  }
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
  if (facts.offline?.local && facts.converterDown) {
    // Not "Offline" and not "retried on their own": they run once the converter does, as
    // the header said when they were added ("wait until this computer's converter runs again").
    return {
      kind: 'offline',
      label: 'Converter not running',
      detail: `${plural(facts.offline.jobs, 'job waits', 'jobs wait')} until this computer's converter runs again.`,
      move: 'pause',
    };
  }
  if (facts.offline) {
    return {
      kind: 'offline',
      label: 'Offline',
      detail: `${plural(facts.offline.jobs, 'job', 'jobs')} will be retried on ${facts.offline.jobs === 1 ? 'its' : 'their'} own.`,
      move: 'pause',
    };
  }
  if (facts.stopAfterRunning) {
    if (running > 0) {
      return {
        kind: 'stopping',
        label: 'Stopping after current',
        // The button offered meanwhile is Resume (it cancels the stop); Start once stopped.
        detail: `${plural(running, 'job finishes', 'jobs finish')}; ${waiting > 0 ? `${plural(waiting, 'job waits', 'jobs wait')} for Resume.` : 'nothing else starts.'}`,
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
      moveNote: HOLDS_NEXT,
    };
  }
  // Nothing to pause, but Pause all still means something: the files added next wait.
  if (any > 0)
    return {
      kind: 'finished',
      label: 'All finished',
      detail: null,
      move: 'pause',
      moveNote: HOLDS_NEXT,
    };
  return { kind: 'empty', label: 'Ready', detail: null, move: 'pause', moveNote: HOLDS_NEXT };
}

/**
 * What a waiting row says beside "Waiting" while the queue will not start it, naming the button
 * the header offers: Resume while the running jobs finish, Start once they have. Without the
 * stage counts, the queue is taken as stopped.
 */
export function waitingReason(flags: {
  paused: boolean;
  stopAfterRunning: boolean;
  aggregate?: { byStage?: Partial<Record<JobStage, number>> };
}): string | null {
  if (flags.paused) return 'queue paused';
  if (!flags.stopAfterRunning) return null;
  const byStage = flags.aggregate?.byStage ?? {};
  const running = (Object.entries(byStage) as [JobStage, number][]).some(
    ([stage, n]) => n > 0 && isRunning(stage),
  );
  return running ? 'queue stopping: Resume runs it' : 'queue stopped: Start runs it';
}
