/**
 * State files with a format version (the key store, the profiles, the settings): read one,
 * migrate it from an older version, and keep aside, never lose, a file this build cannot use
 * (not JSON, not the expected shape, or written by a newer version), with a log line saying
 * where it went, as the queue does with queue.json. Writing stays with each file's owner
 * (atomic, mode 0600).
 */
import { constants, copyFile, readFile, rename, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from '../../../shared/redact';
import { errnoCode } from '../../../shared/node/errnoCode';

export interface FileFormat<T> {
  /** What the file is, for log lines ("the key store"). */
  label: string;
  /** The version this build writes. */
  current: number;
  /** The version of a file that has no `version` field (one written before versions existed). */
  unversioned?: number;
  /**
   * The content of a file of `version` (at most `current`) in the current shape, or null
   * when it is not a readable file of that version. `dropped` names parts that were left out
   * (short phrases, never values).
   */
  parse(version: number, raw: Record<string, unknown>): { data: T; dropped: string[] } | null;
}

export type LoadedFile<T> =
  | { state: 'missing' }
  | { state: 'loaded'; data: T; version: number; migrated: boolean }
  | { state: 'set-aside'; aside: string; reason: 'unreadable' | 'newer' };

/** Reads a versioned JSON file; see the module comment for what happens to one it cannot use. */
export async function loadVersionedJson<T>(
  path: string,
  format: FileFormat<T>,
  log: Logger,
): Promise<LoadedFile<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return setAside(path, format, 'unreadable', 'it is not JSON', log);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return setAside(path, format, 'unreadable', 'it holds no JSON object', log);
  const fields = raw as Record<string, unknown>;
  const version = fields.version === undefined ? format.unversioned : fields.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0)
    return setAside(path, format, 'unreadable', 'it has no usable format version', log);
  if (version > format.current)
    return setAside(
      path,
      format,
      'newer',
      `it was written by a newer RenderIO Desktop (format ${version}; this one reads up to ${format.current})`,
      log,
    );
  const parsed = format.parse(version, fields);
  if (parsed === null)
    return setAside(path, format, 'unreadable', `it is not a format ${version} file`, log);
  if (parsed.dropped.length > 0) {
    // The readable rest is used; the file as it was is copied first, since the next save
    // would drop what could not be read.
    const copy = await unusedName(`${path}.partly-unreadable-${Date.now()}`);
    await copyFile(path, copy, constants.COPYFILE_EXCL);
    log.warn(
      `${format.label} (${basename(path)}): left out what could not be read (${parsed.dropped.join('; ')}); the file as it was is kept as ${basename(copy)}`,
    );
  }
  return { state: 'loaded', data: parsed.data, version, migrated: version < format.current };
}

async function setAside<T>(
  path: string,
  format: FileFormat<T>,
  reason: 'unreadable' | 'newer',
  why: string,
  log: Logger,
): Promise<LoadedFile<T>> {
  const aside = await keepFileAside(path, format.label, reason, why, log);
  return { state: 'set-aside', aside, reason };
}

/**
 * Moves a file this build cannot use out of the way (`name.unreadable-<time>` or
 * `name.newer-<time>`), with a log line saying where it went; for files that are not one JSON
 * object (the history's JSON lines) as for those that are. Throws when it cannot be moved.
 */
export async function keepFileAside(
  path: string,
  label: string,
  reason: 'unreadable' | 'newer',
  why: string,
  log: Logger,
): Promise<string> {
  let aside: string;
  try {
    aside = await unusedName(`${path}.${reason}-${Date.now()}`);
    await rename(path, aside);
  } catch (error) {
    // Left in place it would be overwritten by the next save: refuse to start instead.
    throw new Error(
      `${label} (${basename(path)}) cannot be used because ${why}, and it could not be moved aside (${errnoCode(error) ?? 'error'})`,
      { cause: error },
    );
  }
  log.error(
    `${label} (${basename(path)}) cannot be used because ${why}; it was kept as ${basename(aside)} and a fresh one is used`,
  );
  return aside;
}

/** `base`, or `base-2`, `base-3`... : a file kept aside never replaces another one. */
export async function unusedName(base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    try {
      await stat(candidate);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return candidate;
      throw error;
    }
  }
}
