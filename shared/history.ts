/**
 * The history of finished jobs (done, failed, cancelled), as main keeps it
 * (electron/core/history) and the window's History view shows it: one entry per finish,
 * written when the job finished, so it outlives "Clear finished" and restarts. No key and no
 * remote URL is ever part of an entry.
 */

export type HistoryStatus = 'done' | 'failed' | 'cancelled';
export const HISTORY_STATUSES: readonly HistoryStatus[] = ['done', 'failed', 'cancelled'];

export interface HistoryEntry {
  /** The entry's own id (a job retried and finished again has one entry per finish). */
  id: string;
  jobId: string;
  status: HistoryStatus;
  sourcePath: string;
  sourceName: string;
  sourceSize: number;
  presetId: string;
  presetName: string;
  /** Where it ran: this computer (the local engine) or a RenderIO profile. */
  ranOn: { local: boolean; profileId: string; label: string };
  /** The outputs saved (final local paths); none for a failed or cancelled job. */
  outputPaths: string[];
  /** Their total size in bytes, when known. */
  outputBytes: number | null;
  startedAt: number | null;
  finishedAt: number;
  /**
   * Wall time from the first start to the finish, or the sum of the stage times; null when
   * unknown, or when nothing ran (skipped before its upload: every output already there).
   */
  tookMs: number | null;
  /**
   * The failure in one line, fit to show (failed and cancelled jobs); for a done job that wrote
   * nothing, why ("clip-mp3.mp3 already exists", beside "Skipped", as its row said); for a done job whose
   * result is worth a look, its warning (Job.warning: much shorter than its source); else null.
   */
  reason: string | null;
}

/** An entry as the window receives it: which of its outputs are still on disk. */
export interface HistoryRow extends HistoryEntry {
  outputsExist: boolean[];
}

export interface HistoryQuery {
  /** Matched against the source's name, the outputs' names and the preset (any case). */
  text?: string;
  status?: HistoryStatus;
  offset: number;
  limit: number;
}

/** One page of the history, newest first. */
export interface HistoryPage {
  entries: HistoryRow[];
  offset: number;
  /** How many entries match the query. */
  matching: number;
  /** How many entries the history holds. */
  total: number;
}

/** The most entries one page may ask for: the window never receives the whole history. */
export const HISTORY_PAGE_MAX = 200;
