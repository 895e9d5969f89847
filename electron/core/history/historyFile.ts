/**
 * history.jsonl on disk: a header line naming the format and its version, then one JSON line
 * per finished job, appended as jobs finish. Appending a line never rewrites what is there, so
 * a crash can at worst leave the last line half written: that torn line is dropped (and cut
 * off) when the file is read. Rewrites (pruning, "Clear history", removing an entry) go
 * through the atomic write (temp file, fsync, rename). A file written by a newer build, or one
 * whose header cannot be read, is kept aside as the other state files are
 * (files/versionedJsonFile.ts); single unreadable lines are left out and the file as it was is
 * copied beside it first.
 */
import { constants, copyFile, open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { HistoryEntry } from '../../../shared/history';
import type { Logger } from '../../../shared/redact';
import { errnoCode } from '../../../shared/node/errnoCode';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
import { keepFileAside, unusedName } from '../files/versionedJsonFile';

export const HISTORY_FILE = 'history.jsonl';
export const HISTORY_FORMAT = 'renderio-history';
/** The version this build writes. */
export const HISTORY_VERSION = 1;
const LABEL = 'The history';

/**
 * Whether a parsed line is a whole entry. Checked by hand rather than with a zod schema:
 * 10,000 lines are read at every start, and this is several times faster.
 */
function isEntry(raw: unknown): raw is HistoryEntry {
  if (typeof raw !== 'object' || raw === null) return false;
  const e = raw as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string';
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const numOrNull = (v: unknown) => v === null || num(v);
  const ranOn = e.ranOn as Record<string, unknown> | null | undefined;
  return (
    str(e.id) &&
    e.id.length > 0 &&
    str(e.jobId) &&
    e.jobId.length > 0 &&
    (e.status === 'done' || e.status === 'failed' || e.status === 'cancelled') &&
    str(e.sourcePath) &&
    str(e.sourceName) &&
    num(e.sourceSize) &&
    str(e.presetId) &&
    str(e.presetName) &&
    typeof ranOn === 'object' &&
    ranOn !== null &&
    typeof ranOn.local === 'boolean' &&
    str(ranOn.profileId) &&
    str(ranOn.label) &&
    Array.isArray(e.outputPaths) &&
    e.outputPaths.every(str) &&
    numOrNull(e.outputBytes) &&
    numOrNull(e.startedAt) &&
    num(e.finishedAt) &&
    numOrNull(e.tookMs) &&
    (e.reason === null || str(e.reason))
  );
}

export function headerLine(): string {
  return JSON.stringify({ format: HISTORY_FORMAT, version: HISTORY_VERSION });
}

export function entryLine(entry: HistoryEntry): string {
  return JSON.stringify(entry);
}

/** The whole file for these entries (a rewrite). */
export function serializeHistory(entries: readonly HistoryEntry[]): string {
  return [headerLine(), ...entries.map(entryLine)].join('\n') + '\n';
}

export interface LoadedHistory {
  entries: HistoryEntry[];
  /** Whether the file exists (with a usable header) after loading; if not, the next write creates it. */
  exists: boolean;
  /** The file should be written whole (lines were left out, or it was just set aside). */
  rewrite: boolean;
}

export async function loadHistoryFile(path: string, log: Logger): Promise<LoadedHistory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { entries: [], exists: false, rewrite: false };
    throw error;
  }
  // The last line is complete only if a newline follows it: anything after the last newline
  // is a write a crash cut short.
  const end = text.lastIndexOf('\n');
  const complete = end < 0 ? '' : text.slice(0, end);
  if (end < text.length - 1) {
    const torn = Buffer.byteLength(text.slice(end + 1), 'utf8');
    await cutTo(path, Buffer.byteLength(text, 'utf8') - torn);
    log.warn(
      `${LABEL} (${basename(path)}): its last line was cut short (${torn} bytes, a write interrupted), so it was left out`,
    );
  }
  const lines = complete.length > 0 ? complete.split('\n') : [];
  const first = lines.shift();
  if (first === undefined) {
    // Only a torn header: nothing was ever recorded.
    return { entries: [], exists: false, rewrite: true };
  }
  let header: unknown;
  try {
    header = JSON.parse(first);
  } catch {
    header = null;
  }
  const h = header as { format?: unknown; version?: unknown } | null;
  if (!h || typeof h !== 'object' || h.format !== HISTORY_FORMAT || typeof h.version !== 'number') {
    await keepFileAside(path, LABEL, 'unreadable', 'it is not a history file', log);
    return { entries: [], exists: false, rewrite: false };
  }
  if (h.version > HISTORY_VERSION) {
    await keepFileAside(
      path,
      LABEL,
      'newer',
      `it was written by a newer RenderIO Desktop (format ${h.version}; this one reads up to ${HISTORY_VERSION})`,
      log,
    );
    return { entries: [], exists: false, rewrite: false };
  }
  const entries: HistoryEntry[] = [];
  let dropped = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      dropped++;
      continue;
    }
    if (isEntry(raw)) entries.push(raw);
    else dropped++;
  }
  if (dropped > 0) {
    const copy = await unusedName(`${path}.partly-unreadable-${Date.now()}`);
    await copyFile(path, copy, constants.COPYFILE_EXCL);
    log.warn(
      `${LABEL} (${basename(path)}): left out ${dropped} line(s) that could not be read; the file as it was is kept as ${basename(copy)}`,
    );
  }
  return { entries, exists: true, rewrite: dropped > 0 };
}

async function cutTo(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Appends whole lines and syncs them; each ends with a newline, so a later append starts clean. */
export async function appendHistoryLines(path: string, lines: readonly string[]): Promise<void> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(lines.map((l) => `${l}\n`).join(''));
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export function writeHistoryFile(path: string, entries: readonly HistoryEntry[]): Promise<void> {
  return writeFileAtomic(path, serializeHistory(entries));
}
