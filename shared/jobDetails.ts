/** What a job's Details dialog shows: plain data main gathers from its own record. */
import type { JobStage } from './jobs';

export interface StageTime {
  stage: JobStage;
  /** Milliseconds spent in the stage (summed over attempts). */
  ms: number;
}

export interface JobDetails {
  id: string;
  sourceName: string;
  sourcePath: string;
  sourceSize: number;
  stage: JobStage;
  presetName: string;
  /** "this computer" or the RenderIO account's name. */
  runsOn: string;
  /** The job runs on this computer: no stage of it waits on a server (absent from older cores). */
  local?: boolean;
  /** Why the job failed, whole (the row shows it on one line); absent from older cores. */
  error?: string | null;
  /** What to check in a result that converted (shortResult.ts), whole; absent from older cores. */
  warning?: string | null;
  outputPaths: string[];
  outputBytes: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** In the order a job goes through them. */
  stages: StageTime[];
  /** The FFmpeg command the job runs (one line per step), as sent. */
  command: string;
  /** Who wrote `log`: ffmpeg's own words, the server's record of the command, or nothing yet. */
  logSource: 'ffmpeg' | 'server' | null;
  log: string;
}

/** The order stage times are listed in. */
export const STAGE_ORDER: readonly JobStage[] = [
  'queued',
  'uploading',
  'stored',
  'submitted',
  'processing',
  'downloading',
  'paused',
  'waiting-for-key',
  'rate-limited',
];
