/**
 * What a phase of a job (phases/*.ts) may do, and nothing more: save the job, move its stage,
 * report progress, mark a checkpoint, check that it has not been stopped, wait. The scheduler
 * makes one per run of a phase; the phases never see the queue's maps or timers.
 */
import type { Job, JobStage } from '../../../shared/jobs';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import type { Logger } from '../../../shared/redact';
import type { AppSettings } from '../settings/appSettings';
import type { Checkpoint, QueueClient } from './ports';
import type { PollPolicy } from './pollPolicy';
import type { RemoteCleanup } from './remoteCleanup';

export interface JobContext {
  readonly job: Job;
  readonly client: QueueClient;
  /** Aborted when the job is paused, cancelled, held or the queue closes. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly pollPolicy: PollPolicy;
  readonly cleanup: RemoteCleanup;
  now(): number;
  settings(): AppSettings;
  /** Appends the job to the journal (awaited: what a restart relies on is on disk first). */
  save(): Promise<void>;
  /** Saves without waiting (a failure is logged). */
  saveSoon(): void;
  /**
   * Saves with the job's next line, or within a second: for a step a restart would redo
   * without sending anything twice (its stage only).
   */
  saveLater(): void;
  setStage(stage: JobStage): void;
  reportBytes(done: number, total: number | null): void;
  reportFraction(fraction: number | null): void;
  checkpoint(name: Checkpoint): Promise<void>;
  /** Throws the stop reason once the job was stopped. */
  guard(): void;
  sleep(ms: number): Promise<void>;
  /** Storage links obtained in this session (a restart reads them again: they may expire). */
  readonly freshUrls: { has(): boolean; mark(): void };
  countPoll(): void;
  /** Why this preset cannot run on this file, or null (presetChecks.ts). */
  presetRefusal(preset: Preset, kind: MediaKind | null): string | null;
  /** Why the place this job's profile runs jobs cannot run the preset now (no ffmpeg there, ...). */
  refusalHere(preset: Preset): string | null;
  /** Whether a local file has sound (null: cannot tell). */
  hasAudio?(path: string): Promise<boolean | null>;
  /**
   * The names in `dir` the queue's jobs hold there (lower case → as written): the sources, and
   * the other jobs' outputs chosen or written (phases/outputNames.ts). A job's output takes
   * none of them, whatever the collision policy ("overwrite" is for files from before, never
   * another job's result or a source).
   */
  namesHeld(dir: string): Map<string, string>;
}
