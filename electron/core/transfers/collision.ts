/**
 * Output naming at the end of a download: where the finished .part goes under the collision
 * policy, without ever replacing a protected file (a job's source).
 */
import { constants } from 'node:fs';
import { link, lstat, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { errnoCode } from '../../../shared/node/errnoCode';
import { fileProblemWords } from '../../../shared/fileProblemWords';
import { LocalFileError } from './errors';

export type CollisionPolicy = 'rename' | 'overwrite' | 'skip';

/** `name (n).ext`; the extension is the last one (`a.tar (1).gz`), a dot-file keeps its name. */
export function numberedName(fileName: string, n: number): string {
  const ext = extname(fileName);
  const stem = ext === '' || ext === fileName ? fileName : fileName.slice(0, -ext.length);
  return ext === fileName ? `${fileName} (${n})` : `${stem} (${n})${ext}`;
}

/** Refuses anything that is not a plain name inside the output folder. */
export function checkFileName(fileName: string): void {
  const bad =
    fileName.length === 0 ||
    fileName === '.' ||
    fileName === '..' ||
    fileName.includes('/') ||
    fileName.includes('\\') ||
    fileName.includes('\0') ||
    basename(fileName) !== fileName ||
    fileName.length > 255;
  if (bad)
    throw new LocalFileError(
      'invalid-name',
      `"${fileName.slice(0, 80)}" is not a usable output file name`,
    );
}

/** Files that must never be written over, by path and by identity (hard links, case-folding). */
export class ProtectedSet {
  private readonly paths = new Set<string>();
  private readonly ids = new Set<string>();
  /** Held by name only, in lower case (a case-insensitive disk maps both to one file). */
  private readonly held = new Set<string>();

  /**
   * `paths` are protected by path and by identity (a stat each: the job's source). `heldPaths`
   * by path alone, never stat'ed: the names the queue's other jobs hold in the folder, which may
   * be thousands (a stat each made every download of a 10,000-file folder stat them all).
   */
  static async of(
    paths: readonly string[] = [],
    heldPaths: readonly string[] = [],
  ): Promise<ProtectedSet> {
    const set = new ProtectedSet();
    for (const p of heldPaths) set.held.add(resolve(p).toLowerCase());
    for (const p of paths) {
      const abs = resolve(p);
      set.paths.add(abs);
      try {
        const s = await stat(abs);
        set.ids.add(`${s.dev}:${s.ino}`);
      } catch {
        // A protected file that does not exist cannot be overwritten by identity.
      }
    }
    return set;
  }

  async has(path: string): Promise<boolean> {
    const abs = resolve(path);
    if (this.paths.has(abs) || this.held.has(abs.toLowerCase())) return true;
    if (this.ids.size === 0) return false;
    try {
      const s = await stat(abs);
      return this.ids.has(`${s.dev}:${s.ino}`);
    } catch {
      return false;
    }
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Called with the final path just before the part is moved there (and again for the next
 * name if that one was taken meanwhile); awaited, and nothing is moved if it throws. The queue
 * records the path durably here, so a crash right after the move can be recognised.
 */
export type BeforeClaim = (path: string) => Promise<void>;

/**
 * Moves the finished part to its final name. 'rename' takes the first free `name (n).ext`
 * (claimed atomically with link(), so a file appearing meanwhile is never replaced);
 * 'overwrite' replaces an existing file unless it is protected (then it renames); 'skip'
 * keeps the existing file and drops the part.
 */
export async function placeFinished(
  part: string,
  target: string,
  policy: CollisionPolicy,
  protectedSet: ProtectedSet,
  beforeClaim?: BeforeClaim,
): Promise<{ path: string; skipped: boolean }> {
  const dir = dirname(target);
  const name = basename(target);
  if (policy === 'overwrite' && !(await protectedSet.has(target))) {
    await beforeClaim?.(target);
    await rename(part, target);
    await fsyncDir(dir);
    return { path: target, skipped: false };
  }
  for (let n = 0; n < 10_000; n++) {
    const candidate = n === 0 ? target : join(dir, numberedName(name, n));
    if (await protectedSet.has(candidate)) {
      if (policy === 'skip') break;
      continue;
    }
    // Names already taken are passed over without announcing them (claim() still decides).
    if (await exists(candidate)) {
      if (policy === 'skip') break;
      continue;
    }
    await beforeClaim?.(candidate);
    if (await claim(part, candidate)) {
      await fsyncDir(dir);
      return { path: candidate, skipped: false };
    }
    if (policy === 'skip') break;
  }
  if (policy === 'skip') {
    await rm(part, { force: true });
    return { path: target, skipped: true };
  }
  throw new LocalFileError('io', `No free name for ${name} in its output folder`);
}

/** true when `part` now lives at `candidate`; false when candidate is taken. */
async function claim(part: string, candidate: string): Promise<boolean> {
  try {
    await link(part, candidate);
    await unlink(part);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') return false;
    // File systems without hard links (FAT, some network shares): check, then rename.
    if (
      code === 'EPERM' ||
      code === 'ENOTSUP' ||
      code === 'EXDEV' ||
      code === 'ENOSYS' ||
      code === 'EMLINK'
    ) {
      if (await exists(candidate)) return false;
      await rename(part, candidate);
      return true;
    }
    throw new LocalFileError(
      'io',
      `Could not name the finished file ${basename(candidate)}: ${fileProblemWords(code)}`,
      { code, cause: error },
    );
  }
}

/** Makes a rename durable (POSIX); a no-op where directories cannot be opened. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
