/**
 * Crash-safe JSON files over shared/node/atomicWrite.ts (temp file, fsync, rename, fsync of
 * the folder): a reader, or a restart after SIGKILL, sees the old file or the new one.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
import { delayedWrites } from '../../../shared/node/delayedWrites';
import { errnoCode } from '../../../shared/node/errnoCode';

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value));
}

/** The parsed file, or undefined when it does not exist. A corrupt file throws: callers decide. */
export async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}

/**
 * Serialises writes of one file: `save()` resolves once a state at least as new as the one at
 * call time is on disk, and rejects when the write that put it there failed. Many calls while
 * a write runs collapse into one more write (shared/node/delayedWrites.ts, with no delay), and
 * a state the file already holds (the last one this writer wrote, or `onDisk`: what was read
 * at start) is not written again: a list that gained an entry and lost it before the write
 * costs nothing.
 */
export function createCoalescingWriter(
  path: string,
  serialize: () => string,
  onDisk?: string,
): { save(): Promise<void>; flush(): Promise<void> } {
  let written = onDisk;
  /** The newest write's failure: it held every change made before it started. */
  let failure: unknown = null;
  const writes = delayedWrites(async () => {
    const text = serialize();
    failure = null;
    if (text === written) return;
    try {
      await writeFileAtomic(path, text);
      written = text;
    } catch (error) {
      failure = error;
    }
  }, 0);
  return {
    async save() {
      writes.changed();
      await writes.flush();
      if (failure !== null) throw failure;
    },
    flush: () => writes.flush(),
  };
}
