/**
 * The history of finished jobs: append-only, bounded, searchable. One entry is recorded each
 * time a job finishes (done, failed, cancelled), whatever becomes of the job afterwards
 * ("Clear finished", Remove, a restart). Held in memory sorted by finish time (10,000 entries
 * are a few MB) and kept in history.jsonl (historyFile.ts). The newest `maxEntries` are kept;
 * once a tenth more have been appended, the file is rewritten with the newest only, so it never
 * grows without end and is not rewritten on every finish.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { HistoryEntry, HistoryPage, HistoryQuery, HistoryRow } from '../../../shared/history';
import { HISTORY_PAGE_MAX } from '../../../shared/history';
import { createLogger, type Logger } from '../../../shared/redact';
import {
  appendHistoryLines,
  entryLine,
  HISTORY_FILE,
  loadHistoryFile,
  writeHistoryFile,
} from './historyFile';

export const DEFAULT_HISTORY_MAX = 10_000;

export interface HistoryStore {
  /** Records a finish; the same finish (job id and time) recorded twice is kept once. */
  record(entry: HistoryEntry): void;
  /** Whether this finish of this job is recorded. */
  has(jobId: string, finishedAt: number): boolean;
  /**
   * There was no history file when it was opened (the first start with one): the queue's
   * finished jobs may be recorded from what it kept. Not after "Clear history", which leaves
   * an empty file, so cleared entries do not come back.
   */
  readonly fresh: boolean;
  /** Matching entries, newest first, one page of them. */
  search(query: HistoryQuery): { entries: HistoryEntry[]; matching: number; total: number };
  /** A page for the window: as search, plus which outputs are still on disk. */
  page(query: HistoryQuery): Promise<HistoryPage>;
  get(id: string): HistoryEntry | undefined;
  size(): number;
  /** Forgets one entry (the files it names stay). */
  remove(id: string): Promise<boolean>;
  /** Forgets every entry (the files stay). */
  clear(): Promise<void>;
  /** Resolves once everything recorded so far is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface HistoryOptions {
  dataDir: string;
  /** How many entries are kept (default 10,000); older ones are pruned. */
  maxEntries?: number;
  logger?: Logger;
}

const keyOf = (jobId: string, finishedAt: number): string => `${jobId}@${finishedAt}`;

/** What a search looks in: the names and the preset, in lower case (made once per entry). */
const haystacks = new WeakMap<HistoryEntry, string>();
function haystackOf(entry: HistoryEntry): string {
  let hay = haystacks.get(entry);
  if (hay === undefined) {
    hay = [
      entry.sourceName,
      entry.presetName,
      entry.presetId,
      ...entry.outputPaths.map((p) => basename(p)),
    ]
      .join('\n')
      .toLowerCase();
    haystacks.set(entry, hay);
  }
  return hay;
}

/** Whether an entry matches a search's words: all of them, in its names or its preset. */
function matcher(text: string | undefined): (entry: HistoryEntry) => boolean {
  const words = (text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return () => true;
  return (entry) => {
    const hay = haystackOf(entry);
    return words.every((w) => hay.includes(w));
  };
}

export async function openHistory(options: HistoryOptions): Promise<HistoryStore> {
  const path = join(options.dataDir, HISTORY_FILE);
  const max = Math.max(1, options.maxEntries ?? DEFAULT_HISTORY_MAX);
  const slack = Math.max(1, Math.ceil(max / 10));
  const log = options.logger ?? createLogger('history', () => undefined);

  const loaded = await loadHistoryFile(path, log);
  // Sorted by finish time, oldest first; a stable sort keeps the file's order for equal times.
  const entries = loaded.entries.sort((a, b) => a.finishedAt - b.finishedAt);
  const keys = new Set(entries.map((e) => keyOf(e.jobId, e.finishedAt)));
  let exists = loaded.exists;
  let pending: string[] = [];
  let rewriteWanted = loaded.rewrite || entries.length > max;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const prune = (): void => {
    if (entries.length <= max) return;
    for (const gone of entries.splice(0, entries.length - max))
      keys.delete(keyOf(gone.jobId, gone.finishedAt));
  };

  /** One write at a time: whatever is due then (a rewrite, or the lines appended since). */
  const write = async (): Promise<void> => {
    if (rewriteWanted || !exists) {
      rewriteWanted = false;
      pending = [];
      prune();
      await writeHistoryFile(path, entries);
      exists = true;
      return;
    }
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    await appendHistoryLines(path, lines);
  };
  const schedule = (): Promise<void> => {
    const next = chain.then(write).catch((error: unknown) => {
      // Kept in memory: the next write tries again, whole.
      rewriteWanted = true;
      log.error('saving the history failed', error);
    });
    chain = next;
    return next;
  };
  if (rewriteWanted) void schedule();

  const insert = (entry: HistoryEntry): void => {
    // Almost always the newest: found from the end.
    let at = entries.length;
    while (at > 0 && (entries[at - 1]?.finishedAt ?? 0) > entry.finishedAt) at--;
    entries.splice(at, 0, entry);
  };

  const search: HistoryStore['search'] = (query) => {
    const matches = matcher(query.text);
    const limit = Math.min(Math.max(0, query.limit), HISTORY_PAGE_MAX);
    const offset = Math.max(0, query.offset);
    const out: HistoryEntry[] = [];
    let matching = 0;
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      if (!entry) continue;
      if (query.status && entry.status !== query.status) continue;
      if (!matches(entry)) continue;
      if (matching >= offset && out.length < limit) out.push(structuredClone(entry));
      matching++;
    }
    return { entries: out, matching, total: entries.length };
  };

  return {
    record(entry) {
      if (closed) return;
      const key = keyOf(entry.jobId, entry.finishedAt);
      if (keys.has(key)) return;
      keys.add(key);
      insert(structuredClone(entry));
      if (entries.length >= max + slack) rewriteWanted = true;
      else pending.push(entryLine(entry));
      void schedule();
    },
    has: (jobId, finishedAt) => keys.has(keyOf(jobId, finishedAt)),
    fresh: !loaded.exists,
    search,
    async page(query) {
      const found = search(query);
      const rows: HistoryRow[] = await Promise.all(
        found.entries.map(async (entry) => ({
          ...entry,
          outputsExist: await Promise.all(
            entry.outputPaths.map((p) =>
              stat(p).then(
                (s) => s.isFile(),
                () => false,
              ),
            ),
          ),
        })),
      );
      return {
        entries: rows,
        offset: Math.max(0, query.offset),
        matching: found.matching,
        total: found.total,
      };
    },
    get(id) {
      const entry = entries.find((e) => e.id === id);
      return entry ? structuredClone(entry) : undefined;
    },
    size: () => entries.length,
    async remove(id) {
      const at = entries.findIndex((e) => e.id === id);
      if (at < 0) return false;
      const [gone] = entries.splice(at, 1);
      if (gone) keys.delete(keyOf(gone.jobId, gone.finishedAt));
      rewriteWanted = true;
      await schedule();
      return true;
    },
    async clear() {
      entries.length = 0;
      keys.clear();
      rewriteWanted = true;
      await schedule();
    },
    flush: async () => {
      // Writes scheduled while waiting are waited for too.
      let seen: Promise<void> | null = null;
      while (seen !== chain) {
        seen = chain;
        await chain;
      }
    },
    async close() {
      closed = true;
      let seen: Promise<void> | null = null;
      while (seen !== chain) {
        seen = chain;
        await chain;
      }
    },
  };
}
