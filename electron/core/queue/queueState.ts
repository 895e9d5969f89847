/**
 * The queue's state in memory: the jobs, their order, the queue's flags, and every change a job
 * goes through (stage, hold, progress, retry) told to the change stream, which the window and
 * the CLI follow. Nothing here does I/O; persistence and scheduling are elsewhere.
 */
import {
  FINISHED_STAGES,
  type AggregateProgress,
  type Job,
  type JobRetry,
  type JobStage,
  type OfflineState,
  type QueueFlags,
  type QueueHolds,
  type QueueSnapshot,
  type QueueWindow,
} from '../../../shared/jobs';
import { LOCAL_PROFILE_ID } from '../../../shared/profileTypes';
import type { Clock } from '../ports';
import { ChangeStream } from './changeStream';
import { ThroughputMeter } from './throughput';

export type HeldStage = 'paused' | 'waiting-for-key' | 'rate-limited';
export const HELD: readonly JobStage[] = ['paused', 'waiting-for-key', 'rate-limited'];

// Weights of each stage in the aggregate fraction (upload, remote, download).
const STAGE_SPAN: Partial<Record<JobStage, [number, number]>> = {
  queued: [0, 0],
  uploading: [0, 0.25],
  stored: [0.25, 0.25],
  submitted: [0.25, 0.3],
  processing: [0.3, 0.85],
  downloading: [0.85, 1],
};

export function isFinished(stage: JobStage): boolean {
  return FINISHED_STAGES.includes(stage);
}

export function emptyProgress(): Job['progress'] {
  return { fraction: null, bytesDone: 0, bytesTotal: null, speed: null, etaSeconds: null };
}

export class QueueState {
  readonly jobs = new Map<string, Job>();
  order: string[] = [];
  paused = false;
  stopAfter = false;
  readonly stream: ChangeStream;
  private readonly stageEnteredAt = new Map<string, number>();
  private readonly meters = new Map<string, ThroughputMeter>();

  constructor(
    private readonly deps: {
      clock: Clock;
      /** Whether a profile's jobs run on this computer (its words differ from RenderIO's). */
      isLocalProfile?(profileId: string): boolean;
      /** Whether a job is running now (for the aggregate's active count). */
      isRunning(id: string): boolean;
      throttleMs?: number;
      /** A job just finished (done, failed, cancelled): the history records it. */
      onFinished?(job: Readonly<Job>): void;
    },
  ) {
    this.stream = new ChangeStream(
      {
        job: (id) => this.jobs.get(id),
        order: () => [...this.order],
        queueFlags: () => this.flags(),
        aggregate: () => this.aggregate(),
      },
      deps.throttleMs ?? 250,
    );
  }

  /** The jobs in queue order. */
  list(): Job[] {
    return this.order.map((id) => this.jobs.get(id)).filter((j): j is Job => j !== undefined);
  }

  insert(job: Job): void {
    this.jobs.set(job.id, job);
    this.order.push(job.id);
    this.stream.upsert(job.id);
  }

  /** Takes jobs out (they are gone from the window too). */
  drop(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    for (const id of ids) {
      this.jobs.delete(id);
      this.meters.delete(id);
      this.stageEnteredAt.delete(id);
    }
    this.order = this.order.filter((id) => !gone.has(id));
    this.stream.remove([...ids]);
    this.stream.order();
  }

  setStage(job: Job, stage: JobStage): void {
    if (job.stage === stage) return;
    const now = this.deps.clock.now();
    const since = this.stageEnteredAt.get(job.id);
    if (since !== undefined && !HELD.includes(job.stage))
      job.stageTimings[job.stage] = (job.stageTimings[job.stage] ?? 0) + (now - since);
    this.stageEnteredAt.set(job.id, now);
    if (job.startedAt === null && stage !== 'queued' && !HELD.includes(stage)) job.startedAt = now;
    job.stage = stage;
    if (!HELD.includes(stage)) {
      job.resumeStage = stage === 'failed' ? job.resumeStage : null;
      job.holdUntil = null;
    }
    if (isFinished(stage)) job.finishedAt = now;
    job.progress = { ...emptyProgress(), fraction: stage === 'done' ? 1 : null };
    this.meters.get(job.id)?.reset();
    this.stream.upsert(job.id);
    if (isFinished(stage)) this.deps.onFinished?.(job);
  }

  /** Sets a job aside; it remembers where it was and continues from there on release. */
  hold(job: Job, stage: HeldStage, until: number | null = null): void {
    if (isFinished(job.stage)) return;
    const resume = HELD.includes(job.stage) ? job.resumeStage : job.stage;
    this.setStage(job, stage);
    job.resumeStage = resume ?? 'queued';
    job.holdUntil = until;
    this.stream.upsert(job.id);
  }

  release(job: Job): void {
    if (!HELD.includes(job.stage)) return;
    this.setStage(job, job.resumeStage ?? 'queued');
  }

  reportBytes(job: Job, done: number, total: number | null): void {
    this.clearRetry(job);
    const meter = this.meterOf(job.id, 3_000);
    meter.add(this.deps.clock.now(), done);
    job.progress = {
      bytesDone: done,
      bytesTotal: total,
      fraction: total && total > 0 ? Math.min(1, done / total) : null,
      speed: meter.rate(),
      etaSeconds: meter.etaSeconds(total),
    };
    this.stream.progressOf(job.id);
  }

  reportFraction(job: Job, fraction: number | null): void {
    const meter = this.meterOf(job.id, 10_000);
    if (fraction !== null) meter.add(this.deps.clock.now(), fraction);
    job.progress = {
      bytesDone: 0,
      bytesTotal: null,
      fraction,
      speed: null,
      etaSeconds: fraction === null ? null : meter.etaSeconds(1),
    };
    this.stream.progressOf(job.id);
  }

  setRetry(job: Job, retry: JobRetry): void {
    job.retry = retry;
    this.stream.upsert(job.id);
    this.stream.flags();
  }

  clearRetry(job: Job): void {
    if (!job.retry) return;
    job.retry = null;
    this.stream.upsert(job.id);
    this.stream.flags();
  }

  flags(): QueueFlags {
    return { paused: this.paused, stopAfterRunning: this.stopAfter, offline: this.offline() };
  }

  /** Where the job runs, for the words of its messages: on this computer or on RenderIO. */
  where(job: Job): { local: boolean } {
    return { local: job.settings.profileId === LOCAL_PROFILE_ID };
  }

  /** Jobs waiting for the network (or a server) to come back, as the window shows them. */
  offline(): OfflineState | null {
    let state: OfflineState | null = null;
    for (const job of this.jobs.values()) {
      const r = job.retry;
      if (!r || (r.code !== 'network' && r.code !== 'timeout')) continue;
      const { local } = this.where(job);
      if (state === null) {
        state = { since: r.since, nextRetryAt: r.at, local, message: r.message, jobs: 1 };
        continue;
      }
      state.jobs++;
      state.local &&= local;
      if (r.since < state.since) state.since = r.since;
      if (r.at < state.nextRetryAt) {
        state.nextRetryAt = r.at;
        state.message = r.message;
      }
    }
    return state;
  }

  aggregate(): AggregateProgress {
    let total = 0;
    let done = 0;
    let failed = 0;
    let active = 0;
    let cancelled = 0;
    let sum = 0;
    const byStage: Partial<Record<JobStage, number>> = {};
    const holds: QueueHolds = { keyAllLocal: true, rateAllLocal: true, rateUntil: null };
    for (const job of this.jobs.values()) {
      byStage[job.stage] = (byStage[job.stage] ?? 0) + 1;
      if (job.stage === 'waiting-for-key') {
        holds.keyAllLocal &&= job.settings.profileId === LOCAL_PROFILE_ID;
      } else if (job.stage === 'rate-limited') {
        holds.rateAllLocal &&= job.settings.profileId === LOCAL_PROFILE_ID;
        if (job.holdUntil !== null && (holds.rateUntil === null || job.holdUntil < holds.rateUntil))
          holds.rateUntil = job.holdUntil;
      }
      if (job.stage === 'cancelled') {
        cancelled++;
        continue;
      }
      total++;
      if (job.stage === 'done' || job.stage === 'failed') {
        if (job.stage === 'done') done++;
        else failed++;
        sum += 1;
        continue;
      }
      const stage = HELD.includes(job.stage) ? (job.resumeStage ?? 'queued') : job.stage;
      const span = STAGE_SPAN[stage];
      if (this.deps.isRunning(job.id)) active++;
      if (span) sum += span[0] + (span[1] - span[0]) * (job.progress.fraction ?? 0);
    }
    const fraction = active > 0 && total > 0 ? sum / total : null;
    return { total, done, failed, active, cancelled, fraction, byStage, holds };
  }

  snapshot(): QueueSnapshot {
    return {
      jobs: this.list().map((j) => structuredClone(j)),
      ...this.flags(),
      aggregate: this.aggregate(),
    };
  }

  /** The jobs from `offset` on (copies), with the whole queue's count, flags and aggregate. */
  window(offset: number, limit: number): QueueWindow {
    const jobs: Job[] = [];
    for (const id of this.order.slice(offset, offset + limit)) {
      const job = this.jobs.get(id);
      if (job) jobs.push(structuredClone(job));
    }
    return {
      total: this.order.length,
      offset,
      jobs,
      ...this.flags(),
      aggregate: this.aggregate(),
    };
  }

  private meterOf(id: string, windowMs: number): ThroughputMeter {
    let meter = this.meters.get(id);
    if (!meter) {
      meter = new ThroughputMeter(windowMs);
      this.meters.set(id, meter);
    }
    return meter;
  }
}
