/**
 * The renderer's copy of main's queue: hydrated from a snapshot, then moved forward only by
 * the patches main pushes. Pure functions (no DOM, no zustand) so they are unit-tested.
 * Objects are replaced, never mutated, so selectors see changes.
 */
import type {
  AggregateProgress,
  Job,
  OfflineState,
  QueuePatch,
  QueueSnapshot,
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
}

export const EMPTY_AGGREGATE: AggregateProgress = {
  total: 0,
  done: 0,
  failed: 0,
  active: 0,
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
  };
}

export function fromSnapshot(snapshot: QueueSnapshot, now: number): QueueReplica {
  const jobsById: Record<string, Job> = {};
  const stageSince: Record<string, number> = {};
  for (const job of snapshot.jobs) {
    jobsById[job.id] = job;
    stageSince[job.id] = now;
  }
  return {
    jobsById,
    order: snapshot.jobs.map((j) => j.id),
    paused: snapshot.paused,
    stopAfterRunning: snapshot.stopAfterRunning,
    offline: snapshot.offline ?? null,
    aggregate: snapshot.aggregate,
    stageSince,
  };
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
  let { paused, stopAfterRunning, offline, aggregate } = state;
  // Copy each container at most once per batch.
  const own = { jobs: false, order: false, since: false };
  const writeJob = (job: Job): void => {
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
      stageSince[job.id] = now;
    }
    jobsById[job.id] = job;
  };

  for (const patch of patches) {
    switch (patch.type) {
      case 'upsert': {
        const isNew = !(patch.job.id in jobsById);
        writeJob(patch.job);
        if (isNew && !order.includes(patch.job.id)) {
          if (!own.order) {
            order = [...order];
            own.order = true;
          }
          order.push(patch.job.id);
        }
        break;
      }
      case 'progress': {
        const job = jobsById[patch.id];
        if (job) writeJob({ ...job, stage: patch.stage, progress: patch.progress });
        break;
      }
      case 'remove': {
        const gone = new Set(patch.ids);
        if (!own.jobs) {
          jobsById = { ...jobsById };
          own.jobs = true;
        }
        for (const id of gone) delete jobsById[id];
        order = order.filter((id) => !gone.has(id));
        own.order = true;
        break;
      }
      case 'order': {
        // Main's order wins; ids it names that this replica has not seen yet are kept too,
        // since their upsert may follow in the same batch.
        const named = new Set(patch.ids);
        const rest = order.filter((id) => !named.has(id));
        order = [...patch.ids, ...rest];
        own.order = true;
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
  // Drop ordered ids that never got a job (e.g. removed in the same batch).
  if (order.some((id) => !(id in jobsById))) order = order.filter((id) => id in jobsById);
  return { jobsById, order, paused, stopAfterRunning, offline, aggregate, stageSince };
}
