/**
 * The job model shared by main (the source of truth), the renderer (a replica) and the CLI.
 * A job is a persisted state machine; see docs/ARCHITECTURE.md for the stage diagram.
 */
import type { MediaKind, Preset } from './presetTypes';

export type JobStage =
  | 'queued'
  | 'uploading'
  | 'stored'
  | 'submitted'
  | 'processing'
  | 'downloading'
  | 'done'
  | 'failed'
  | 'cancelled'
  // Held stages: the job remembers where it was (`resumeStage`) and continues from there.
  | 'paused'
  | 'waiting-for-key'
  | 'rate-limited';

export const FINISHED_STAGES: readonly JobStage[] = ['done', 'failed', 'cancelled'];
export const ACTIVE_STAGES: readonly JobStage[] = [
  'uploading',
  'stored',
  'submitted',
  'processing',
  'downloading',
];

export type CollisionPolicy = 'rename' | 'overwrite' | 'skip';

/** Settings frozen into a job when it is queued; later edits elsewhere never change them. */
export interface JobSettings {
  presetId: string;
  /** A snapshot of the preset as it was when queued (or re-applied). */
  preset: Preset;
  /** null: next to the source file. */
  outputDir: string | null;
  /** `{name}`, `{preset}`, `{ext}`, `{date}`; see shared/fileNameTemplate.ts. */
  nameTemplate: string;
  collision: CollisionPolicy;
  /** When set, the source's folder relative to this root is recreated under outputDir. */
  mirrorRoot: string | null;
  /** Which connection profile (cloud account or local engine) runs the job. */
  profileId: string;
  /**
   * 'kind-default': the picked preset could not take this kind of file, so the default preset
   * for its kind (settings' kindDefaults) was used; the row says so. Absent: the picked one.
   */
  presetChoice?: 'picked' | 'kind-default';
}

export interface JobRemote {
  /** Uploaded input. */
  fileId?: string;
  /** Marks this job's upload in its file name, so one whose answer was lost is found again. */
  uploadTag?: string;
  inputUrl?: string;
  /** Saved before anything else once the submit answers: a restart polls, never resubmits. */
  commandId?: string;
  outputs?: JobOutput[];
  /** Set (and persisted) just before a submit is sent: on restart, reconcile before any resubmit. */
  submitStartedAt?: number;
  /** When the command id came back; polling backs off from here. */
  submittedAt?: number;
  /** The remote input and outputs were deleted after the download (clean-up setting). */
  cleanedUp?: boolean;
  /** What the server said of the command when it ended (status, times, error), for Details. */
  record?: string;
  /**
   * The stored input's kind and length as the server measured them, once it is STORED: a result
   * is held to it (electron/core/queue/shortResult.ts). Absent in older queue files.
   */
  source?: MediaLength;
}

/** What the server measured of a file: its kind and length in seconds (either may be unknown). */
export interface MediaLength {
  kind: MediaKind | null;
  seconds: number | null;
}

export interface JobOutput {
  alias: string;
  fileId: string | null;
  url: string | null;
  /** The remote file name. */
  filename: string;
  /** The local file name chosen before the download starts (kept, so a resumed download finds its .part). */
  localName?: string;
  /** Final local path once saved; null when the collision policy skipped it. */
  localPath?: string | null;
  /**
   * Saved once the .part is complete, before it is moved to its final name; removed when
   * localPath is saved. A restart that finds it finishes or adopts that move instead of
   * downloading again (electron/core/transfers/commit.ts).
   */
  commit?: OutputCommit;
}

/** A finished download about to be moved to its final name. */
export interface OutputCommit {
  /** The final path chosen under the collision policy. */
  path: string;
  /** Size of the finished .part. */
  bytes: number;
  /** `dev:ino` of the .part (kept by the move), when the file system has one. */
  identity?: string;
}

export interface JobProgress {
  /** 0..1 of the current stage, null when unknown (indeterminate). */
  fraction: number | null;
  bytesDone: number;
  bytesTotal: number | null;
  /** Bytes per second, measured over the last few seconds. */
  speed: number | null;
  /**
   * Seconds until the whole job is done (not just this stage), damped over a window; null
   * until it means something (a tenth done, a few seconds watched) and while progress stalls.
   */
  etaSeconds: number | null;
  /**
   * 0..1 across the job's stages (upload → server → download), weighted by measured stage
   * times; never goes back within an attempt, below 1 until done. The row's bar and percent.
   * Absent in queue files from older versions (read as 0).
   */
  overall?: number;
}

/** What "Locate…" did: the job runs again from the chosen file, or why it does not. */
export type LocateSourceResult =
  { located: true; path: string } | { located: false; reason: string };

/** The code of a job whose source file was moved or deleted: "Locate…" or "Remove", not "Retry". */
export const SOURCE_GONE = 'source-gone';

export interface JobError {
  /** auth | rate-limited | validation | not-found | server | network | timeout | protocol | ffmpeg | input | source-gone | output-folder | disk | cancelled */
  code: string;
  /** Redacted, fit to show a person. */
  message: string;
  retryable: boolean;
}

/** A step that failed in a way that may heal (the network, the server): when it runs again, and why. */
export interface JobRetry {
  /** When the step is tried again (epoch ms). */
  at: number;
  /** When this run of failures began (epoch ms). */
  since: number;
  attempt: number;
  /** network | timeout | server | tls | not-sent | protocol | ... (JobError codes). */
  code: string;
  /** Redacted, fit to show: "Could not reach https://renderio.dev: the connection was refused". */
  message: string;
}

/** The queue cannot reach where its jobs run; they are retried, and the window says so. */
export interface OfflineState {
  /** When the first of these jobs lost the connection (epoch ms). */
  since: number;
  /** The soonest next try (epoch ms). */
  nextRetryAt: number;
  /** The jobs run on this computer (the local engine), not on RenderIO. */
  local: boolean;
  /** The failure, in words fit to show. */
  message: string;
  /** How many jobs are waiting for the connection. */
  jobs: number;
}

export interface Job {
  /** UUID; sent as `metadata.client_job_id` so a lost submit can be reconciled. */
  id: string;
  sourcePath: string;
  sourceName: string;
  sourceSize: number;
  mediaKind: MediaKind | null;
  settings: JobSettings;
  stage: JobStage;
  /** For held stages: the stage to resume from. */
  resumeStage: JobStage | null;
  /** For rate-limited: when calls may start again (epoch ms). */
  holdUntil: number | null;
  remote: JobRemote;
  progress: JobProgress;
  /** Final local paths of the outputs. */
  outputPaths: string[];
  /** Total size of the saved outputs (bytes), once downloaded; absent in older queue files. */
  outputBytes?: number;
  /**
   * Said of a job that converted but whose result is worth a look (much shorter than its
   * source: shortResult.ts). Not an error: the job is done and its files are saved.
   */
  warning?: string | null;
  error: JobError | null;
  /** Set while a step waits to be tried again after a failure that may heal. */
  retry?: JobRetry | null;
  attempts: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Milliseconds spent per stage, for the history row. */
  stageTimings: Partial<Record<JobStage, number>>;
  /**
   * When the job entered its stage (epoch ms, main's clock: the window's computer's too), for
   * the row's elapsed time: a row that comes back on screen, or a window that loads again,
   * goes on counting from here instead of from 0:00. Absent in older queue files.
   */
  stageSince?: number;
  /**
   * How many changes main has told of this job; it only grows. The window keeps the newest it
   * has seen: a page of jobs is answered at once, while patches wait a few hundred ms to go in
   * batches, so a patch older than a page can arrive after it (a row fetched while processing
   * went back to "Starting" for a batch). Absent in older queue files.
   */
  rev?: number;
}

export interface AggregateProgress {
  total: number;
  done: number;
  failed: number;
  active: number;
  /** Cancelled jobs (not counted in `total`); absent from older cores. */
  cancelled?: number;
  /**
   * 0..1 over the whole queue (each job's `progress.overall`; a failed job counts as 1, the
   * window takes failures out), null when nothing is running.
   */
  fraction: number | null;
  /**
   * The overall bar, 0..1: the work done of the jobs that can still finish (failed and
   * cancelled apart), below 1 while a job runs, never back while the queue runs. null when
   * nothing can finish. Absent from older cores (the window then derives it from `fraction`).
   */
  share?: number | null;
  /** Seconds until the queue's running work is done, damped; null until it means something. */
  etaSeconds?: number | null;
  /**
   * How many jobs are at each stage, the whole queue's (cancelled included): the window holds
   * only the rows on screen, so what the queue is doing is counted in main.
   */
  byStage?: Partial<Record<JobStage, number>>;
  /** What the held jobs wait for, for the banners that say so (the core always sends both). */
  holds?: QueueHolds;
}

export interface QueueHolds {
  /** Every job waiting for a key runs on this computer (then the words differ). */
  keyAllLocal: boolean;
  rateAllLocal: boolean;
  /** The soonest end of a rate-limit hold (epoch ms), or null. */
  rateUntil: number | null;
}

export interface QueueFlags {
  paused: boolean;
  stopAfterRunning: boolean;
  /** Set while jobs cannot reach where they run and are being retried. */
  offline: OfflineState | null;
}

export interface QueueSnapshot extends QueueFlags {
  jobs: Job[];
  aggregate: AggregateProgress;
}

/**
 * A slice of the queue for a window that shows only some rows: `jobs` are the ones at
 * `offset` onwards, `total` how many there are; the flags and the aggregate are the whole
 * queue's. The renderer never needs every job at once (10,000 of them are megabytes).
 */
export interface QueueWindow extends QueueFlags {
  total: number;
  offset: number;
  jobs: Job[];
  aggregate: AggregateProgress;
}

/** Pushed from main to the renderer, throttled. */
export type QueuePatch =
  | { type: 'upsert'; job: Job }
  | { type: 'progress'; id: string; stage: JobStage; progress: JobProgress; rev?: number }
  | { type: 'remove'; ids: string[] }
  | { type: 'order'; ids: string[] }
  | ({ type: 'queue' } & QueueFlags)
  | { type: 'aggregate'; aggregate: AggregateProgress };

export interface AddJobsRequest {
  paths: string[];
  presetId: string;
  outputDir?: string | null;
  nameTemplate?: string;
  collision?: CollisionPolicy;
  mirrorTree?: boolean;
  /**
   * Convert again files that are already queued, or were converted before with the same preset
   * and output settings (their outputs still there). Without it they are listed in `alreadyDone`
   * / refused as already queued, and nothing is done twice.
   */
  again?: boolean;
  /**
   * A file the preset cannot take runs with its kind's default preset (true, the window's and
   * watch folders' way, shown on the row), or is refused with the reason (false: the CLI, where
   * the person named the preset and a line would only say "converted"). Default true.
   */
  kindDefault?: boolean;
}

export interface AddJobsResult {
  added: string[];
  rejected: { path: string; reason: string }[];
  /** Files converted before with the same settings, whose outputs are still there: not added. */
  alreadyDone: { path: string; jobId: string; outputPaths: string[] }[];
}

export type MoveDirection = 'up' | 'down' | 'top' | 'bottom';

/**
 * A job's stage and kind without the rest: what the window needs to tell which selection
 * actions apply to jobs whose rows are not on screen (the replica holds only those).
 */
export interface JobBrief {
  id: string;
  stage: JobStage;
  resumeStage: JobStage | null;
  mediaKind: MediaKind | null;
  /** Failed because the source file is gone: "Locate…", not "Retry". */
  sourceGone: boolean;
}

/** The most jobs one action on the selection names (the IPC contract's bound). */
export const MAX_SELECTED_IDS = 10_000;

/** What an action on selected jobs did: the jobs it was done to, and why not to the others. */
export interface BulkResult {
  done: string[];
  skipped: { id: string; reason: string }[];
}

/** A change to queued jobs' own settings (never the defaults): any of the three. */
export interface JobChange {
  presetId?: string;
  /** null: next to each source file. */
  outputDir?: string | null;
  nameTemplate?: string;
}

/** The queue's controls: what the IPC router and the CLI call in main. */
export interface QueueControls {
  add(request: AddJobsRequest): Promise<AddJobsResult>;
  pauseAll(): void;
  resumeAll(): void;
  stopAfterRunning(): void;
  cancel(id: string): Promise<void>;
  retry(id: string): void;
  retryAllFailed(): void;
  /** Tries every job waiting on a failure that may heal (the network) again now. */
  retryNow(): void;
  remove(ids: string[]): Promise<void>;
  move(id: string, direction: MoveDirection): void;
  clearFinished(): void;
  applyPreset(ids: string[], presetId: string): void;
  /** Points a job whose source was moved at the file's new place, and runs it again. */
  locateSource(id: string, path: string): Promise<LocateSourceResult>;
  snapshot(): QueueSnapshot;
  subscribe(listener: (patches: QueuePatch[]) => void): () => void;
}
