/**
 * Crash-safe JSON files over shared/node/atomicWrite.ts (temp file, fsync, rename, fsync of
 * the folder): a reader, or a restart after SIGKILL, sees the old file or the new one.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
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
 * call time is on disk. Many calls while a write runs collapse into one more write, and a
 * state the file already holds (the last one this writer wrote, or `onDisk`: what was read
 * at start) is not written again: a list that gained an entry and lost it before the write
 * costs nothing.
 */
export function createCoalescingWriter(
  path: string,
  serialize: () => string,
  onDisk?: string,
): { save(): Promise<void>; flush(): Promise<void> } {
  let running: Promise<void> | null = null;
  let pending: Promise<void> | null = null;
  let written = onDisk;
  const writeOnce = async (): Promise<void> => {
    const text = serialize();
    if (text === written) return;
    await writeFileAtomic(path, text);
    written = text;
  };
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
