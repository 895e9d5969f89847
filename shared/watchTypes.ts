/** Watch folders as the window and the CLI see them (electron/core/watch keeps them). */

export type WatchState =
  /** Scanning the folder at each interval. */
  | 'watching'
  /** Stopped by the person; nothing is queued until it is resumed. */
  | 'paused'
  /** The folder is gone (moved, deleted, a drive or share disconnected); it resumes when back. */
  | 'missing'
  /** The folder is there but this app may not read it. */
  | 'unreadable';

export interface WatchFolderStatus {
  id: string;
  /** The folder watched (absolute). */
  folder: string;
  presetId: string;
  /** Where the outputs go (absolute); never the watched folder itself. */
  outputDir: string;
  state: WatchState;
  /** What is wrong, in plain words, when state is missing or unreadable; null otherwise. */
  problem: string | null;
  /** Files this watch has queued so far. */
  queuedCount: number;
  /** Files seen but not yet stable (still being written). */
  waitingCount: number;
}

export interface AddWatchRequest {
  folder: string;
  presetId: string;
  outputDir: string;
}
