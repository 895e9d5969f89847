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
import { EtaSmoother } from './etaSmoother';
import { JobProgressTracker, RUNNING_CAP, timedShare } from './jobProgress';
import { legOf, StageTimes, type Place } from './stageTimes';
import { ThroughputMeter } from './throughput';

export type HeldStage = 'paused' | 'waiting-for-key' | 'rate-limited';
export const HELD: readonly JobStage[] = ['paused', 'waiting-for-key', 'rate-limited'];

export function isFinished(stage: JobStage): boolean {
  return FINISHED_STAGES.includes(stage);
}

export function emptyProgress(): Job['progress'] {
  return {
    fraction: null,
    bytesDone: 0,
    bytesTotal: null,
    speed: null,
    etaSeconds: null,
    overall: 0,
  };
}

export class QueueState {
  readonly jobs = new Map<string, Job>();
  order: string[] = [];
  paused = false;
  stopAfter = false;
  readonly stream: ChangeStream;
  private readonly meters = new Map<string, ThroughputMeter>();
  private readonly trackers = new Map<string, JobProgressTracker>();
  /** The running measure of how long each stage takes, per place (weights of the job bars). */
  readonly stageTimes: StageTimes;
  /** Seconds of estimated work done since the queue last ran dry (the queue ETA's progress). */
  private workDone = 0;
  private readonly queueEta = new EtaSmoother({ minFraction: 0.05 });
  /** The overall bar's last value and how many jobs it counted (it holds when a job fails). */
  private shareFloor: { value: number; countable: number } | null = null;

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
      stageTimes?: StageTimes;
    },
  ) {
    this.stageTimes = deps.stageTimes ?? new StageTimes();
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
    // A new job, or one read back at start: its time in the stage counts from now (a job
    // processing when the app closed yesterday has not been processing since).
    if (!isFinished(job.stage)) job.stageSince = this.deps.clock.now();
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
      this.trackers.delete(id);
    }
    this.order = this.order.filter((id) => !gone.has(id));
    this.stream.remove([...ids]);
    this.stream.order();
  }

  setStage(job: Job, stage: JobStage): void {
    if (job.stage === stage) return;
    const now = this.deps.clock.now();
    // The job's own record of when it entered its stage (set here and on insert), one clock for
    // the row's elapsed time, the stage times and the timed share below: a job read back at start
    // counts its stage from then, as its row does.
    const since = job.stageSince;
    // Time held or sat finished is not a stage's work (a "took" summed from stage times
    // counted the half hour a job sat failed). A stage left the moment it was entered adds no row.
    if (since !== undefined && now > since && !HELD.includes(job.stage) && !isFinished(job.stage))
      job.stageTimings[job.stage] = (job.stageTimings[job.stage] ?? 0) + (now - since);
    // A finished job carrying on is no longer finished. One that carries on where it stopped (a
    // download retried on its own) has its clock skip the time it sat finished, so its "took"
    // is its work, not the wait for the person to press Retry; one run again from the start
    // has its clock reset below.
    if (isFinished(job.stage) && !isFinished(stage)) {
      if (
        stage !== 'queued' &&
        job.startedAt !== null &&
        job.finishedAt !== null &&
        job.finishedAt >= job.startedAt
      )
        job.startedAt += now - job.finishedAt;
      job.finishedAt = null;
    }
    job.stageSince = now;
    if (job.startedAt === null && stage !== 'queued' && !HELD.includes(stage)) job.startedAt = now;
    // A job run again from the start (Retry after a failure or a cancel) starts its bar at 0,
    // and its clock: its row's "took" and Details' stage times are the new run's, not the
    // sum since the first try (a retry half an hour later "took 31:00").
    if (stage === 'queued' && isFinished(job.stage)) {
      this.trackers.delete(job.id);
      job.progress = emptyProgress();
      job.startedAt = null;
      job.stageTimings = {};
    }
    const previous = job.stage;
    job.stage = stage;
    if (!HELD.includes(stage)) {
      job.resumeStage = stage === 'failed' ? job.resumeStage : null;
      job.holdUntil = null;
    }
    if (isFinished(stage)) job.finishedAt = now;
    const tracker = this.trackerOf(job);
    // Leaving a stage where the bar stands still (outside the run: queued, held, finished; or the
    // wait for a slot or a server), the job's time left is measured from its work on.
    const left = legOf(previous);
    if (left === null || left === 'wait') tracker.eta.restartRate();
    const before = tracker.best;
    const overall = tracker.advance(stage, null);
    if (stage === 'done') {
      // A job done without leaving the queue (collision "skip", its outputs all there) did no
      // work: counted as done, it would make the queue's time left think the rest as quick.
      if (previous !== 'queued') this.workDone += (overall - before) * tracker.seconds;
      if (previous === 'downloading')
        this.stageTimes.record(this.placeOf(job), job.sourceSize, job.stageTimings);
    }
    job.progress = {
      ...emptyProgress(),
      fraction: stage === 'done' ? 1 : null,
      overall,
      etaSeconds: isFinished(stage) || HELD.includes(stage) ? null : tracker.eta.current(),
    };
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
    const now = this.deps.clock.now();
    const meter = this.meterOf(job.id, 3_000);
    meter.add(now, done);
    const fraction = total && total > 0 ? Math.min(1, done / total) : null;
    const { overall, etaSeconds } = this.advance(job, fraction, now);
    job.progress = {
      bytesDone: done,
      bytesTotal: total,
      fraction,
      speed: meter.rate(),
      etaSeconds,
      overall,
    };
    this.stream.progressOf(job.id);
  }

  reportFraction(job: Job, fraction: number | null): void {
    const now = this.deps.clock.now();
    let within = fraction;
    if (within === null) {
      // Processing without a percent: the share of its expected time passed (never its end).
      const since = job.stageSince ?? now;
      const tracker = this.trackerOf(job);
      within = timedShare(now - since, tracker.weights.process);
    }
    const { overall, etaSeconds } = this.advance(job, within, now);
    job.progress = { bytesDone: 0, bytesTotal: null, fraction, speed: null, etaSeconds, overall };
    this.stream.progressOf(job.id);
  }

  /** Moves a job's one bar for a report of its current stage, and its damped time left. */
  private advance(
    job: Job,
    within: number | null,
    now: number,
  ): { overall: number; etaSeconds: number | null } {
    const tracker = this.trackerOf(job);
    const before = tracker.best;
    const overall = tracker.advance(job.stage, within);
    this.workDone += (overall - before) * tracker.seconds;
    return { overall, etaSeconds: tracker.eta.update(now, overall, 1) };
  }

  private placeOf(job: Job): Place {
    const local =
      this.deps.isLocalProfile?.(job.settings.profileId) ??
      job.settings.profileId === LOCAL_PROFILE_ID;
    return local ? 'local' : 'cloud';
  }

  /** The job's bar; made when first needed, from the bar it had (a restart keeps its place). */
  private trackerOf(job: Job): JobProgressTracker {
    let tracker = this.trackers.get(job.id);
    if (!tracker || tracker.attempt !== job.attempts) {
      const start = tracker ? 0 : (job.progress.overall ?? 0);
      tracker = new JobProgressTracker(
        this.stageTimes.estimate(this.placeOf(job), job.sourceSize),
        job.attempts,
        start,
      );
      this.trackers.set(job.id, tracker);
    }
    return tracker;
  }

  /** Expected seconds of a job's whole run (its tracker's, or a fresh estimate if not started). */
  private jobSeconds(job: Job): number {
    const tracker = this.trackers.get(job.id);
    if (tracker) return tracker.seconds;
    const w = this.stageTimes.estimate(this.placeOf(job), job.sourceSize);
    return w.upload + w.wait + w.process + w.download;
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
    let kept = 0;
    let workLeft = 0;
    // The running jobs' own time left, which the queue's follows (below).
    let slowest: number | null = null;
    let unfinished = 0;
    let lastUnfinished: Job | null = null;
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
        if (job.stage === 'done') {
          done++;
          kept += 1;
        } else failed++;
        sum += 1;
        continue;
      }
      unfinished++;
      lastUnfinished = job;
      if (this.deps.isRunning(job.id)) {
        active++;
        const own = job.progress.etaSeconds;
        if (own != null && (slowest === null || own > slowest)) slowest = own;
      }
      const overall = job.progress.overall ?? 0;
      sum += overall;
      kept += overall;
      workLeft += (1 - overall) * this.jobSeconds(job);
    }
    const fraction = active > 0 && total > 0 ? sum / total : null;
    const share = this.shareOf(kept, total - failed, active);
    let etaSeconds: number | null = null;
    if (active > 0 && !this.paused) {
      // The header follows the rows: no sooner than the slowest running job says, and with one
      // job left, what that job says (reached in the smoother's steps, not in a leap).
      etaSeconds = this.queueEta.update(
        this.deps.clock.now(),
        this.workDone,
        this.workDone + workLeft,
        unfinished === 1 ? { exactly: lastUnfinished?.progress.etaSeconds } : { atLeast: slowest },
      );
    } else {
      // The queue ran dry or was paused: the next run is measured afresh.
      this.queueEta.reset();
      this.workDone = 0;
    }
    return {
      total,
      done,
      failed,
      active,
      cancelled,
      fraction,
      share,
      etaSeconds,
      byStage,
      holds,
    };
  }

  /**
   * The overall bar: the work done of the jobs that can still finish (failed and cancelled
   * ones out), below 1 while a job runs, and never back while the queue runs: a job that
   * fails or is cancelled takes its share out of the count, and the bar holds until the rest
   * passes it. More jobs added (more work) may lower it; a new run starts afresh.
   */
  private shareOf(kept: number, countable: number, active: number): number | null {
    if (countable <= 0) {
      this.shareFloor = null;
      return null;
    }
    if (active === 0) {
      this.shareFloor = null;
      return kept / countable;
    }
    const raw = Math.min(RUNNING_CAP, kept / countable);
    const floor = this.shareFloor;
    const value = floor && countable <= floor.countable ? Math.max(floor.value, raw) : raw;
    this.shareFloor = { value, countable };
    return value;
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
