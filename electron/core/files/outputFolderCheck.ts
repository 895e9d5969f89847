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

const AFTER = 'Choose another output folder, then Retry.';

/** What stops `dir` from taking a job's outputs, in words, or null when nothing does. */
export async function outputFolderProblem(dir: string): Promise<string | null> {
  let existing = resolve(dir);
  for (;;) {
    const info = await stat(existing).catch((error: unknown) => errnoCode(error) ?? 'EIO');
    if (typeof info !== 'string') {
      if (!info.isDirectory())
        return `The output folder ${dir} cannot be made: ${existing} is a file, not a folder. ${AFTER}`;
      break;
    }
    // ENOTDIR: a file on the way up, which the walk finds and names.
    if (info !== 'ENOENT' && info !== 'ENOTDIR')
      return `The output folder ${dir} cannot be used: ${fileProblemWords(info)}. ${AFTER}`;
    const parent = dirname(existing);
    // Nothing of the path exists, not even its root (a drive that was unplugged).
    if (parent === existing) return `The output folder ${dir} is not there. ${AFTER}`;
    existing = parent;
  }
  try {
    await access(existing, constants.W_OK);
    return null;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EROFS') return `The output folder ${dir} is on a read-only disk. ${AFTER}`;
    return `The output folder ${dir} cannot be written: ${fileProblemWords(code)}. ${AFTER}`;
  }
}
