/**
 * Crash-safe file replacement, shared by the engine and the app core: write a temp file beside
 * the target (created exclusively, mode 0600 by default), fsync it, rename it over the target,
 * then fsync the folder so the rename itself is durable. A reader, or a restart after SIGKILL,
 * sees the old content or the new, never half of one.
 *
 * shared/node/ holds the Node-only code more than one side uses; it is not part of the
 * renderer's build (tsconfig.web.json leaves it out).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Mode of the file (default 0o600: state files may name user paths). */
  mode?: number;
  /** Mode of folders created on the way (default 0o700). */
  dirMode?: number;
}

export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  { mode = 0o600, dirMode = 0o700 }: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // The folder is made only when it is missing: a state file is rewritten several times a job,
  // and each call into the file system is a hand-off to libuv's pool and back.
  const handle = await open(temp, 'wx', mode).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true, mode: dirMode });
    return open(temp, 'wx', mode);
  });
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dir);
}

async function syncFolder(dir: string): Promise<void> {
  try {
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // Some platforms (Windows) cannot open a folder for fsync; the rename is still atomic.
  }
}
