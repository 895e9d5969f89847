/**
 * The job queue: a persisted state machine per job (docs/QUEUE.md) and a scheduler with
 * separate limits for uploads, remote commands and downloads. Main's source of truth: the UI
 * and the CLI only call its controls and listen to its change stream.
 *
 * Stages: queued → uploading → stored → submitted → processing → downloading → done, or
 * failed / cancelled; held stages paused, waiting-for-key and rate-limited remember
 * `resumeStage`. Every transition that matters for a restart is on disk before the next remote
 * call: the command id before any poll, `submitStartedAt` before any submit.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  FINISHED_STAGES,
  type AddJobsRequest,
  type AddJobsResult,
  type AggregateProgress,
  type Job,
  type JobOutput,
  type JobStage,
  type MoveDirection,
  type OfflineState,
  type QueueControls,
  type QueuePatch,
  type QueueSnapshot,
} from '../../../shared/jobs';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import {
  describeTemplateProblem,
  renderFileName,
  splitExtension,
} from '../../../shared/fileNameTemplate';
import { createLogger, type Logger } from '../../../shared/redact';
import { systemClock, type Clock } from '../ports';
import { expandPaths } from '../files/expandPaths';
import { silentPaths } from '../files/probeAudio';
import {
  describePresetRefusal,
  describeUnavailablePreset,
} from '../../../shared/presets/mediaKinds';
import type { AppSettings } from '../settings/appSettings';
import { ChangeStream } from './changeStream';
import { answerMayBeLost, backoffMs, classifyError, JobFailure, toJobError } from './jobErrors';
import { adaptivePollPolicy, type PollObservation, type PollPolicy } from './pollPolicy';
import type { Checkpoint, QueueClient } from './ports';
import { loadQueue, openQueuePersistence } from './queueStore';
import { reconcileSubmit, submitJob } from './submitCommand';
import { ThroughputMeter } from './throughput';

export interface JobQueueOptions {
  dataDir: string;
  /** The client for a profile; throws when the profile is unknown. */
  clientFor(profileId: string): QueueClient;
  /** The temporary name a download in progress uses (removed when a job is cancelled). */
  partPathFor(dir: string, fileName: string): string;
  /** A profile's key was refused (401): the vault marks it so the UI can say so. */
  onAuthRejected?(profileId: string): void;
  /** Presets by id (built-in, custom, account). */
  presetById(id: string): Preset | undefined;
  /** Why a preset cannot take this kind of file, or null. */
  refusePreset?(preset: Preset, kind: MediaKind): string | null;
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
  pollPolicy?: PollPolicy;
  clock?: Clock;
  logger?: Logger;
  /** Change-stream interval (ms). */
  throttleMs?: number;
  /** Called after the state reaching the point is persisted; awaited. */
  checkpoint?(name: Checkpoint, job: Readonly<Job>): void | Promise<void>;
  /** Start working immediately (default true). */
  autoStart?: boolean;
}

type Phase = 'upload' | 'remote' | 'download';

interface Running {
  phase: Phase;
  controller: AbortController;
  done: Promise<void>;
}

/** Extra controls and hooks beyond the shared contract, for appCore and the CLI. */
export interface JobQueue extends QueueControls {
  applyPreset(
    ids: string[],
    presetId: string,
  ): { applied: string[]; skipped: { id: string; reason: string }[] };
  get(id: string): Job | undefined;
  /** The job's stage without copying the job (cheap enough to call for every job). */
  stageOf(id: string): JobStage | undefined;
  /** A new key was set for this profile: jobs waiting for one continue. */
  keyChanged(profileId: string): void;
  /** Resolves once no job is running or can start (all finished, held or blocked). */
  whenIdle(): Promise<void>;
  /** Starts the scheduler when created with autoStart: false. */
  start(): void;
  /** The settings changed (e.g. a higher limit): start what may start now. */
  settingsChanged(): void;
  /** Calls made per job, for the polling benchmark. */
  pollCount(id: string): number;
  /** Stops all work without changing any job's saved stage (a restart continues), then saves. */
  close(): Promise<void>;
}

const HELD: readonly JobStage[] = ['paused', 'waiting-for-key', 'rate-limited'];
const PHASE_OF: Partial<Record<JobStage, Phase>> = {
  queued: 'upload',
  uploading: 'upload',
  stored: 'remote',
  submitted: 'remote',
  processing: 'remote',
  downloading: 'download',
};
// Weights of each stage in the aggregate fraction (upload, remote, download).
const STAGE_SPAN: Partial<Record<JobStage, [number, number]>> = {
  queued: [0, 0],
  uploading: [0, 0.25],
  stored: [0.25, 0.25],
  submitted: [0.25, 0.3],
  processing: [0.3, 0.85],
  downloading: [0.85, 1],
};
const MAX_LIMITED_RETRIES = 8;
/** Failures that repeat alike until someone changes something (TLS, refused before sending). */
const MAX_STUCK_RETRIES = 3;

function isFinished(stage: JobStage): boolean {
  return FINISHED_STAGES.includes(stage);
}

function emptyProgress(): Job['progress'] {
  return { fraction: null, bytesDone: 0, bytesTotal: null, speed: null, etaSeconds: null };
}

/** Whether to probe a file for sound first: an audio preset makes nothing of a silent video. */
function needsSound(preset: Preset, kind: MediaKind | null): boolean {
  return preset.category === 'audio' && preset.accepts.includes('video') && kind === 'video';
}

/** Why an audio preset refuses a video known to have no sound (add and upload say the same). */
function silentVideoRefusal(preset: Preset): string {
  return (
    describePresetRefusal(preset, 'video', { hasAudio: false }) ??
    `"${preset.name}" needs a sound track, and this video has none.`
  );
}

export async function createJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger('queue', () => undefined);
  const pollPolicy = options.pollPolicy ?? adaptivePollPolicy();
  await mkdir(options.dataDir, { recursive: true });

  const jobs = new Map<string, Job>();
  let order: string[] = [];
  let paused = false;
  let stopAfter = false;
  let closing = false;
  let started = false;

  let loadedInfo = { seq: 0, journalLines: 0 };
  try {
    const saved = await loadQueue(options.dataDir);
    if (saved) {
      loadedInfo = { seq: saved.seq, journalLines: saved.journalLines };
      paused = saved.paused;
      stopAfter = saved.stopAfterRunning;
      for (const job of saved.jobs) {
        // Holds are re-evaluated on start: a key may have been set meanwhile, a wait may be over.
        if ((job.stage === 'waiting-for-key' || job.stage === 'rate-limited') && job.resumeStage) {
          job.stage = job.resumeStage;
          job.resumeStage = null;
          job.holdUntil = null;
        }
        job.progress = { ...emptyProgress(), fraction: job.stage === 'done' ? 1 : null };
        job.retry = null;
        jobs.set(job.id, job);
        order.push(job.id);
      }
    }
  } catch (error) {
    // Never lose the file: keep it aside for a person to look at, and start empty.
    const aside = join(options.dataDir, `queue.json.unreadable-${Date.now()}`);
    await rename(join(options.dataDir, 'queue.json'), aside).catch(() => undefined);
    await rename(join(options.dataDir, 'queue.journal'), `${aside}.journal`).catch(() => undefined);
    logger.error('queue file unreadable, kept as', aside, error);
  }

  const running = new Map<string, Running>();
  const retryAt = new Map<string, number>();
  const retryCount = new Map<string, number>();
  const polls = new Map<string, number>();
  /** Jobs whose storage links were obtained in this session (a restart re-reads them). */
  const freshUrls = new Set<string>();
  const stageEnteredAt = new Map<string, number>();
  const meters = new Map<string, ThroughputMeter>();
  const authHeld = new Set<string>();
  const rateHeldUntil = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const background = new Set<Promise<unknown>>();
  let idleWaiters: (() => void)[] = [];

  const persistence = openQueuePersistence(
    options.dataDir,
    () => ({
      jobs: order.map((id) => jobs.get(id)).filter((j): j is Job => j !== undefined),
      paused,
      stopAfterRunning: stopAfter,
    }),
    loadedInfo,
  );
  /** With a job: append that job's line to the journal; without: write the whole queue. */
  const save = (job?: Job): Promise<void> =>
    (job ? persistence.saveJob(job) : persistence.saveAll()).catch((error: unknown) => {
      logger.error('saving the queue failed', error);
      throw error;
    });
  const saveSoon = (job?: Job): void => {
    void save(job).catch(() => undefined);
  };

  const aggregate = (): AggregateProgress => {
    let total = 0;
    let done = 0;
    let failed = 0;
    let active = 0;
    let sum = 0;
    for (const job of jobs.values()) {
      if (job.stage === 'cancelled') continue;
      total++;
      if (job.stage === 'done') {
        done++;
        sum += 1;
        continue;
      }
      if (job.stage === 'failed') {
        failed++;
        sum += 1;
        continue;
      }
      const stage = HELD.includes(job.stage) ? (job.resumeStage ?? 'queued') : job.stage;
      const span = STAGE_SPAN[stage];
      if (running.has(job.id)) active++;
      if (span) sum += span[0] + (span[1] - span[0]) * (job.progress.fraction ?? 0);
    }
    return { total, done, failed, active, fraction: active > 0 && total > 0 ? sum / total : null };
  };

  /** Jobs waiting for the network (or a server) to come back, as the window shows them. */
  const offlineState = (): OfflineState | null => {
    let state: OfflineState | null = null;
    for (const job of jobs.values()) {
      const r = job.retry;
      if (!r || (r.code !== 'network' && r.code !== 'timeout')) continue;
      const local = options.isLocalProfile?.(job.settings.profileId) ?? false;
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
  };
  const clearRetry = (job: Job): void => {
    if (!job.retry) return;
    job.retry = null;
    stream.upsert(job.id);
    stream.flags();
  };

  const stream = new ChangeStream(
    {
      job: (id) => jobs.get(id),
      order: () => [...order],
      queueFlags: () => ({ paused, stopAfterRunning: stopAfter, offline: offlineState() }),
      aggregate,
    },
    options.throttleMs ?? 250,
  );

  const checkpoint = async (name: Checkpoint, job: Job): Promise<void> => {
    if (options.checkpoint) await options.checkpoint(name, job);
  };

  const setStage = (job: Job, stage: JobStage): void => {
    if (job.stage === stage) return;
    const now = clock.now();
    const since = stageEnteredAt.get(job.id);
    if (since !== undefined && !HELD.includes(job.stage)) {
      job.stageTimings[job.stage] = (job.stageTimings[job.stage] ?? 0) + (now - since);
    }
    stageEnteredAt.set(job.id, now);
    if (job.startedAt === null && stage !== 'queued' && !HELD.includes(stage)) job.startedAt = now;
    job.stage = stage;
    if (!HELD.includes(stage)) {
      job.resumeStage = stage === 'failed' ? job.resumeStage : null;
      job.holdUntil = null;
    }
    if (isFinished(stage)) job.finishedAt = now;
    job.progress = { ...emptyProgress(), fraction: stage === 'done' ? 1 : null };
    meters.get(job.id)?.reset();
    stream.upsert(job.id);
  };

  const hold = (
    job: Job,
    stage: 'paused' | 'waiting-for-key' | 'rate-limited',
    until: number | null = null,
  ): void => {
    if (isFinished(job.stage)) return;
    const resume = HELD.includes(job.stage) ? job.resumeStage : job.stage;
    setStage(job, stage);
    job.resumeStage = resume ?? 'queued';
    job.holdUntil = until;
    stream.upsert(job.id);
  };

  const release = (job: Job): void => {
    if (!HELD.includes(job.stage)) return;
    const resume = job.resumeStage ?? 'queued';
    setStage(job, resume);
  };

  const reportBytes = (job: Job, done: number, total: number | null): void => {
    clearRetry(job);
    let meter = meters.get(job.id);
    if (!meter) {
      meter = new ThroughputMeter();
      meters.set(job.id, meter);
    }
    meter.add(clock.now(), done);
    job.progress = {
      bytesDone: done,
      bytesTotal: total,
      fraction: total && total > 0 ? Math.min(1, done / total) : null,
      speed: meter.rate(),
      etaSeconds: meter.etaSeconds(total),
    };
    stream.progressOf(job.id);
  };

  const reportFraction = (job: Job, fraction: number | null): void => {
    let meter = meters.get(job.id);
    if (!meter) {
      meter = new ThroughputMeter(10_000);
      meters.set(job.id, meter);
    }
    if (fraction !== null) meter.add(clock.now(), fraction);
    job.progress = {
      bytesDone: 0,
      bytesTotal: null,
      fraction,
      speed: null,
      etaSeconds: fraction === null ? null : meter.etaSeconds(1),
    };
    stream.progressOf(job.id);
  };

  const fail = (job: Job, error: unknown, tries?: number): void => {
    const failedIn = job.stage;
    job.error = toJobError(error);
    if (tries !== undefined && tries > 1) job.error.message += ` (tried ${tries} times)`;
    setStage(job, 'failed');
    job.resumeStage = failedIn; // where retry may continue from
    logger.warn(`job ${job.id} failed in ${failedIn}: ${job.error.code}: ${job.error.message}`);
    stream.upsert(job.id);
    saveSoon(job);
  };

  const addTimer = (ms: number, fn: () => void): void => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    timers.add(timer);
  };

  const sleep = (ms: number, signal: AbortSignal): Promise<void> => clock.sleep(ms, signal);
  const guard = (signal: AbortSignal): void => {
    if (signal.aborted) throw signal.reason ?? new Error('aborted');
  };

  /**
   * The one check of a preset against a file, for add, applyPreset and again before the upload:
   * why it cannot run (listed but unavailable, or the wrong kind of file), or null. Without a
   * kind, only whether it can run at all.
   */
  const presetRefusal = (preset: Preset, kind: MediaKind | null): string | null => {
    const unavailable = describeUnavailablePreset(preset);
    if (unavailable) return unavailable;
    if (options.refusePreset && kind) return options.refusePreset(preset, kind);
    if (kind && !preset.accepts.includes(kind))
      return `${preset.name} takes ${preset.accepts.join(' or ')} files, not ${kind}`;
    return null;
  };

  // ---------------------------------------------------------------- phases

  const uploadPhase = async (job: Job, signal: AbortSignal): Promise<void> => {
    // The check add and applyPreset made, made again: a preset the app lists but cannot run
    // never reaches an upload, whatever brought the job here.
    const preset = job.settings.preset;
    const refusal = presetRefusal(preset, job.mediaKind);
    if (refusal) throw new JobFailure('preset', refusal, false);
    const client = options.clientFor(job.settings.profileId);
    if (!job.remote.fileId) {
      const info = await stat(job.sourcePath).catch(() => null);
      guard(signal);
      if (!info || !info.isFile())
        throw new JobFailure('input', `The source file is gone: ${job.sourcePath}`);
      // Checked again here, not only when the job was added: a preset applied to a queued job
      // later must not upload a silent video for an audio preset either.
      if (
        needsSound(preset, job.mediaKind) &&
        (await silentPaths([job.sourcePath], options.hasAudio)).size > 0
      )
        throw new JobFailure('input', silentVideoRefusal(preset), false);
      guard(signal);
      job.sourceSize = info.size;
      setStage(job, 'uploading');
      await save(job);
      guard(signal);
      await checkpoint('upload-started', job);
      const { file_id } = await client.uploadFile(job.sourcePath, {
        signal,
        onProgress: (sent, total) => reportBytes(job, sent, total ?? job.sourceSize),
      });
      job.remote.fileId = file_id;
      await save(job);
      guard(signal);
      await checkpoint('uploaded', job);
      guard(signal);
    }
    setStage(job, 'uploading');
    job.progress = {
      ...job.progress,
      fraction: 1,
      bytesDone: job.sourceSize,
      bytesTotal: job.sourceSize,
    };
    let delay = 100;
    for (;;) {
      let file;
      try {
        file = await client.getFile(job.remote.fileId, { signal });
      } catch (error) {
        // The server lost the upload (or it expired): upload again.
        if ((error as { kind?: string }).kind === 'not-found') {
          delete job.remote.fileId;
          saveSoon(job);
          return uploadPhase(job, signal);
        }
        throw error;
      }
      guard(signal);
      if (file.status === 'STORED' && file.storage_url) {
        job.remote.inputUrl = file.storage_url;
        freshUrls.add(job.id);
        break;
      }
      if (file.status === 'FAILED')
        throw new JobFailure(
          'input',
          `RenderIO could not read the file: ${file.error_message ?? file.error_status ?? 'unknown reason'}`,
          false,
        );
      await sleep(delay, signal);
      delay = Math.min(2000, delay * 1.5);
    }
    setStage(job, 'stored');
    await save(job);
    guard(signal);
    await checkpoint('stored', job);
  };

  const adoptCommand = async (job: Job, commandId: string, signal: AbortSignal): Promise<void> => {
    job.remote.commandId = commandId;
    job.remote.submittedAt = clock.now();
    setStage(job, 'submitted');
    await save(job);
    guard(signal);
    await checkpoint('submitted', job);
  };

  const remotePhase = async (job: Job, signal: AbortSignal): Promise<void> => {
    const client = options.clientFor(job.settings.profileId);
    if (!job.remote.commandId) {
      if (!job.remote.inputUrl) {
        // Stored stage without an input URL cannot happen; recover by uploading again.
        setStage(job, 'queued');
        return;
      }
      if (!freshUrls.has(job.id)) {
        const file = await client
          .getFile(job.remote.fileId ?? '', { signal })
          .catch((error: unknown) => {
            if ((error as { kind?: string }).kind === 'not-found') return null;
            throw error;
          });
        guard(signal);
        if (!file || file.status !== 'STORED' || !file.storage_url) {
          // The upload is gone from the server: start again from the upload.
          job.remote = {};
          setStage(job, 'queued');
          await save(job);
          return;
        }
        job.remote.inputUrl = file.storage_url;
        freshUrls.add(job.id);
      }
      if (job.remote.submitStartedAt !== undefined) {
        const found = await reconcileSubmit(client, job, { signal });
        guard(signal);
        if (found) {
          logger.info(`job ${job.id}: found its command after a lost answer`);
          await adoptCommand(job, found, signal);
        }
      }
      if (!job.remote.commandId) {
        job.remote.submitStartedAt = clock.now();
        await save(job);
        guard(signal);
        let commandId: string;
        try {
          commandId = (await submitJob(client, job, job.remote.inputUrl, { signal })).command_id;
        } catch (error) {
          if (!answerMayBeLost(error) || signal.aborted) throw error;
          const found = await reconcileSubmit(client, job, { signal }).catch(() => null);
          if (!found) throw error;
          commandId = found;
        }
        // Record the id even if a pause or cancel arrived meanwhile: it is what makes a resume safe.
        job.remote.commandId = commandId;
        await checkpoint('submit-answered', job);
        guard(signal);
        await adoptCommand(job, commandId, signal);
      }
    }
    const commandId = job.remote.commandId;
    if (!commandId) return;
    const submittedAt = clock.now(); // restarts poll from here: elapsed time before is unknown
    const observations: PollObservation[] = [];
    let wait = job.stage === 'processing' ? 500 : pollPolicy.first();
    for (;;) {
      await sleep(wait, signal);
      const command = await client.getCommand(commandId, { signal });
      polls.set(job.id, (polls.get(job.id) ?? 0) + 1);
      guard(signal);
      const now = clock.now();
      const progress = typeof command.progress === 'number' ? command.progress : null;
      observations.push({ at: now, status: command.status, progress });
      if (command.status === 'SUCCESS') {
        const outputs: JobOutput[] = Object.entries(command.output_files ?? {}).map(
          ([alias, file]) => ({
            alias,
            fileId: file.file_id ?? null,
            url: file.storage_url ?? null,
            filename: file.filename,
          }),
        );
        const wanted = job.settings.preset.outputs.map((o) => o.alias);
        outputs.sort((a, b) => wanted.indexOf(a.alias) - wanted.indexOf(b.alias));
        job.remote.outputs = outputs;
        freshUrls.add(job.id);
        setStage(job, 'downloading');
        await save(job);
        guard(signal);
        await checkpoint('succeeded', job);
        return;
      }
      if (command.status === 'FAILED') {
        throw new JobFailure(
          'ffmpeg',
          command.error_message ?? command.error_status ?? 'The command failed.',
          false,
        );
      }
      if (command.status === 'PROCESSING') {
        if (job.stage !== 'processing') {
          setStage(job, 'processing');
          await save(job);
          guard(signal);
          await checkpoint('processing', job);
        }
        reportFraction(job, progress);
      }
      wait = pollPolicy.next(submittedAt, observations, clock.now());
    }
  };

  const outputDirOf = (job: Job): string => {
    const base = job.settings.outputDir ?? dirname(job.sourcePath);
    if (!job.settings.mirrorRoot || !job.settings.outputDir) return base;
    const rel = relative(job.settings.mirrorRoot, dirname(job.sourcePath));
    if (rel.startsWith('..') || isAbsolute(rel)) return base;
    return join(base, rel);
  };

  const localNameOf = (job: Job, output: JobOutput): string => {
    const spec = job.settings.preset.outputs.find((o) => o.alias === output.alias);
    const ext = spec?.extension ?? splitExtension(output.filename).ext ?? 'out';
    return renderFileName({
      template: job.settings.nameTemplate,
      sourceName: job.sourceName,
      presetId: job.settings.presetId,
      outputExtension: ext,
      suffix:
        spec?.suffix ??
        (job.settings.preset.outputs.length > 1
          ? `-${output.alias.replace(/^out_/, '')}`
          : undefined),
      date: new Date(job.createdAt),
    });
  };

  const cleanupRemote = async (
    job: Job,
    client: QueueClient,
    signal?: AbortSignal,
  ): Promise<void> => {
    const tolerate = (error: unknown): void => {
      if ((error as { kind?: string }).kind !== 'not-found') throw error;
    };
    if (job.remote.commandId)
      await client.deleteCommandFiles(job.remote.commandId, { signal }).catch(tolerate);
    if (job.remote.fileId) await client.deleteFile(job.remote.fileId, { signal }).catch(tolerate);
  };

  const downloadPhase = async (job: Job, signal: AbortSignal): Promise<void> => {
    const client = options.clientFor(job.settings.profileId);
    const outputs = job.remote.outputs ?? [];
    const dir = outputDirOf(job);
    let reported = false;
    // Links saved by an earlier session may have expired or point at an engine that has moved.
    if (!freshUrls.has(job.id) && outputs.some((o) => o.localPath === undefined)) {
      const command = await client.getCommand(job.remote.commandId ?? '', { signal });
      guard(signal);
      for (const output of outputs)
        output.url = command.output_files?.[output.alias]?.storage_url ?? output.url;
      freshUrls.add(job.id);
    }
    const startedBefore = new Set(outputs.filter((o) => o.localName).map((o) => o.alias));
    for (const output of outputs) {
      if (output.localPath !== undefined) continue;
      if (!output.localName) {
        output.localName = localNameOf(job, output);
        await save(job);
        guard(signal);
      }
      if (!output.url)
        throw new JobFailure(
          'protocol',
          `The command reported no download link for ${output.alias}.`,
        );
      await mkdir(dir, { recursive: true });
      const commandId = job.remote.commandId ?? '';
      const resumeExisting = startedBefore.has(output.alias);
      const result = await client.download({
        resumeExisting,
        // A move announced before a crash: finished or adopted, never downloaded a second time.
        recordedCommit: output.commit,
        beforeCommit: async (commit) => {
          output.commit = commit;
          await save(job);
          await checkpoint('output-committing', job);
        },
        url: output.url,
        dir,
        fileName: output.localName,
        collision: job.settings.collision,
        protectedPaths: [job.sourcePath],
        signal,
        onProgress: (done, total) => {
          reportBytes(job, done, total);
          if (!reported && done > 0) {
            reported = true;
            void checkpoint('download-progress', job);
          }
        },
        refreshUrl: async () => {
          const command = await client.getCommand(commandId, { signal });
          const url = command.output_files?.[output.alias]?.storage_url;
          if (!url)
            throw new JobFailure(
              'not-found',
              'The output is no longer available on the server.',
              false,
            );
          output.url = url;
          return url;
        },
      });
      await checkpoint('output-renamed', job);
      output.localPath = result.path;
      delete output.commit;
      if (result.path) job.outputPaths.push(result.path);
      await save(job);
      await checkpoint('output-saved', job);
      guard(signal);
    }
    if (options.settings().cleanupRemote && !job.remote.cleanedUp) {
      try {
        await cleanupRemote(job, client, signal);
        job.remote.cleanedUp = true;
      } catch (error) {
        if (signal.aborted) throw error;
        // A failed clean-up never fails a finished conversion.
        logger.warn(`job ${job.id}: remote clean-up failed`, error);
      }
    }
    guard(signal);
    setStage(job, 'done');
    job.error = null;
    await save(job);
    await checkpoint('done', job);
  };

  // ---------------------------------------------------------------- scheduler

  const heldProfile = (profileId: string): boolean =>
    authHeld.has(profileId) || (rateHeldUntil.get(profileId) ?? 0) > clock.now();

  const holdForKey = (profileId: string): void => {
    if (!authHeld.has(profileId))
      logger.warn(`profile ${profileId}: key refused (401); its jobs wait for a new key`);
    authHeld.add(profileId);
    for (const job of jobs.values()) {
      if (job.settings.profileId !== profileId || isFinished(job.stage) || job.stage === 'paused')
        continue;
      if (job.stage === 'queued' && !running.has(job.id)) {
        hold(job, 'waiting-for-key');
        continue;
      }
      running.get(job.id)?.controller.abort(new Error('waiting for a key'));
      hold(job, 'waiting-for-key');
    }
    saveSoon();
  };

  const holdForRate = (job: Job, waitMs: number): void => {
    const profileId = job.settings.profileId;
    const until = clock.now() + waitMs;
    rateHeldUntil.set(profileId, Math.max(until, rateHeldUntil.get(profileId) ?? 0));
    hold(job, 'rate-limited', until);
    addTimer(waitMs + 10, () => {
      if ((rateHeldUntil.get(profileId) ?? 0) <= clock.now()) rateHeldUntil.delete(profileId);
      for (const other of jobs.values()) {
        if (other.stage === 'rate-limited' && (other.holdUntil ?? 0) <= clock.now()) release(other);
      }
      pump();
    });
  };

  const onWorkerError = (job: Job, error: unknown, signal: AbortSignal): void => {
    if (closing) return;
    const verdict = classifyError(error, signal);
    switch (verdict.action) {
      case 'aborted':
        return;
      case 'auth':
        options.onAuthRejected?.(job.settings.profileId);
        holdForKey(job.settings.profileId);
        return;
      case 'rate-limited':
        holdForRate(job, verdict.waitMs);
        return;
      case 'transient': {
        const n = (retryCount.get(job.id) ?? 0) + 1;
        retryCount.set(job.id, n);
        const budget = verdict.limited === 'stuck' ? MAX_STUCK_RETRIES : MAX_LIMITED_RETRIES;
        if (verdict.limited !== false && n >= budget) {
          clearRetry(job);
          fail(job, error, n);
          return;
        }
        const wait = backoffMs(n - 1);
        const info = toJobError(error);
        const now = clock.now();
        logger.info(`job ${job.id}: ${info.code} in ${job.stage}, retrying in ${wait} ms`);
        job.retry = {
          at: now + wait,
          since: job.retry?.since ?? now,
          attempt: n,
          code: info.code,
          message: info.message,
        };
        stream.upsert(job.id);
        stream.flags();
        retryAt.set(job.id, now + wait);
        addTimer(wait, () => pump());
        return;
      }
      case 'fail':
        fail(job, error);
    }
  };

  const startWorker = (job: Job, phase: Phase): void => {
    const controller = new AbortController();
    const run = phase === 'upload' ? uploadPhase : phase === 'remote' ? remotePhase : downloadPhase;
    const entry: Running = { phase, controller, done: Promise.resolve() };
    running.set(job.id, entry);
    entry.done = (async () => {
      try {
        await run(job, controller.signal);
        if (!controller.signal.aborted) {
          retryCount.delete(job.id);
          clearRetry(job);
        }
      } catch (error) {
        onWorkerError(job, error, controller.signal);
      } finally {
        if (running.get(job.id) === entry) running.delete(job.id);
        stream.upsert(job.id);
        if (!closing) queueMicrotask(pump);
      }
    })();
  };

  let pumping = false;
  function pump(): void {
    if (closing || !started || pumping) return;
    pumping = true;
    try {
      const limits = options.settings().concurrency;
      const counts: Record<Phase, number> = { upload: 0, remote: 0, download: 0 };
      for (const r of running.values()) counts[r.phase]++;
      let storedWaiting = 0;
      for (const job of jobs.values())
        if (job.stage === 'stored' && !running.has(job.id)) storedWaiting++;
      const now = clock.now();
      for (const id of order) {
        const job = jobs.get(id);
        if (!job || running.has(id) || stopping.has(id)) continue;
        const phase = PHASE_OF[job.stage];
        if (!phase || paused) continue;
        if ((retryAt.get(id) ?? 0) > now) continue;
        if (heldProfile(job.settings.profileId)) continue;
        if (job.stage === 'queued') {
          // Uploads run ahead of the remote slots by at most one batch, so ten thousand
          // queued files do not all sit uploaded on the server waiting.
          if (stopAfter || counts.upload >= limits.uploads || storedWaiting >= limits.remote)
            continue;
        } else if (
          counts[phase] >=
          (phase === 'upload'
            ? limits.uploads
            : phase === 'remote'
              ? limits.remote
              : limits.downloads)
        ) {
          continue;
        }
        if (job.stage === 'stored') storedWaiting--;
        counts[phase]++;
        retryAt.delete(id);
        startWorker(job, phase);
      }
      stream.flags();
    } finally {
      pumping = false;
    }
    checkIdle();
  }

  const canStart = (job: Job): boolean => {
    const phase = PHASE_OF[job.stage];
    if (!phase || paused || heldProfile(job.settings.profileId)) return false;
    if (job.stage === 'queued' && stopAfter) return false;
    return true;
  };

  const checkIdle = (): void => {
    if (idleWaiters.length === 0) return;
    if (running.size > 0) return;
    for (const job of jobs.values()) if (canStart(job)) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  /** Jobs being cancelled or removed: the scheduler must not restart them meanwhile. */
  const stopping = new Set<string>();
  const abortAndSettle = async (id: string): Promise<void> => {
    const r = running.get(id);
    if (!r) return;
    r.controller.abort(new Error('stopped'));
    await r.done;
  };

  const track = (p: Promise<unknown>): void => {
    background.add(p);
    void p.finally(() => background.delete(p));
  };

  /** Best-effort removal of a job's remote files and partial downloads (cancel, remove). */
  const discard = (job: Job): void => {
    const dir = outputDirOf(job);
    for (const output of job.remote.outputs ?? []) {
      if (output.localName && output.localPath === undefined)
        track(
          rm(options.partPathFor(dir, output.localName), { force: true }).catch(() => undefined),
        );
    }
    if (!job.remote.fileId && !job.remote.commandId) return;
    let client: QueueClient;
    try {
      client = options.clientFor(job.settings.profileId);
    } catch {
      return;
    }
    const snapshot = { ...job, remote: { ...job.remote } };
    track(
      (async () => {
        if (snapshot.remote.fileId)
          await client.deleteFile(snapshot.remote.fileId).catch(() => undefined);
        if (!snapshot.remote.commandId) return;
        // A command still running makes its outputs later: wait for it to end (bounded), then delete.
        for (let i = 0; i < 60 && !closing; i++) {
          const command = await client.getCommand(snapshot.remote.commandId).catch(() => null);
          if (!command || command.status === 'SUCCESS' || command.status === 'FAILED') break;
          await clock.sleep(Math.min(10_000, 500 * 2 ** i)).catch(() => undefined);
        }
        await client.deleteCommandFiles(snapshot.remote.commandId).catch(() => undefined);
      })(),
    );
  };

  // ---------------------------------------------------------------- controls

  const queue: JobQueue = {
    async add(request: AddJobsRequest): Promise<AddJobsResult> {
      const settings = options.settings();
      const preset = options.presetById(request.presetId);
      if (!preset)
        return {
          added: [],
          rejected: request.paths.map((path) => ({
            path,
            reason: `unknown preset "${request.presetId}"`,
          })),
        };
      // Listed but not runnable (an account preset with several inputs): every path, with why.
      const unavailable = presetRefusal(preset, null);
      if (unavailable)
        return {
          added: [],
          rejected: request.paths.map((path) => ({ path, reason: unavailable })),
        };
      const outputDir = request.outputDir === undefined ? settings.outputDir : request.outputDir;
      if (outputDir !== null && !isAbsolute(outputDir))
        return {
          added: [],
          rejected: request.paths.map((path) => ({
            path,
            reason: 'the output folder must be an absolute path',
          })),
        };
      const nameTemplate = request.nameTemplate ?? settings.nameTemplate;
      const templateProblem = describeTemplateProblem(nameTemplate);
      if (templateProblem)
        return {
          added: [],
          rejected: request.paths.map((path) => ({ path, reason: templateProblem })),
        };
      const alreadyQueued = new Set<string>();
      for (const job of jobs.values())
        if (!isFinished(job.stage) && job.settings.presetId === preset.id)
          alreadyQueued.add(job.sourcePath);
      const { files, rejected } = await expandPaths(request.paths, {
        kindOf: options.kindOf,
        alreadyQueued,
      });
      const mirror = request.mirrorTree ?? settings.mirrorTree;
      const profileId = options.activeProfileId();
      const added: string[] = [];
      // An audio preset cannot make anything of a silent video: say so now, not after upload.
      const silent = await silentPaths(
        files.filter((f) => needsSound(preset, f.mediaKind)).map((f) => f.path),
        options.hasAudio,
      );
      const now = clock.now();
      for (const file of files) {
        const refusal =
          presetRefusal(preset, file.mediaKind) ??
          (silent.has(file.path) ? silentVideoRefusal(preset) : null);
        if (refusal) {
          rejected.push({ path: file.path, reason: refusal });
          continue;
        }
        const job: Job = {
          id: randomUUID(),
          sourcePath: file.path,
          sourceName: basename(file.path),
          sourceSize: file.size,
          mediaKind: file.mediaKind,
          settings: {
            presetId: preset.id,
            preset,
            outputDir: outputDir === null ? null : resolve(outputDir),
            nameTemplate,
            collision: request.collision ?? settings.collision,
            mirrorRoot: mirror && outputDir !== null ? file.mirrorRoot : null,
            profileId,
          },
          stage: authHeld.has(profileId) ? 'waiting-for-key' : 'queued',
          resumeStage: authHeld.has(profileId) ? 'queued' : null,
          holdUntil: null,
          remote: {},
          progress: emptyProgress(),
          outputPaths: [],
          error: null,
          attempts: 0,
          createdAt: now,
          startedAt: null,
          finishedAt: null,
          stageTimings: {},
        };
        jobs.set(job.id, job);
        order.push(job.id);
        added.push(job.id);
        stream.upsert(job.id);
      }
      if (added.length > 0) {
        stream.order();
        await save();
        pump();
      }
      return { added, rejected };
    },

    pauseAll() {
      paused = true;
      for (const [id, r] of running) {
        const job = jobs.get(id);
        r.controller.abort(new Error('paused'));
        if (job) hold(job, 'paused');
      }
      stream.flags();
      saveSoon();
    },

    resumeAll() {
      paused = false;
      stopAfter = false;
      for (const job of jobs.values()) if (job.stage === 'paused') release(job);
      stream.flags();
      saveSoon();
      pump();
    },

    stopAfterRunning() {
      stopAfter = true;
      stream.flags();
      saveSoon();
      checkIdle();
    },

    async cancel(id) {
      const job = jobs.get(id);
      if (!job || isFinished(job.stage)) return;
      stopping.add(id);
      try {
        await abortAndSettle(id);
      } finally {
        stopping.delete(id);
      }
      job.error = { code: 'cancelled', message: 'Cancelled.', retryable: true };
      setStage(job, 'cancelled');
      retryAt.delete(id);
      discard(job);
      await save(job);
      pump();
    },

    retry(id) {
      const job = jobs.get(id);
      if (!job || (job.stage !== 'failed' && job.stage !== 'cancelled')) return;
      const failedIn = job.stage === 'failed' ? job.resumeStage : null;
      job.error = null;
      job.finishedAt = null;
      retryCount.delete(id);
      if (failedIn === 'downloading' && job.remote.commandId && job.remote.outputs) {
        // Only the local side failed (disk full, folder gone): download again, do not re-run.
        // An output whose move was announced keeps its name: the move is settled, not redone.
        for (const output of job.remote.outputs)
          if (output.localPath === undefined && output.commit === undefined)
            delete output.localName;
        setStage(job, 'downloading');
      } else {
        job.attempts++;
        job.remote = {};
        job.outputPaths = [];
        setStage(job, 'queued');
      }
      job.resumeStage = null;
      if (authHeld.has(job.settings.profileId)) hold(job, 'waiting-for-key');
      saveSoon(job);
      pump();
    },

    retryAllFailed() {
      for (const job of [...jobs.values()]) if (job.stage === 'failed') queue.retry(job.id);
    },

    async remove(ids) {
      const removed: string[] = [];
      for (const id of ids) {
        const job = jobs.get(id);
        if (!job) continue;
        stopping.add(id);
        await abortAndSettle(id).finally(() => stopping.delete(id));
        jobs.delete(id);
        if (job.stage !== 'done' || !job.remote.cleanedUp) {
          if (job.stage !== 'done' || options.settings().cleanupRemote) discard(job);
        }
        retryAt.delete(id);
        meters.delete(id);
        removed.push(id);
      }
      if (removed.length === 0) return;
      const gone = new Set(removed);
      order = order.filter((id) => !gone.has(id));
      stream.remove(removed);
      stream.order();
      await save();
      pump();
    },

    move(id, direction: MoveDirection) {
      const index = order.indexOf(id);
      if (index < 0) return;
      order.splice(index, 1);
      const target =
        direction === 'top'
          ? 0
          : direction === 'bottom'
            ? order.length
            : direction === 'up'
              ? Math.max(0, index - 1)
              : Math.min(order.length, index + 1);
      order.splice(target, 0, id);
      stream.order();
      saveSoon();
      pump();
    },

    clearFinished() {
      const gone: string[] = [];
      for (const job of jobs.values()) {
        // Failed jobs stay until they are retried or removed one by one: clearing the list
        // must not lose a failure the person has not dealt with yet.
        if (!isFinished(job.stage) || job.stage === 'failed') continue;
        gone.push(job.id);
      }
      if (gone.length === 0) return;
      const set = new Set(gone);
      for (const id of gone) jobs.delete(id);
      order = order.filter((id) => !set.has(id));
      stream.remove(gone);
      stream.order();
      saveSoon();
    },

    applyPreset(ids, presetId) {
      const preset = options.presetById(presetId);
      const applied: string[] = [];
      const skipped: { id: string; reason: string }[] = [];
      for (const id of ids) {
        const job = jobs.get(id);
        if (!job) {
          skipped.push({ id, reason: 'no such job' });
          continue;
        }
        if (!preset) {
          skipped.push({ id, reason: `unknown preset "${presetId}"` });
          continue;
        }
        const notStarted =
          (job.stage === 'queued' || (HELD.includes(job.stage) && job.resumeStage === 'queued')) &&
          !running.has(id);
        if (!notStarted) {
          skipped.push({ id, reason: 'only queued jobs that have not started can change preset' });
          continue;
        }
        const refusal = presetRefusal(preset, job.mediaKind);
        if (refusal) {
          skipped.push({ id, reason: refusal });
          continue;
        }
        job.settings = { ...job.settings, presetId: preset.id, preset };
        applied.push(id);
        stream.upsert(id);
      }
      if (applied.length > 0) saveSoon();
      return { applied, skipped };
    },

    retryNow(): void {
      const now = clock.now();
      for (const job of jobs.values()) {
        if (!job.retry || !retryAt.has(job.id)) continue;
        retryAt.delete(job.id);
        job.retry = { ...job.retry, at: now };
        stream.upsert(job.id);
      }
      stream.flags();
      pump();
    },

    snapshot(): QueueSnapshot {
      return {
        jobs: order
          .map((id) => jobs.get(id))
          .filter((j): j is Job => j !== undefined)
          .map((j) => structuredClone(j)),
        paused,
        stopAfterRunning: stopAfter,
        offline: offlineState(),
        aggregate: aggregate(),
      };
    },

    subscribe(listener: (patches: QueuePatch[]) => void) {
      return stream.subscribe(listener);
    },

    get(id) {
      const job = jobs.get(id);
      return job ? structuredClone(job) : undefined;
    },

    stageOf(id) {
      return jobs.get(id)?.stage;
    },

    keyChanged(profileId) {
      authHeld.delete(profileId);
      for (const job of jobs.values())
        if (job.stage === 'waiting-for-key' && job.settings.profileId === profileId) release(job);
      saveSoon();
      pump();
    },

    whenIdle() {
      return new Promise<void>((resolveIdle) => {
        idleWaiters.push(resolveIdle);
        checkIdle();
      });
    },

    start() {
      if (started) return;
      started = true;
      pump();
    },

    settingsChanged() {
      pump();
    },

    pollCount(id) {
      return polls.get(id) ?? 0;
    },

    async close() {
      if (closing) return;
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const settling = [...running.values()].map((r) => {
        r.controller.abort(new Error('closing'));
        return r.done;
      });
      await Promise.allSettled(settling);
      await Promise.race([Promise.allSettled([...background]), clock.sleep(2000)]);
      await persistence.flush().catch(() => undefined);
      // A fresh snapshot on the way out also empties the journal.
      await save().catch(() => undefined);
      stream.close();
      for (const w of idleWaiters) w();
      idleWaiters = [];
    },
  };

  if (options.autoStart !== false) queue.start();
  return queue;
}
