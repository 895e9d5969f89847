/**
 * The renderer's copy of main's queue: hydrated from a snapshot or from a first page (a
 * window of the queue and its count), then moved forward only by the patches main pushes.
 * With a window (`keep`), only the jobs of the rows on screen are kept: 10,000 jobs are
 * megabytes the page never shows. Pure functions (no DOM, no zustand) so they are unit-tested.
 * Objects are replaced, never mutated, so selectors see changes.
 */
import type {
  AggregateProgress,
  Job,
  OfflineState,
  QueuePatch,
  QueueSnapshot,
  QueueWindow,
} from '../../../shared/jobs';

export interface QueueReplica {
  jobsById: Record<string, Job>;
  order: string[];
  paused: boolean;
  stopAfterRunning: boolean;
  /** Jobs cannot reach where they run and are being retried (main's OfflineState). */
  offline: OfflineState | null;
  aggregate: AggregateProgress;
  /** When this replica saw each job enter its current stage (epoch ms), for "elapsed". */
  stageSince: Record<string, number>;
  /** How many jobs main has (order.length once `complete`). */
  total: number;
  /** Whether `order` holds every id (false between the first page and the list of ids). */
  complete: boolean;
  /** The rows shown (overscan included): only their jobs are kept. null: every job is kept. */
  keep: { start: number; end: number } | null;
}

export const EMPTY_AGGREGATE: AggregateProgress = {
  total: 0,
  done: 0,
  failed: 0,
  active: 0,
  byStage: {},
  holds: { keyAllLocal: true, rateAllLocal: true, rateUntil: null },
  fraction: null,
};

export function emptyReplica(): QueueReplica {
  return {
    jobsById: {},
    order: [],
    paused: false,
    stopAfterRunning: false,
    offline: null,
    aggregate: EMPTY_AGGREGATE,
    stageSince: {},
    total: 0,
    complete: true,
    keep: null,
  };
}

export function fromSnapshot(snapshot: QueueSnapshot, now: number): QueueReplica {
  const jobsById: Record<string, Job> = {};
  const stageSince: Record<string, number> = {};
  for (const job of snapshot.jobs) {
    jobsById[job.id] = job;
    stageSince[job.id] = job.stageSince ?? now;
  }
  return {
    jobsById,
    order: snapshot.jobs.map((j) => j.id),
    paused: snapshot.paused,
    stopAfterRunning: snapshot.stopAfterRunning,
    offline: snapshot.offline ?? null,
    aggregate: snapshot.aggregate,
    stageSince,
    total: snapshot.jobs.length,
    complete: true,
    keep: null,
  };
}

/** The first paint: one page of jobs and the count; the other ids come later (withIds). */
export function fromWindow(win: QueueWindow, now: number): QueueReplica {
  const replica = fromSnapshot({ ...win, jobs: win.jobs }, now);
  const complete = win.offset === 0 && win.jobs.length >= win.total;
  return {
    ...replica,
    total: win.total,
    complete,
    keep: { start: win.offset, end: win.offset + win.jobs.length },
  };
}

/**
 * Every id, in main's order, asked for after the first page. Ids this replica appended from
 * patches since the request (`seenBefore`: how many it had then) and main did not list yet
 * are kept at the end, so a job added meanwhile is not lost.
 */
export function withIds(state: QueueReplica, ids: string[], seenBefore: number): QueueReplica {
  const listed = new Set(ids);
  const order = [...ids, ...state.order.slice(seenBefore).filter((id) => !listed.has(id))];
  return { ...state, order, total: order.length, complete: true };
}

/** Jobs asked for because their rows came on screen. */
export function withJobs(state: QueueReplica, jobs: readonly Job[], now: number): QueueReplica {
  if (jobs.length === 0) return state;
  const jobsById = { ...state.jobsById };
  const stageSince = { ...state.stageSince };
  for (const job of jobs) {
    if (!(job.id in state.jobsById) || state.jobsById[job.id]?.stage !== job.stage)
      stageSince[job.id] = job.stageSince ?? state.stageSince[job.id] ?? now;
    jobsById[job.id] = state.jobsById[job.id] ?? job;
  }
  return { ...state, jobsById, stageSince };
}

/** The rows now shown: jobs of rows that left are dropped (their rows are not drawn). */
export function withKeep(
  state: QueueReplica,
  start: number,
  end: number,
  pinned: readonly string[] = [],
): QueueReplica {
  const jobsById: Record<string, Job> = {};
  const stageSince: Record<string, number> = {};
  const keepId = (id: string) => {
    const job = state.jobsById[id];
    if (!job) return;
    jobsById[id] = job;
    const since = state.stageSince[id];
    if (since !== undefined) stageSince[id] = since;
  };
  for (const id of state.order.slice(start, end)) keepId(id);
  for (const id of pinned) keepId(id);
  return { ...state, jobsById, stageSince, keep: { start, end } };
}

/** Ids of rows in the kept range whose jobs this replica does not hold yet. */
export function missingInKeep(state: QueueReplica): string[] {
  if (!state.keep) return [];
  return state.order
    .slice(state.keep.start, state.keep.end)
    .filter((id) => !(id in state.jobsById));
}

/**
 * Whether a patch tells of an older state of a job than the one held: a page of jobs (asked
 * for as rows come on screen) is answered at once and can overtake patches main still holds
 * in a batch. Without counts (an older core), every patch applies.
 */
function isOlder(patchRev: number | undefined, heldRev: number | undefined): boolean {
  return patchRev !== undefined && heldRev !== undefined && patchRev < heldRev;
}

export function applyPatches(
  state: QueueReplica,
  patches: readonly QueuePatch[],
  now: number,
): QueueReplica {
  if (patches.length === 0) return state;
  let jobsById = state.jobsById;
  let order = state.order;
  let stageSince = state.stageSince;
  let { paused, stopAfterRunning, offline, aggregate, total, complete } = state;
  const { keep } = state;
  // Built once per batch, when a job off screen is named: a batch of 10,000 additions must not
  // search the order 10,000 times.
  let listed: Set<string> | null = null;
  // Copy each container at most once per batch.
  const own = { jobs: false, order: false, since: false };
  /** `since`: main's time the job entered its stage (an upsert carries it; a progress patch not). */
  const writeJob = (job: Job, since?: number): void => {
    if (!own.jobs) {
      jobsById = { ...jobsById };
      own.jobs = true;
    }
    const before = jobsById[job.id];
    if (!before || before.stage !== job.stage) {
      if (!own.since) {
        stageSince = { ...stageSince };
        own.since = true;
      }
      stageSince[job.id] = since ?? now;
    }
    jobsById[job.id] = job;
  };

  for (const patch of patches) {
    switch (patch.type) {
      case 'upsert': {
        const id = patch.job.id;
        const held = id in jobsById;
        if (held && isOlder(patch.job.rev, jobsById[id]?.rev)) break;
        // A job not held is either new (appended: main adds at the end) or off screen.
        if (!held && keep !== null) listed ??= new Set(order);
        const isNew = !held && (keep === null ? !order.includes(id) : !listed?.has(id));
        if (isNew) {
          if (!own.order) {
            order = [...order];
            own.order = true;
          }
          order.push(id);
          listed?.add(id);
          total++;
        }
        const index = order.length - 1;
        if (held || keep === null || (isNew && index >= keep.start && index < keep.end))
          writeJob(patch.job, patch.job.stageSince);
        break;
      }
      case 'progress': {
        const job = jobsById[patch.id];
        if (job && !isOlder(patch.rev, job.rev))
          writeJob({
            ...job,
            stage: patch.stage,
            progress: patch.progress,
            rev: patch.rev ?? job.rev,
          });
        break;
      }
      case 'remove': {
        const gone = new Set(patch.ids);
        if (!own.jobs) {
          jobsById = { ...jobsById };
          own.jobs = true;
        }
        for (const id of gone) delete jobsById[id];
        const before = order.length;
        order = order.filter((id) => !gone.has(id));
        listed = null;
        // Ids this replica has not listed yet were removed too (main names only its own).
        total -= complete ? before - order.length : gone.size;
        own.order = true;
        break;
      }
      case 'order': {
        // Main's order wins; ids it names that this replica has not seen yet are kept too,
        // since their upsert may follow in the same batch.
        const named = new Set(patch.ids);
        const rest = order.filter((id) => !named.has(id));
        order = [...patch.ids, ...rest];
        listed = null;
        own.order = true;
        // Main names every job in its order: this replica now knows them all.
        complete = true;
        break;
      }
      case 'queue':
        paused = patch.paused;
        stopAfterRunning = patch.stopAfterRunning;
        offline = patch.offline ?? null;
        break;
      case 'aggregate':
        aggregate = patch.aggregate;
        break;
    }
  }
  // Drop ordered ids that never got a job (e.g. removed in the same batch); with a window,
  // rows off screen have no job here by design.
  if (keep === null && order.some((id) => !(id in jobsById)))
    order = order.filter((id) => id in jobsById);
  if (complete) total = order.length;
  return {
    jobsById,
    order,
    paused,
    stopAfterRunning,
    offline,
    aggregate,
    stageSince,
    total: Math.max(total, order.length),
    complete,
    keep,
  };
}
