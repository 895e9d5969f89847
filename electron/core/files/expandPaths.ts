/**
 * Turns dropped or typed paths into the list of files to queue: stat each one, walk folders
 * recursively, keep the files a preset could take, drop duplicates, and say why anything was
 * refused. Nothing is read beyond directory entries and stats, so 10,000 files add quickly.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { MediaKind } from '../../../shared/presetTypes';
import { fileProblemWords } from '../../../shared/fileProblemWords';

export interface ExpandedFile {
  path: string;
  size: number;
  mediaKind: MediaKind;
  /** For files found inside a dropped folder: the folder's parent, so the tree can be mirrored. */
  mirrorRoot: string | null;
}

export interface Rejection {
  path: string;
  reason: string;
}

export interface ExpandOptions {
  /** The media kind of a file name (by extension), or null when no preset handles it. */
  kindOf: (fileName: string) => MediaKind | null;
  /** Real paths already queued: they are refused as duplicates. */
  alreadyQueued?: ReadonlySet<string>;
  /** Stops walking after this many files (the rest are refused with a reason). */
  maxFiles?: number;
  /**
   * Whether a file is a result this app wrote earlier (files/producedFiles.ts): found inside
   * a folder, it is skipped with that reason; picked by name, it is taken as asked.
   */
  isProduced?: (realPath: string, size: number) => boolean;
}

// Files that are ours or the OS's, never something a person meant to convert.
function isIgnorable(name: string): boolean {
  return (
    name.startsWith('.') || name.endsWith('.part') || name === 'Thumbs.db' || name === 'desktop.ini'
  );
}

export async function expandPaths(
  paths: readonly string[],
  options: ExpandOptions,
): Promise<{ files: ExpandedFile[]; rejected: Rejection[] }> {
  const files: ExpandedFile[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>(options.alreadyQueued ?? []);
  const maxFiles = options.maxFiles ?? 100_000;
  const visitedDirs = new Set<string>();

  const consider = async (
    path: string,
    size: number,
    mirrorRoot: string | null,
    explicit: boolean,
  ): Promise<void> => {
    const kind = options.kindOf(basename(path));
    if (!kind) {
      // Unsupported files inside a folder are skipped silently only when they are obviously
      // not media; everything else is reported, so nothing disappears without a reason.
      if (explicit || !isIgnorable(basename(path)))
        rejected.push({
          path,
          reason: `not a supported media file (${extname(path) || 'no extension'})`,
        });
      return;
    }
    if (size === 0) {
      rejected.push({ path, reason: 'the file is empty' });
      return;
    }
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      real = path;
    }
    if (seen.has(real)) {
      rejected.push({
        path,
        reason: options.alreadyQueued?.has(real) ? 'already in the queue' : 'added twice',
      });
      return;
    }
    if (!explicit && options.isProduced?.(real, size)) {
      rejected.push({ path, reason: 'a result this app made earlier, not a source' });
      return;
    }
    if (files.length >= maxFiles) {
      rejected.push({ path, reason: `more than ${maxFiles} files at once` });
      return;
    }
    seen.add(real);
    files.push({ path: real, size, mediaKind: kind, mirrorRoot });
  };

  const walk = async (dir: string, mirrorRoot: string): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      real = dir;
    }
    if (visitedDirs.has(real)) return; // a symlink loop, or the same folder dropped twice
    visitedDirs.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      rejected.push({
        path: dir,
        reason: `cannot read the folder: ${fileProblemWords((error as NodeJS.ErrnoException).code)}`,
      });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(child, mirrorRoot);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        let info;
        try {
          info = await stat(child);
        } catch {
          rejected.push({ path: child, reason: 'broken link' });
          continue;
        }
        if (info.isDirectory()) await walk(child, mirrorRoot);
        else if (info.isFile()) await consider(child, info.size, mirrorRoot, false);
      }
    }
  };

  for (const raw of paths) {
    if (typeof raw !== 'string' || raw.trim() === '') {
      rejected.push({ path: String(raw), reason: 'not a path' });
      continue;
    }
    const path = resolve(raw);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const isLink = await lstat(path).then(
        (l) => l.isSymbolicLink(),
        () => false,
      );
      rejected.push({
        path,
        reason: isLink
          ? 'broken link'
          : code === 'ENOENT'
            ? 'no such file or folder'
            : code === 'EACCES'
              ? 'permission denied'
              : `cannot read it: ${fileProblemWords(code)}`,
      });
      continue;
    }
    if (info.isDirectory()) await walk(path, dirname(path));
    else if (info.isFile()) await consider(path, info.size, null, true);
    else rejected.push({ path, reason: 'not a regular file' });
  }
  return { files, rejected };
}
