/**
 * The job queue: main's source of truth for the jobs. The window and the CLI call its controls
 * and follow its change stream. It is put together here from its parts:
 *
 *   queueState.ts     the jobs, their order and flags, every change told to the change stream
 *   queueStore.ts     the queue on disk (snapshot + journal), loaded at start
 *   addJobs.ts        adding files (idempotent: nothing converted twice unless asked)
 *   phases/           a job's life, one file per phase, read top to bottom:
 *                       uploadPhase → remotePhase → downloadPhase
 *   jobContext.ts     what a phase may do (save, set its stage, report progress, check it was stopped)
 *   scheduler.ts      the limits, the holds (key refused, rate limit, back-off) and wake-ups
 *   controls.ts       pause, resume, cancel, retry, remove, move, clear, apply a preset
 *   remoteCleanup.ts  remote copies to delete, kept until they are gone
 *
 * Stages: queued → uploading → stored → submitted → processing → downloading → done, or
 * failed / cancelled; held stages paused, waiting-for-key and rate-limited remember
 * `resumeStage`. Every transition that matters for a restart is on disk before the next remote
 * call: the command id before any poll, `submitStartedAt` before any submit.
 */
import { stat } from 'node:fs/promises';
import type {
  BulkResult,
  Job,
  JobBrief,
  JobChange,
  JobStage,
  QueueControls,
  QueueSnapshot,
  QueueWindow,
} from '../../../shared/jobs';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import { createLogger, type Logger } from '../../../shared/redact';
import { systemClock, type Clock } from '../ports';
import { openProducedFiles } from '../files/producedFiles';
import type { AppSettings } from '../settings/appSettings';
import { addJobs } from './addJobs';
import { createControls } from './controls';
import type { JobContext } from './jobContext';
import { JobFailure, rawMessage, toJobError } from './jobErrors';
import { downloadPhase } from './phases/downloadPhase';
import { namesHeldIn } from './phases/outputNames';
import { remotePhase } from './phases/remotePhase';
import { uploadPhase } from './phases/uploadPhase';
import {
  adaptivePollPolicy,
  boundedPollPolicy,
  localPollPolicy,
  type PollPolicy,
} from './pollPolicy';
import { StageTimes } from './stageTimes';
import { openStageTimes } from './stageTimesFile';
import type { Checkpoint, QueueClient } from './ports';
import { presetRefusal, type PresetRules } from './presetChecks';
import { emptyProgress, HELD, QueueState } from './queueState';
import { loadQueue, openQueuePersistence } from './queueStore';
import { openRemoteCleanup, type RemoteCleanup } from './remoteCleanup';
import { Scheduler, type Phase } from './scheduler';
import { createLaterSaves } from './laterSaves';

/** The longest a step saved with saveLater waits for its job's next line (laterSaves.ts). */
const SAVE_LATER_MS = 1000;

export { JobFailure };

export interface JobQueueOptions extends PresetRules {
  dataDir: string;
  /** The client for a profile; throws when the profile is unknown. */
  clientFor(profileId: string): QueueClient;
  /** The temporary name a download in progress uses (removed when a job is cancelled). */
  partPathFor(dir: string, fileName: string): string;
  /** A profile's key was refused (401): the vault marks it so the UI can say so. */
  onAuthRejected?(profileId: string): void;
  /** Presets by id (built-in, custom, account). */
  presetById(id: string): Preset | undefined;
  /**
   * Whether a local file has sound (default: ffprobe; null when it cannot be told). Asked only
   * for video files added with an audio preset, so a silent video is refused before upload.
   */
  hasAudio?(path: string): Promise<boolean | null>;
  kindOf(fileName: string): MediaKind | null;
  settings(): AppSettings;
  /** The profile new jobs run on (the active one). */
  activeProfileId(): string;
  /** Whether a profile's jobs run on this computer (the local engine): the words differ. */
  isLocalProfile?(profileId: string): boolean;
  /**
   * How many commands the local engine runs at once (null: not known). The queue submits up
   * to LOCAL_SUBMIT_AHEAD times as many, so the engine always has the next one waiting.
   */
  localCommandSlots?(): number | null;
  /** How commands are polled (default: the cloud's adaptive policy, a faster one for this computer). */
  pollPolicy?: PollPolicy;
  clock?: Clock;
  logger?: Logger;
  /** Change-stream interval (ms). */
  throttleMs?: number;
  /**
   * How long a new remote clean-up is tried before it is written down (default
   * TRY_BEFORE_RECORDING_MS, remoteCleanup.ts); a test gives it room on a loaded machine.
   */
  cleanupTryMs?: number;
  /** Called after the state reaching the point is persisted; awaited. */
  checkpoint?(name: Checkpoint, job: Readonly<Job>): void | Promise<void>;
  /** Start working immediately (default true). */
  autoStart?: boolean;
  /**
   * Told each time a job finishes (done, failed, cancelled), with its outputs, times and
   * error already set: the history records it then, not when the job leaves the list.
   */
  onJobFinished?(job: Readonly<Job>): void;
}

/** Extra controls and hooks beyond the shared contract, for appCore and the CLI. */
export interface JobQueue extends QueueControls {
  applyPreset(
    ids: string[],
    presetId: string,
  ): { applied: string[]; skipped: { id: string; reason: string }[] };
  /** Changes queued jobs' own preset, output folder or name template (not the defaults). */
  change(ids: readonly string[], change: JobChange): BulkResult;
  /** Every job's stage and kind, in order: what the selection's actions need to know. */
  briefs(): JobBrief[];
  /** The row's Cancel, Retry and Remove over many jobs, with what could not be done and why. */
  cancelMany(ids: readonly string[]): Promise<BulkResult>;
  retryMany(ids: readonly string[]): BulkResult;
  removeMany(ids: readonly string[]): Promise<BulkResult>;
  get(id: string): Job | undefined;
  /** The jobs from `offset` on, and how many there are (the window's first paint, its scrolling). */
  window(offset: number, limit: number): QueueWindow;
  /** Every job's id, in order (a few hundred KB at 10,000 jobs, no job bodies). */
  ids(): string[];
  /** The job's stage without copying the job (cheap enough to call for every job). */
  stageOf(id: string): JobStage | undefined;
  /** A new key was set for this profile: jobs waiting for one continue. */
  keyChanged(profileId: string): void;
  /** Resolves once no job is running or can start (all finished, held or blocked). */
  whenIdle(): Promise<void>;
  /**
   * Sends the patches the change stream's throttle still holds, now (the CLI at the end of its
   * wait: its last lines come when the last job ends, not up to an interval later).
   */
  flushChanges(): void;
  /** Starts the scheduler when created with autoStart: false. */
  start(): void;
  /** The settings changed (e.g. a higher limit): start what may start now. */
  settingsChanged(): void;
  /** Calls made per job, for the polling benchmark. */
  pollCount(id: string): number;
  /** Remote copies still to delete (cancelled, removed, cleaned up, lost uploads). */
  readonly cleanup: RemoteCleanup;
  /** Stops all work without changing any job's saved stage (a restart continues), then saves. */
  close(): Promise<void>;
}

export async function createJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger('queue', () => undefined);
  // Jobs on RenderIO wait within the settings' bounds, read at each wait (a change applies to
  // commands being polled now). This computer's engine keeps its loopback pace; a policy given
  // by the caller (tests, the benchmark) is used as given.
  const cloudPolls =
    options.pollPolicy ??
    boundedPollPolicy(adaptivePollPolicy(), () => {
      const { min, max } = options.settings().pollIntervalSeconds;
      return { minMs: min * 1000, maxMs: max * 1000 };
    });
  const localPolls = options.pollPolicy ?? localPollPolicy();
  const pollPolicyFor = (profileId: string): PollPolicy =>
    options.isLocalProfile?.(profileId) ? localPolls : cloudPolls;
  let scheduler: Scheduler | null = null;
  // Learned stage times outlive a launch: the first bars after a restart are weighed by them.
  const stageTimesFile = await openStageTimes(options.dataDir, (m) => logger.warn(m));
  const state = new QueueState({
    stageTimes: new StageTimes(stageTimesFile.kept, (snapshot) => stageTimesFile.keep(snapshot)),
    clock,
    isLocalProfile: options.isLocalProfile,
    isRunning: (id) => scheduler?.isRunning(id) ?? false,
    throttleMs: options.throttleMs,
    onFinished: (job) => {
      try {
        options.onJobFinished?.(job);
      } catch (error) {
        // A listener's failure never stops the queue.
        logger.error('recording a finished job failed', error);
      }
    },
  });

  const loaded = await loadQueue(options.dataDir, logger);
  state.paused = loaded.paused;
  state.stopAfter = loaded.stopAfterRunning;
  for (const job of loaded.jobs) {
    // Holds are re-evaluated on start: a key may have been set meanwhile, a wait may be over.
    if ((job.stage === 'waiting-for-key' || job.stage === 'rate-limited') && job.resumeStage) {
      job.stage = job.resumeStage;
      job.resumeStage = null;
      job.holdUntil = null;
    }
    job.progress = { ...emptyProgress(), fraction: job.stage === 'done' ? 1 : null };
    job.retry = null;
    state.jobs.set(job.id, job);
    state.order.push(job.id);
  }

  // Results are recorded as they are written, so a folder of sources and results added
  // later queues the sources only; outputs of jobs finished before this list existed too.
  const produced = await openProducedFiles(options.dataDir, (m) => logger.warn(m));
  /** Recordings under way (their sizes being read): close waits for them before the last write. */
  const recording = new Set<Promise<void>>();
  const recordOutputs = (paths: readonly string[]): Promise<void> => {
    const done = (async () => {
      const files = [];
      for (const path of paths) {
        const info = await stat(path).catch(() => null);
        if (info?.isFile()) files.push({ path, size: info.size });
      }
      produced.record(files);
    })();
    recording.add(done);
    void done.finally(() => recording.delete(done));
    return done;
  };
  void recordOutputs(loaded.jobs.filter((j) => j.stage === 'done').flatMap((j) => j.outputPaths));
  state.stream.subscribe((patches) => {
    for (const patch of patches)
      if (patch.type === 'upsert' && patch.job.stage === 'done')
        void recordOutputs(patch.job.outputPaths);
  });

  const persistence = openQueuePersistence(
    options.dataDir,
    () => ({ jobs: state.list(), paused: state.paused, stopAfterRunning: state.stopAfter }),
    loaded,
  );
  /** With a job: append that job's line to the journal; without: write the whole queue. */
  const saveNow = (job?: Job): Promise<void> =>
    (job ? persistence.saveJob(job) : persistence.saveAll()).catch((error: unknown) => {
      logger.error('saving the queue failed', error);
      throw error;
    });
  const laterSaves = createLaterSaves<Job>({
    delayMs: SAVE_LATER_MS,
    setTimer: (ms, fn) => clock.setTimer(ms, fn),
    saveSoon: (job) => saveSoon(job),
  });
  const save = (job?: Job): Promise<void> => {
    // A job's line holds all of it, and the whole queue holds every job.
    laterSaves.covered(job);
    return saveNow(job);
  };
  const saveSoon = (job?: Job): void => void save(job).catch(() => undefined);

  const cleanup = await openRemoteCleanup({
    dataDir: options.dataDir,
    clientFor: options.clientFor,
    clock,
    logger,
    ...(options.cleanupTryMs === undefined ? {} : { tryMs: options.cleanupTryMs }),
  });

  const fail = (job: Job, error: unknown, tries?: number): void => {
    const failedIn = job.stage;
    job.error = toJobError(error, state.where(job));
    if (tries !== undefined && tries > 1) job.error.message += ` (tried ${tries} times)`;
    state.setStage(job, 'failed');
    job.resumeStage = failedIn; // where retry may continue from
    logger.warn(`job ${job.id} failed in ${failedIn}: ${rawMessage(error)}`);
    state.stream.upsert(job.id);
    saveSoon(job);
  };

  const polls = new Map<string, number>();
  /** Jobs whose storage links were obtained in this session (a restart reads them again). */
  const freshUrls = new Set<string>();
  const phases: Record<Phase, (ctx: JobContext) => Promise<void>> = {
    upload: uploadPhase,
    remote: remotePhase,
    download: downloadPhase,
  };
  const contextFor = (job: Job, signal: AbortSignal): JobContext => ({
    job,
    client: options.clientFor(job.settings.profileId),
    signal,
    logger,
    pollPolicy: pollPolicyFor(job.settings.profileId),
    cleanup,
    now: () => clock.now(),
    settings: options.settings,
    save: () => save(job),
    saveSoon: () => saveSoon(job),
    saveLater: () => laterSaves.later(job),
    setStage: (stage) => state.setStage(job, stage),
    reportBytes: (done, total) => state.reportBytes(job, done, total),
    reportFraction: (fraction) => state.reportFraction(job, fraction),
    checkpoint: async (name: Checkpoint) => {
      if (options.checkpoint) await options.checkpoint(name, job);
    },
    guard: () => {
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
    },
    sleep: (ms) => clock.sleep(ms, signal),
    freshUrls: { has: () => freshUrls.has(job.id), mark: () => void freshUrls.add(job.id) },
    countPoll: () => void polls.set(job.id, (polls.get(job.id) ?? 0) + 1),
    presetRefusal: (preset, kind) => presetRefusal(preset, kind, options),
    refusalHere: (preset) => options.refuseOnProfile?.(job.settings.profileId, preset) ?? null,
    hasAudio: options.hasAudio,
    namesHeld: (dir) => namesHeldIn(state.jobs.values(), dir, job),
  });

  scheduler = new Scheduler({
    state,
    clock,
    logger,
    settings: options.settings,
    isLocal: (job) => state.where(job).local,
    localCommandSlots: options.localCommandSlots,
    runPhase: (job, phase, signal) => phases[phase](contextFor(job, signal)),
    fail,
    onAuthRejected: options.onAuthRejected,
    saveSoon,
  });
  const sched = scheduler;
  const controls = createControls({
    state,
    scheduler: sched,
    cleanup,
    settings: options.settings,
    presetById: options.presetById,
    refusePreset: options.refusePreset,
    refuseOnProfile: options.refuseOnProfile,
    kindOf: options.kindOf,
    partPathFor: options.partPathFor,
    save,
    saveSoon,
  });

  let closing = false;
  const queue: JobQueue = {
    ...controls,
    cleanup,

    async add(request) {
      const result = await addJobs(request, {
        state,
        now: () => clock.now(),
        settings: options.settings,
        presetById: options.presetById,
        refusePreset: options.refusePreset,
        refuseOnProfile: options.refuseOnProfile,
        hasAudio: options.hasAudio,
        kindOf: options.kindOf,
        activeProfileId: options.activeProfileId,
        isAuthHeld: (profileId) => sched.isAuthHeld(profileId),
        isProduced: (path, size) => produced.isProduced(path, size),
      });
      if (result.added.length > 0) {
        await save();
        sched.pump();
      }
      return result;
    },

    snapshot: (): QueueSnapshot => state.snapshot(),
    window: (offset, limit) => state.window(offset, limit),
    ids: () => [...state.order],
    subscribe: (listener) => state.stream.subscribe(listener),
    get(id) {
      const job = state.jobs.get(id);
      return job ? structuredClone(job) : undefined;
    },
    stageOf: (id) => state.jobs.get(id)?.stage,
    whenIdle: () => sched.whenIdle(),
    flushChanges: () => state.stream.flush(),
    start: () => sched.start(),
    settingsChanged: () => sched.pump(),
    pollCount: (id) => polls.get(id) ?? 0,

    async close() {
      if (closing) return;
      closing = true;
      await sched.close();
      await cleanup.close();
      // The last patches go out first: a job's 'done' still held by the throttle records its
      // outputs, and that write is waited for here, not made after close (into a folder the
      // CLI is removing: ENOTEMPTY).
      state.stream.close();
      await Promise.allSettled([...recording]);
      await persistence.flush().catch(() => undefined);
      await produced.flush();
      await stageTimesFile.flush();
      // A fresh snapshot on the way out also empties the journal, which is then closed; it
      // holds the steps that were waiting for a line too.
      laterSaves.cancel();
      await save().catch(() => undefined);
      await persistence.close().catch(() => undefined);
    },
  };

  if (options.autoStart !== false) queue.start();
  return queue;
}

/** Kept for callers that check held stages by name. */
export { HELD };
