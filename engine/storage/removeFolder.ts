/**
 * Removes a folder whose contents the engine knows: the known files are unlinked by name and
 * the folders removed, one call into the file system each, where a recursive removal walks
 * every entry (a stat, an open, two reads of the listing and a close per folder, each a
 * hand-off to libuv's pool and back). Anything unexpected there (a file ffmpeg wrote beside
 * its output, an output that failed its check, a file already gone) makes a step fail, and
 * the recursive removal takes whatever is left. Never throws: a folder that cannot be removed
 * is left behind, as a recursive `rm` with `force` would leave it.
 *
 * `files` and `folders` are relative to `dir`; folders are removed in the order given (the
 * deepest first), then `dir` itself.
 */
import { rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export async function removeFolder(
  dir: string,
  files: readonly string[],
  folders: readonly string[] = [],
): Promise<void> {
  try {
    for (const file of files) await unlink(join(dir, file));
    for (const folder of folders) await rmdir(join(dir, folder));
    await rmdir(dir);
  } catch {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
