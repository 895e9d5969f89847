/**
 * The scheduler: which job runs which phase when. It owns the limits (uploads, remote commands
 * and downloads at once), the holds (a profile whose key was refused, a profile rate-limited
 * until a time, a job waiting out a back-off), and what a failed phase leads to.
 *
 * Wake-ups cannot be lost: after every pass it computes the next time anything held becomes
 * due (a back-off, a rate limit) and arms ONE timer for the earliest. A timer that fires early
 * (Node's timers may, by Date.now()) finds nothing due and arms again for what is left; one
 * that fires late simply runs then.
 */
import type { Job, JobStage } from '../../../shared/jobs';
import type { Logger } from '../../../shared/redact';
import type { Clock } from '../ports';
import type { AppSettings } from '../settings/appSettings';
import type { ConcurrencyLimits } from '../settings/settingsSchema';
import { backoffMs, classifyError, rawMessage, toJobError } from './jobErrors';
import { HELD, isFinished, type QueueState } from './queueState';

export type Phase = 'upload' | 'remote' | 'download';

export const PHASE_OF: Partial<Record<JobStage, Phase>> = {
  queued: 'upload',
  uploading: 'upload',
  stored: 'remote',
  submitted: 'remote',
  processing: 'remote',
  downloading: 'download',
};

/**
 * Jobs on this computer may be in their remote phase (submitted, waiting or running in the local
 * engine) up to this many times the engine's command slots. The engine queues commands itself
 * and a loopback submit costs nothing, so while one command runs the next already waits in the
 * engine: its slot never idles while the queue polls, downloads and submits (local-batch bench,
 * docs/PERFORMANCE-CHANGELOG.md). Bounded so a cancel or a pause leaves at most one slot's worth
 * of commands behind in the engine (there is no API to withdraw one).
 */
export const LOCAL_SUBMIT_AHEAD = 2;

/** The kinds of slot counted apart: a slow cloud command never holds back local ones. */
export type Lane = 'upload' | 'local-upload' | 'remote' | 'local-remote' | 'download';

/**
 * The lane a phase of a job runs in. A local job's upload is a copy over loopback that ends
 * with the engine's probe: it runs in a lane of its own (laneLimit), not in the settings'
 * upload slots (meant for the network), which starved the engine on short clips.
 */
export function laneOf(phase: Phase, local: boolean): Lane {
  if (!local || phase === 'download') return phase;
  return phase === 'remote' ? 'local-remote' : 'local-upload';
}

/**
 * How many jobs may run in a lane at once. Local commands: LOCAL_SUBMIT_AHEAD × the engine's
 * command slots (`localSlots`; unknown: the settings' remote limit stands for them). Local
 * uploads: one per slot. They share the cores with ffmpeg, so more at once only finish later
 * each: at the start of a batch the first command then waits for one upload, not for four
 * sharing the CPU (local-trace bench: 387 → 261 ms before the first ffmpeg on 20 s clips).
 */
export function laneLimit(
  lane: Lane,
  limits: ConcurrencyLimits,
  localSlots: number | null,
): number {
  switch (lane) {
    case 'upload':
      return limits.uploads;
    case 'remote':
      return limits.remote;
    case 'local-upload':
      return Math.max(1, localSlots ?? limits.remote);
    case 'local-remote':
      return LOCAL_SUBMIT_AHEAD * Math.max(1, localSlots ?? limits.remote);
    case 'download':
      return limits.downloads;
  }
}

const MAX_LIMITED_RETRIES = 8;
/** Failures that repeat alike until someone changes something (TLS, refused before sending). */
const MAX_STUCK_RETRIES = 3;

interface Running {
  lane: Lane;
  controller: AbortController;
  done: Promise<void>;
}

export interface SchedulerDeps {
  state: QueueState;
  clock: Clock;
  logger: Logger;
  settings(): AppSettings;
  /** Whether a job runs on this computer (its remote phase counts in the local lane). */
  isLocal?(job: Job): boolean;
  /** How many commands the local engine runs at once; null when not known. */
  localCommandSlots?(): number | null;
  /** Runs one phase of a job to its end (or throws). */
  runPhase(job: Job, phase: Phase, signal: AbortSignal): Promise<void>;
  /** A job failed for good: record why. */
  fail(job: Job, error: unknown, tries?: number): void;
  /** A profile's key was refused (401). */
  onAuthRejected?(profileId: string): void;
  saveSoon(job?: Job): void;
}

export class Scheduler {
  private readonly running = new Map<string, Running>();
  private readonly retryAt = new Map<string, number>();
  private readonly retryCount = new Map<string, number>();
  private readonly authHeld = new Set<string>();
  private readonly rateHeldUntil = new Map<string, number>();
  /** Jobs being cancelled or removed: not restarted meanwhile. */
  private readonly stopping = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private cancelWake: (() => void) | null = null;
  private wakeAt = Infinity;
  private pumping = false;
  private started = false;
  private closing = false;

  constructor(private readonly deps: SchedulerDeps) {}

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  isAuthHeld(profileId: string): boolean {
    return this.authHeld.has(profileId);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.pump();
  }

  // ------------------------------------------------------------ the pass

  pump(): void {
    if (this.closing || !this.started || this.pumping) return;
    this.pumping = true;
    const { state } = this.deps;
    try {
      const limits = this.deps.settings().concurrency;
      const localSlots = this.deps.localCommandSlots?.() ?? null;
      const isLocal = (job: Job): boolean => this.deps.isLocal?.(job) ?? false;
      const counts: Record<Lane, number> = {
        upload: 0,
        'local-upload': 0,
        remote: 0,
        'local-remote': 0,
        download: 0,
      };
      for (const r of this.running.values()) counts[r.lane]++;
      /** Uploaded jobs waiting for a remote slot, per remote lane. */
      const storedWaiting = { remote: 0, 'local-remote': 0 };
      for (const job of state.jobs.values())
        if (job.stage === 'stored' && !this.running.has(job.id))
          storedWaiting[isLocal(job) ? 'local-remote' : 'remote']++;
      const now = this.deps.clock.now();
      this.releaseRateHolds(now);
      for (const id of state.order) {
        const job = state.jobs.get(id);
        if (!job || this.running.has(id) || this.stopping.has(id)) continue;
        const phase = PHASE_OF[job.stage];
        if (!phase || state.paused) continue;
        if ((this.retryAt.get(id) ?? 0) > now) continue;
        if (this.heldProfile(job.settings.profileId, now)) continue;
        const local = isLocal(job);
        const lane = laneOf(phase, local);
        if (job.stage === 'queued') {
          // Uploads run ahead of the remote slots by at most one batch, so ten thousand
          // queued files do not all sit uploaded on the server waiting.
          const remoteLane = laneOf('remote', local) as 'remote' | 'local-remote';
          if (
            state.stopAfter ||
            counts[lane] >= laneLimit(lane, limits, localSlots) ||
            storedWaiting[remoteLane] >= laneLimit(remoteLane, limits, localSlots)
          )
            continue;
        } else if (counts[lane] >= laneLimit(lane, limits, localSlots)) {
          continue;
        }
        if (job.stage === 'stored') storedWaiting[lane as 'remote' | 'local-remote']--;
        counts[lane]++;
        this.retryAt.delete(id);
        this.startWorker(job, phase, lane);
      }
      state.stream.flags();
    } finally {
      this.pumping = false;
    }
    this.armWake();
    this.checkIdle();
  }

  /** One timer, for the earliest time anything held becomes due. */
  private armWake(): void {
    if (this.closing) return;
    const now = this.deps.clock.now();
    let next = Infinity;
    for (const at of this.retryAt.values()) if (at > now) next = Math.min(next, at);
    for (const at of this.rateHeldUntil.values()) if (at > now) next = Math.min(next, at);
    if (next === this.wakeAt && this.cancelWake) return;
    this.cancelWake?.();
    this.cancelWake = null;
    this.wakeAt = next;
    if (next === Infinity) return;
    this.cancelWake = this.deps.clock.setTimer(next - now, () => {
      this.cancelWake = null;
      this.wakeAt = Infinity;
      this.pump();
    });
  }

  private heldProfile(profileId: string, now: number): boolean {
    return this.authHeld.has(profileId) || (this.rateHeldUntil.get(profileId) ?? 0) > now;
  }

  private releaseRateHolds(now: number): void {
    for (const [profileId, until] of this.rateHeldUntil)
      if (until <= now) this.rateHeldUntil.delete(profileId);
    for (const job of this.deps.state.jobs.values())
      if (job.stage === 'rate-limited' && (job.holdUntil ?? 0) <= now) this.deps.state.release(job);
  }

  // ------------------------------------------------------------ workers

  private startWorker(job: Job, phase: Phase, lane: Lane): void {
    // At debug level only (the app logs from info): what a stuck job's test report shows.
    this.deps.logger.debug(`job ${job.id}: ${phase} phase starts (${job.stage})`);
    const controller = new AbortController();
    const entry: Running = { lane, controller, done: Promise.resolve() };
    this.running.set(job.id, entry);
    entry.done = (async () => {
      try {
        await this.deps.runPhase(job, phase, controller.signal);
        if (!controller.signal.aborted) {
          this.retryCount.delete(job.id);
          this.deps.state.clearRetry(job);
        }
      } catch (error) {
        this.onWorkerError(job, error, controller.signal);
      } finally {
        if (this.running.get(job.id) === entry) this.running.delete(job.id);
        this.deps.state.stream.upsert(job.id);
        if (!this.closing) queueMicrotask(() => this.pump());
      }
    })();
  }

  private onWorkerError(job: Job, error: unknown, signal: AbortSignal): void {
    if (this.closing) return;
    const verdict = classifyError(error, signal);
    switch (verdict.action) {
      case 'aborted':
        return;
      case 'auth':
        this.deps.onAuthRejected?.(job.settings.profileId);
        this.holdForKey(job.settings.profileId);
        return;
      case 'rate-limited':
        this.holdForRate(job, verdict.waitMs);
        return;
      case 'transient': {
        const n = (this.retryCount.get(job.id) ?? 0) + 1;
        this.retryCount.set(job.id, n);
        const budget = verdict.limited === 'stuck' ? MAX_STUCK_RETRIES : MAX_LIMITED_RETRIES;
        if (verdict.limited !== false && n >= budget) {
          this.deps.state.clearRetry(job);
          this.deps.fail(job, error, n);
          return;
        }
        const wait = backoffMs(n - 1);
        const info = toJobError(error, this.deps.state.where(job));
        const now = this.deps.clock.now();
        this.deps.logger.info(
          `job ${job.id}: ${rawMessage(error)} in ${job.stage}, retrying in ${wait} ms`,
        );
        this.deps.state.setRetry(job, {
          at: now + wait,
          since: job.retry?.since ?? now,
          attempt: n,
          code: info.code,
          message: info.message,
        });
        this.retryAt.set(job.id, now + wait);
        return; // the pump after this worker arms the wake-up
      }
      case 'fail':
        this.deps.fail(job, error);
    }
  }

  private holdForKey(profileId: string): void {
    const { state } = this.deps;
    if (!this.authHeld.has(profileId))
      this.deps.logger.warn(`profile ${profileId}: key refused (401); its jobs wait for a new key`);
    this.authHeld.add(profileId);
    for (const job of state.jobs.values()) {
      if (job.settings.profileId !== profileId || isFinished(job.stage) || job.stage === 'paused')
        continue;
      if (job.stage !== 'queued' || this.running.has(job.id))
        this.running.get(job.id)?.controller.abort(new Error('waiting for a key'));
      state.hold(job, 'waiting-for-key');
    }
    this.deps.saveSoon();
  }

  private holdForRate(job: Job, waitMs: number): void {
    const profileId = job.settings.profileId;
    const until = this.deps.clock.now() + waitMs;
    this.rateHeldUntil.set(profileId, Math.max(until, this.rateHeldUntil.get(profileId) ?? 0));
    this.deps.state.hold(job, 'rate-limited', until);
  }

  // ------------------------------------------------------------ for the controls

  /** A new key was set for the profile: its jobs continue. */
  keyChanged(profileId: string): void {
    this.authHeld.delete(profileId);
    for (const job of this.deps.state.jobs.values())
      if (job.stage === 'waiting-for-key' && job.settings.profileId === profileId)
        this.deps.state.release(job);
    this.deps.saveSoon();
    this.pump();
  }

  /** Aborts every running phase (pause): the jobs are held by the caller. */
  abortAll(reason: string): string[] {
    for (const r of this.running.values()) r.controller.abort(new Error(reason));
    return [...this.running.keys()];
  }

  /** Stops a job's running phase and waits for it to settle; it is not restarted meanwhile. */
  async stop(id: string, then: () => Promise<void> | void): Promise<void> {
    this.stopping.add(id);
    try {
      const r = this.running.get(id);
      if (r) {
        r.controller.abort(new Error('stopped'));
        await r.done;
      }
      await then();
    } finally {
      this.stopping.delete(id);
      this.retryAt.delete(id);
    }
  }

  /** Forgets a job's back-off (retried by hand, removed). */
  forget(id: string): void {
    this.retryAt.delete(id);
    this.retryCount.delete(id);
  }

  /**
   * "Retry now": every job waiting out a back-off runs at once, and so do jobs held for a
   * refused key (the person may have fixed it where it lives) or a rate limit (asked by hand:
   * a new 429 simply holds them again).
   */
  retryNow(): void {
    const now = this.deps.clock.now();
    const { state } = this.deps;
    for (const [id] of this.retryAt) {
      const job = state.jobs.get(id);
      if (job?.retry) state.setRetry(job, { ...job.retry, at: now });
    }
    this.retryAt.clear();
    this.authHeld.clear();
    this.rateHeldUntil.clear();
    for (const job of state.jobs.values())
      if (job.stage === 'waiting-for-key' || job.stage === 'rate-limited') state.release(job);
    this.deps.saveSoon();
    this.pump();
  }

  /** Whether the job can be given a new preset: queued, not started. */
  notStarted(job: Job): boolean {
    return (
      (job.stage === 'queued' || (HELD.includes(job.stage) && job.resumeStage === 'queued')) &&
      !this.running.has(job.id)
    );
  }

  whenIdle(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  private canStart(job: Job): boolean {
    const phase = PHASE_OF[job.stage];
    if (!phase || this.deps.state.paused) return false;
    if (this.authHeld.has(job.settings.profileId)) return false;
    if (job.stage === 'queued' && this.deps.state.stopAfter) return false;
    return true;
  }

  checkIdle(): void {
    if (this.idleWaiters.length === 0 || this.running.size > 0) return;
    for (const job of this.deps.state.jobs.values()) if (this.canStart(job)) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.cancelWake?.();
    this.cancelWake = null;
    const settling = [...this.running.values()].map((r) => {
      r.controller.abort(new Error('closing'));
      return r.done;
    });
    await Promise.allSettled(settling);
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
