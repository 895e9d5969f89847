/**
 * One scan of a watched folder: the files in it and its sub-folders, with size and mtime,
 * leaving out what must never be queued: anything inside the output folder, hidden files
 * and folders, and files still being written by a tool that names them so (`.part`,
 * `.crdownload`, `.tmp`, `~$...`). What the folder's state is when it cannot be read is said
 * in plain words: a folder gone is `missing` (it may come back), one refused is `unreadable`.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { errnoCode } from '../../../shared/node/errnoCode';
import type { WatchState } from '../../../shared/watchTypes';
import type { FileSample } from './stability';

const PARTIAL = /(\.part|\.crdownload|\.download|\.tmp|\.partial|~)$/i;
/** Deep enough for any real tree; a symlink loop cannot make a scan run forever. */
const MAX_DEPTH = 16;

export type ScanResult =
  | { ok: true; files: Map<string, FileSample> }
  | { ok: false; state: Extract<WatchState, 'missing' | 'unreadable'>; problem: string };

/** Whether `path` is `folder` or inside it. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function skipName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || PARTIAL.test(name);
}

/** Why a folder cannot be watched now, as the window says it. */
export function describeFolderFailure(
  folder: string,
  error: unknown,
): Exclude<ScanResult, { ok: true }> {
  const code = errnoCode(error);
  if (code === 'EACCES' || code === 'EPERM')
    return {
      ok: false,
      state: 'unreadable',
      problem: `This app is not allowed to read ${folder}. Give it permission, or choose another folder.`,
    };
  if (code === 'ENOTDIR')
    return { ok: false, state: 'unreadable', problem: `${folder} is a file, not a folder.` };
  // Gone, or a network share or drive that dropped: watching resumes when it is back.
  return {
    ok: false,
    state: 'missing',
    problem:
      code === 'ENOENT'
        ? `${folder} is not there any more (moved, deleted, or its drive or network share is disconnected). Watching resumes when it is back.`
        : `${folder} cannot be reached now (its drive or network share stopped answering). Watching resumes when it is back.`,
  };
}

export async function scanFolder(folder: string, outputDir: string): Promise<ScanResult> {
  const files = new Map<string, FileSample>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (skipName(entry.name)) continue;
      const path = join(dir, entry.name);
      if (isInside(path, outputDir)) continue;
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(path, depth + 1).catch(() => undefined);
        continue;
      }
      if (!entry.isFile()) continue;
      // A file removed between the listing and the stat is simply not there this time.
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) files.set(path, { size: info.size, mtimeMs: info.mtimeMs });
    }
  };
  try {
    const top = await stat(folder);
    if (!top.isDirectory()) return describeFolderFailure(folder, { code: 'ENOTDIR' });
    await walk(folder, 0);
    return { ok: true, files };
  } catch (error) {
    return describeFolderFailure(folder, error);
  }
}
