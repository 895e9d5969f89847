/**
 * Crash-safe JSON files: write a temp file beside the target, fsync it, rename over the target,
 * fsync the folder. A reader (or a restart after SIGKILL) sees the old file or the new one,
 * never half of one.
 */
import { open, rename, readFile, rm, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // The rename is durable only once the folder entry is: best effort (Windows cannot open folders).
  try {
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    /* not supported here */
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value));
}

/** The parsed file, or undefined when it does not exist. A corrupt file throws: callers decide. */
export async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}

/**
 * Serialises writes of one file: `save()` resolves once a state at least as new as the one at
 * call time is on disk. Many calls while a write runs collapse into one more write.
 */
export function createCoalescingWriter(
  path: string,
  serialize: () => string,
): { save(): Promise<void>; flush(): Promise<void> } {
  let running: Promise<void> | null = null;
  let pending: Promise<void> | null = null;
  const writeOnce = (): Promise<void> => writeFileAtomic(path, serialize());
  const save = (): Promise<void> => {
    if (!running) {
      running = writeOnce().finally(() => {
        running = null;
      });
      return running;
    }
    if (!pending) {
      const after = running;
      pending = after
        .catch(() => undefined)
        .then(() => {
          pending = null;
          return save();
        });
    }
    return pending;
  };
  return {
    save,
    flush: async () => {
      while (running || pending) await (pending ?? running);
    },
  };
}
