/**
 * The queue on disk, crash-safe and cheap for ten thousand jobs:
 *  - `queue.json`: a snapshot of the whole queue (order, flags, every job), replaced
 *    atomically (temp file, fsync, rename). Each distinct preset is stored once. Written when
 *    the queue's structure changes (add, remove, move, flags) and to compact the journal.
 *  - `queue.journal`: one JSON line per job change (a stage, a file id, a command id), appended
 *    and fdatasynced, many changes per write when they come together. A job's progress through
 *    its stages therefore costs a few hundred bytes per step, not a rewrite of every job.
 * Every line has a sequence number and the snapshot records the last one it includes, so a
 * crash between writing a snapshot and emptying the journal replays nothing twice; a line cut
 * short by a crash is ignored (its change had not been acknowledged).
 */
import { copyFile, mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from '../../../shared/jobs';
import type { Preset } from '../../../shared/presetTypes';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
import { readJson } from '../files/atomicJson';
import { createLogger, type Logger } from '../../../shared/redact';
import {
  QUEUE_FILE_VERSION,
  journalLineSchema,
  queueFileSchema,
  storedJobSchema,
} from './queueFileSchema';

const SNAPSHOT = 'queue.json';
const JOURNAL = 'queue.journal';

export interface PersistedQueue {
  jobs: Job[];
  paused: boolean;
  stopAfterRunning: boolean;
}

type StoredJob = Omit<Job, 'settings'> & {
  settings: Omit<Job['settings'], 'preset'> & { presetRef: number };
};

interface StoredQueue {
  version: number;
  /** The last journal sequence number this snapshot includes. */
  seq?: number;
  paused: boolean;
  stopAfterRunning: boolean;
  presets: Preset[];
  jobs: StoredJob[];
}

export function serializeQueue(state: PersistedQueue, seq = 0): string {
  const presetIndex = new Map<Preset, number>();
  const byText = new Map<string, number>();
  const presets: Preset[] = [];
  const refOf = (preset: Preset): number => {
    const known = presetIndex.get(preset);
    if (known !== undefined) return known;
    const text = JSON.stringify(preset);
    let ref = byText.get(text);
    if (ref === undefined) {
      ref = presets.length;
      presets.push(preset);
      byText.set(text, ref);
    }
    presetIndex.set(preset, ref);
    return ref;
  };
  const stored: StoredQueue = {
    version: QUEUE_FILE_VERSION,
    seq,
    paused: state.paused,
    stopAfterRunning: state.stopAfterRunning,
    presets,
    jobs: state.jobs.map((job) => {
      const { preset, ...settings } = job.settings;
      return { ...job, settings: { ...settings, presetRef: refOf(preset) } };
    }),
  };
  return JSON.stringify(stored);
}

/** The queue in a snapshot file, migrated to this version; damaged jobs are counted, not kept. */
export function deserializeQueue(
  value: unknown,
): PersistedQueue & { seq: number; damaged: number } {
  const parsed = queueFileSchema.safeParse(value);
  if (!parsed.success) throw new Error('queue.json is not a queue file this version can read');
  const stored = parsed.data;
  const presets = stored.presets as unknown as Preset[];
  const jobs: Job[] = [];
  let damaged = 0;
  for (const raw of stored.jobs) {
    const job = storedJobSchema.safeParse(raw);
    const preset = job.success ? presets[job.data.settings.presetRef] : undefined;
    if (!job.success || !preset) {
      damaged++;
      continue;
    }
    const { presetRef: _ref, ...settings } = job.data.settings;
    // Version 1 had no retry: a back-off never outlives its session anyway.
    jobs.push({ ...job.data, retry: null, settings: { ...settings, preset } } as unknown as Job);
  }
  return {
    jobs,
    paused: stored.paused === true,
    stopAfterRunning: stored.stopAfterRunning === true,
    seq: stored.seq ?? 0,
    damaged,
  };
}

/** Journal lines after the snapshot, in order; stops at the first line that does not parse. */
function parseJournal(text: string, afterSeq: number): { seq: number; job: Job }[] {
  const entries: { seq: number; job: Job }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: ReturnType<typeof journalLineSchema.safeParse>;
    try {
      entry = journalLineSchema.safeParse(JSON.parse(line));
    } catch {
      break; // cut short by a crash: this and anything after was never acknowledged
    }
    if (!entry.success) break;
    if (entry.data.seq > afterSeq)
      entries.push({ seq: entry.data.seq, job: entry.data.job as unknown as Job });
  }
  return entries;
}

export interface LoadedQueue extends PersistedQueue {
  seq: number;
  journalLines: number;
}

const EMPTY: LoadedQueue = {
  jobs: [],
  paused: false,
  stopAfterRunning: false,
  seq: 0,
  journalLines: 0,
};

/**
 * The saved queue (snapshot + journal replayed); empty when there is none. A file that cannot
 * be read is never lost: it is moved aside (queue.json.unreadable-<time>, with its journal) for
 * a person to look at, and the queue starts empty; a file with damaged jobs is copied aside
 * and its good jobs load.
 */
export async function loadQueue(
  dataDir: string,
  logger: Logger = createLogger('queue', () => undefined),
): Promise<LoadedQueue> {
  await mkdir(dataDir, { recursive: true });
  const snapshot = join(dataDir, SNAPSHOT);
  const journal = join(dataDir, JOURNAL);
  let state: ReturnType<typeof deserializeQueue>;
  try {
    const value = await readJson(snapshot);
    if (value === undefined) return { ...EMPTY };
    state = deserializeQueue(value);
  } catch (error) {
    const aside = `${snapshot}.unreadable-${Date.now()}`;
    await rename(snapshot, aside).catch(() => undefined);
    await rename(journal, `${aside}.journal`).catch(() => undefined);
    logger.error('queue file unreadable, kept as', aside, error);
    return { ...EMPTY };
  }
  if (state.damaged > 0) {
    const aside = `${snapshot}.damaged-${Date.now()}`;
    await copyFile(snapshot, aside).catch(() => undefined);
    logger.error(
      `${state.damaged} damaged job(s) in the queue file left out; the file is kept as`,
      aside,
    );
  }
  const text = await readFile(journal, 'utf8').catch(() => '');
  const entries = parseJournal(text, state.seq);
  const index = new Map(state.jobs.map((job, i) => [job.id, i]));
  let seq = state.seq;
  for (const { seq: lineSeq, job } of entries) {
    seq = Math.max(seq, lineSeq);
    const i = index.get(job.id);
    // Jobs enter and leave the queue with a snapshot; a line for an unknown job is stale.
    if (i !== undefined) state.jobs[i] = job;
  }
  return {
    jobs: state.jobs,
    paused: state.paused,
    stopAfterRunning: state.stopAfterRunning,
    seq,
    journalLines: entries.length,
  };
}

export interface QueuePersistence {
  /** Writes the whole queue (structure changed). Resolves once it is on disk. */
  saveAll(): Promise<void>;
  /** Records one job as it is now. Resolves once the line is on disk. */
  saveJob(job: Job): Promise<void>;
  /** Waits for every write asked for so far. */
  flush(): Promise<void>;
  /** Waits for every write asked for so far and closes the journal (a later write opens it again). */
  close(): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export function openQueuePersistence(
  dataDir: string,
  state: () => PersistedQueue,
  loaded: { seq: number; journalLines: number } = { seq: 0, journalLines: 0 },
  options: { compactAfterLines?: number } = {},
): QueuePersistence {
  const snapshotPath = join(dataDir, SNAPSHOT);
  const journalPath = join(dataDir, JOURNAL);
  let seq = loaded.seq;
  let journalLines = loaded.journalLines;
  let lines: string[] = [];
  let lineWaiters: Waiter[] = [];
  let snapshotWanted = false;
  let snapshotWaiters: Waiter[] = [];
  let loop: Promise<void> | null = null;

  const compactAt = (): number => options.compactAfterLines ?? Math.max(1000, state().jobs.length);

  const settle = (waiters: Waiter[], error?: unknown): void => {
    for (const w of waiters) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
  };

  /**
   * The journal stays open between writes: a job's step is then a write and an fdatasync, not
   * also an open and a close (each call a hand-off to libuv's pool and back, several a job).
   * Opened for appending, so every write lands at the end, also after the snapshot emptied it.
   */
  let journal: FileHandle | null = null;
  const journalHandle = async (): Promise<FileHandle> =>
    (journal ??= await open(journalPath, 'a', 0o600));
  /** After a failed write: the next one opens the file afresh (it may have been replaced). */
  const dropJournal = async (): Promise<void> => {
    const handle = journal;
    journal = null;
    await handle?.close().catch(() => undefined);
  };

  const writeSnapshot = async (): Promise<void> => {
    // Serialized now, synchronously: it holds every change whose line was numbered so far.
    const text = serializeQueue(state(), seq);
    await writeFileAtomic(snapshotPath, text);
    try {
      const handle = await journalHandle();
      await handle.truncate(0);
      await handle.sync();
    } catch (error) {
      await dropJournal();
      throw error;
    }
    journalLines = 0;
  };

  const append = async (text: string): Promise<void> => {
    try {
      const handle = await journalHandle();
      await handle.writeFile(text);
      await handle.datasync();
    } catch (error) {
      await dropJournal();
      throw error;
    }
  };

  const run = async (): Promise<void> => {
    while (snapshotWanted || lines.length > 0) {
      if (snapshotWanted || journalLines + lines.length > compactAt()) {
        // The snapshot covers the pending lines too: they were serialized from the same state.
        const waiters = [...snapshotWaiters, ...lineWaiters];
        snapshotWanted = false;
        snapshotWaiters = [];
        lines = [];
        lineWaiters = [];
        try {
          await writeSnapshot();
          settle(waiters);
        } catch (error) {
          settle(waiters, error);
        }
      } else {
        const batch = lines.join('');
        const count = lines.length;
        const waiters = lineWaiters;
        lines = [];
        lineWaiters = [];
        try {
          await append(batch);
          journalLines += count;
          settle(waiters);
        } catch (error) {
          settle(waiters, error);
        }
      }
    }
  };

  const kick = (): void => {
    if (loop) return;
    loop = run().finally(() => {
      loop = null;
      if (snapshotWanted || lines.length > 0) kick();
    });
  };

  return {
    saveAll() {
      return new Promise<void>((resolve, reject) => {
        snapshotWanted = true;
        snapshotWaiters.push({ resolve, reject });
        kick();
      });
    },
    saveJob(job) {
      seq += 1;
      const line = `${JSON.stringify({ seq, job })}\n`;
      return new Promise<void>((resolve, reject) => {
        lines.push(line);
        lineWaiters.push({ resolve, reject });
        kick();
      });
    },
    async flush() {
      while (loop) await loop;
    },
    async close() {
      while (loop) await loop;
      await dropJournal();
    },
  };
}
