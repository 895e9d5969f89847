/**
 * Whether a job's output folder can take its results, asked before the job's work starts: a
 * folder on a read-only disk (a camera card, a share mounted read-only) or one this user may
 * not write to was found only when the finished file was written, after the whole upload and
 * encode (a film's hours), as "Writing the download failed: the disk is read-only".
 *
 * A folder that does not exist yet is made when the first output is written, so its nearest
 * existing parent is what must be writable. `access(W_OK)` answers EROFS for a read-only
 * mount and EACCES for permissions on Linux and macOS; on Windows it sees only the read-only
 * attribute, so it never refuses a folder that can be written (a write still fails with the
 * words below).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileProblemWords } from '../../../shared/fileProblemWords';
import { errnoCode } from '../../../shared/node/errnoCode';

/**
 * Why a folder cannot take files, found without making anything: the folder itself (`missing`
 * false) or, when it does not exist yet, its nearest existing parent (`missing` true, `at`).
 * - `file`: `at` is a file, not a folder;
 * - `write`: files cannot be made in `at` (`code` from access: EROFS, EACCES, ...);
 * - `look`: the path cannot be looked at (`code` from stat);
 * - `gone`: nothing of the path exists, not even its root (a drive that was unplugged).
 * The window's words are below; the CLI words its --out and --data-dir checks from the same.
 */
export type FolderRefusal =
  | { kind: 'file' | 'write'; at: string; missing: boolean; code?: string }
  | { kind: 'look'; code: string }
  | { kind: 'gone' };

export async function folderRefusal(dir: string): Promise<FolderRefusal | null> {
  const folder = resolve(dir);
  let at = folder;
  for (;;) {
    const info = await stat(at).catch((error: unknown) => errnoCode(error) ?? 'EIO');
    if (typeof info !== 'string') {
      if (!info.isDirectory()) return { kind: 'file', at, missing: at !== folder };
      break;
    }
    // ENOTDIR: a file on the way up, which the walk finds and names.
    if (info !== 'ENOENT' && info !== 'ENOTDIR') return { kind: 'look', code: info };
    const parent = dirname(at);
    if (parent === at) return { kind: 'gone' };
    at = parent;
  }
  // Making a file in a folder takes write and search (x) on it.
  return access(at, constants.W_OK | constants.X_OK).then(
    () => null,
    (error: unknown) => ({
      kind: 'write' as const,
      at,
      missing: at !== folder,
      code: errnoCode(error) ?? 'EACCES',
    }),
  );
}

const AFTER = 'Choose another output folder, then Retry.';

/** What stops `dir` from taking a job's outputs, in words, or null when nothing does. */
export async function outputFolderProblem(dir: string): Promise<string | null> {
  const refusal = await folderRefusal(dir);
  if (refusal === null) return null;
  const said = ((): string => {
    switch (refusal.kind) {
      case 'file':
        return `cannot be made: ${refusal.at} is a file, not a folder`;
      case 'look':
        return `cannot be used: ${fileProblemWords(refusal.code)}`;
      case 'gone':
        return 'is not there';
      case 'write':
        return refusal.code === 'EROFS'
          ? 'is on a read-only disk'
          : `cannot be written: ${fileProblemWords(refusal.code)}`;
    }
  })();
  return `The output folder ${dir} ${said}. ${AFTER}`;
}
