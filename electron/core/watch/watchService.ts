/**
 * Watch folders: each names a folder, a preset and an output folder. Every `pollMs` the
 * service scans the folders that are not paused; a file is queued once it has stopped
 * growing (stability.ts), never twice (watchStore.ts keeps what was queued, across restarts),
 * never when the app wrote it (a job's output), never from inside the output folder
 * (folderScan.ts). A folder that disappears is reported as `missing` and watched again when
 * it is back. Scanning, not fs.watch: it works alike on network shares, which often send no
 * change events, and a missed event can never lose a file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, realpath } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { AddJobsRequest, AddJobsResult } from '../../../shared/jobs';
import { createLogger, type Logger } from '../../../shared/redact';
import type { AddWatchRequest, WatchFolderStatus } from '../../../shared/watchTypes';
import { describeFolderFailure, isInside, scanFolder } from './folderScan';
import { StabilityTracker, type FileSample } from './stability';
import { openWatchStore, type SavedWatch } from './watchStore';

export interface WatchQueue {
  add(request: AddJobsRequest): Promise<AddJobsResult>;
  /** Every output path the queue's jobs have written: the app's own files, never sources. */
  outputPaths(): Iterable<string>;
}

export interface WatchServiceOptions {
  dataDir: string;
  queue: WatchQueue;
  /** Whether a preset with this id exists (and can be used). */
  presetProblem(presetId: string): string | null;
  /** Scan interval (default 2 s). */
  pollMs?: number;
  /** How long a file must keep its size and time before it is queued (default 3 s). */
  stableMs?: number;
  now?: () => number;
  logger?: Logger;
}

export interface WatchService {
  list(): WatchFolderStatus[];
  /** Checks and saves a watch; throws an Error whose message says what is wrong. */
  add(request: AddWatchRequest): Promise<WatchFolderStatus>;
  remove(id: string): Promise<void>;
  setPaused(id: string, paused: boolean): Promise<WatchFolderStatus>;
  /** One scan of every active watch now (the timer does the same). */
  scanNow(): Promise<void>;
  subscribe(listener: (watches: WatchFolderStatus[]) => void): () => void;
  close(): Promise<void>;
}

export class WatchError extends Error {
  override name = 'WatchError';
}

interface Live {
  saved: SavedWatch;
  tracker: StabilityTracker;
  state: WatchFolderStatus['state'];
  problem: string | null;
  queuedCount: number;
}

async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

export async function createWatchService(options: WatchServiceOptions): Promise<WatchService> {
  const log = options.logger ?? createLogger('watch', () => undefined);
  const pollMs = options.pollMs ?? 2000;
  const stableMs = options.stableMs ?? 3000;
  const now = options.now ?? Date.now;
  const store = await openWatchStore(options.dataDir, log);
  const live = new Map<string, Live>();
  const listeners = new Set<(watches: WatchFolderStatus[]) => void>();
  const track = (saved: SavedWatch): Live => ({
    saved,
    tracker: new StabilityTracker(stableMs),
    state: saved.paused ? 'paused' : 'watching',
    problem: null,
    queuedCount: 0,
  });
  for (const saved of store.watches()) live.set(saved.id, track(saved));

  const statusOf = (w: Live): WatchFolderStatus => ({
    id: w.saved.id,
    folder: w.saved.folder,
    presetId: w.saved.presetId,
    outputDir: w.saved.outputDir,
    state: w.saved.paused ? 'paused' : w.state,
    problem: w.saved.paused ? null : w.problem,
    queuedCount: w.queuedCount,
    waitingCount: w.saved.paused ? 0 : w.tracker.size,
  });
  const list = (): WatchFolderStatus[] => [...live.values()].map(statusOf);
  const notify = (): void => {
    const all = list();
    for (const listener of listeners) listener(all);
  };
  const mustGet = (id: string): Live => {
    const w = live.get(id);
    if (!w) throw new WatchError('That watch folder no longer exists.');
    return w;
  };

  const scanOne = async (w: Live): Promise<boolean> => {
    const { folder, outputDir, presetId } = w.saved;
    const result = await scanFolder(folder, outputDir);
    if (!result.ok) {
      const changed = w.state !== result.state || w.problem !== result.problem;
      if (changed) log.warn(`watch ${w.saved.id}: ${result.problem}`);
      w.state = result.state;
      w.problem = result.problem;
      w.tracker.keepOnly(new Set());
      return changed;
    }
    let changed = w.state !== 'watching';
    w.state = 'watching';
    w.problem = null;
    const own = new Set(options.queue.outputPaths());
    const seen = new Set<string>();
    const ready: { path: string; sample: FileSample }[] = [];
    const t = now();
    for (const [path, sample] of result.files) {
      if (own.has(path) || store.wasQueued(path, sample)) continue;
      seen.add(path);
      if (w.tracker.observe(path, sample, t)) ready.push({ path, sample });
    }
    const waitingBefore = w.tracker.size;
    w.tracker.keepOnly(seen);
    if (ready.length === 0) return changed || waitingBefore !== w.tracker.size;
    const added = await options.queue.add({
      paths: ready.map((r) => r.path),
      presetId,
      outputDir,
      mirrorTree: false,
    });
    // Queued now, queued before (a restart between the add and the record), or refused (not a
    // media file this preset takes): each is handled once and not offered to the queue again.
    await store.markQueued(ready);
    for (const r of ready) w.tracker.forget(r.path);
    w.queuedCount += added.added.length;
    for (const r of added.rejected)
      if (r.reason !== 'already in the queue')
        log.info(`watch ${w.saved.id}: skipped ${r.path}: ${r.reason}`);
    changed = true;
    return changed;
  };

  let scanning: Promise<void> | null = null;
  const scanAll = async (): Promise<void> => {
    let changed = false;
    for (const w of [...live.values()]) {
      if (w.saved.paused || !live.has(w.saved.id)) continue;
      try {
        if (await scanOne(w)) changed = true;
      } catch (error) {
        // The queue refused the whole batch (its preset was deleted, say): said, retried next scan.
        const message = error instanceof Error ? error.message : String(error);
        if (w.problem !== message) changed = true;
        w.problem = message;
        log.warn(`watch ${w.saved.id}: ${message}`);
      }
    }
    if (changed) notify();
  };
  const scanNow = (): Promise<void> => {
    scanning ??= scanAll().finally(() => {
      scanning = null;
    });
    return scanning;
  };

  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    timer = setTimeout(() => {
      void scanNow().finally(() => {
        if (!closed) tick();
      });
    }, pollMs);
    timer.unref?.();
  };
  tick();

  return {
    list,
    async add(request) {
      if (!isAbsolute(request.folder) || !isAbsolute(request.outputDir))
        throw new WatchError('Choose the watched folder and the output folder from the disk.');
      const presetProblem = options.presetProblem(request.presetId);
      if (presetProblem) throw new WatchError(presetProblem);
      const folder = await canonical(request.folder);
      try {
        await readdir(folder);
      } catch (error) {
        throw new WatchError(describeFolderFailure(folder, error).problem);
      }
      const outputDir = await canonical(request.outputDir);
      if (outputDir === folder)
        throw new WatchError(
          'The output folder cannot be the watched folder itself: every output would look like a new file to convert. Choose another output folder.',
        );
      if (isInside(folder, outputDir))
        throw new WatchError(
          'The watched folder is inside the output folder; files there would be taken for outputs. Choose folders apart.',
        );
      for (const w of live.values())
        if (w.saved.folder === folder && w.saved.presetId === request.presetId)
          throw new WatchError(`${folder} is already watched with this preset.`);
      await mkdir(outputDir, { recursive: true }).catch((error: unknown) => {
        throw new WatchError(describeFolderFailure(outputDir, error).problem);
      });
      const saved: SavedWatch = {
        id: randomUUID(),
        folder,
        presetId: request.presetId,
        outputDir,
        paused: false,
      };
      await store.putWatch(saved);
      const w = track(saved);
      live.set(saved.id, w);
      notify();
      return statusOf(w);
    },
    async remove(id) {
      mustGet(id);
      live.delete(id);
      await store.removeWatch(id);
      notify();
    },
    async setPaused(id, paused) {
      const w = mustGet(id);
      w.saved = { ...w.saved, paused };
      if (paused) w.tracker.keepOnly(new Set());
      else w.state = 'watching';
      await store.putWatch(w.saved);
      notify();
      return statusOf(w);
    },
    scanNow,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await scanning;
      await store.flush();
    },
  };
}
