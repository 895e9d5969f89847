/**
 * The files this app wrote as results, recorded when a job finishes (path and size), so
 * "Add folder…" on a folder that holds earlier results does not queue them as sources. Kept
 * in produced-files.json beside the queue: it outlives "Clear finished" and restarts. Known
 * by what was written, never guessed from a name; a file replaced since (another size) is
 * a new file and is taken.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
import { delayedWrites } from '../../../shared/node/delayedWrites';

const FILE = 'produced-files.json';
/** The newest this many are kept: enough for years of use, small enough to read at start. */
const KEEP = 20_000;
/**
 * How long a result waits for the next ones before the list is written: the whole list is
 * rewritten each time, and a batch finishes a job every second or less. A crash loses at
 * most this last second's results, which "Add folder…" would then take as sources.
 */
export const PRODUCED_FILES_WRITE_DELAY_MS = 1000;

interface Entry {
  path: string;
  size: number;
}

export interface ProducedFiles {
  /** Records results just written (their sizes now). */
  record(files: readonly Entry[]): void;
  /** Whether this file, at this size, is one of our results. */
  isProduced(path: string, size: number): boolean;
  /** Writes what waits now; resolves once it is on disk. */
  flush(): Promise<void>;
}

function parse(text: string): Entry[] {
  const raw = JSON.parse(text) as { version?: unknown; files?: unknown };
  if (raw.version !== 1 || !Array.isArray(raw.files)) return [];
  return raw.files.filter(
    (e): e is Entry =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as Entry).path === 'string' &&
      typeof (e as Entry).size === 'number',
  );
}

export async function openProducedFiles(
  dataDir: string,
  warn: (message: string) => void = () => undefined,
): Promise<ProducedFiles> {
  const path = join(dataDir, FILE);
  const sizes = new Map<string, number>();
  try {
    for (const e of parse(await readFile(path, 'utf8'))) sizes.set(e.path, e.size);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      warn('the list of earlier results could not be read; it starts again');
  }
  const writes = delayedWrites(async () => {
    const files = [...sizes].slice(-KEEP).map(([p, size]) => ({ path: p, size }));
    await writeFileAtomic(path, JSON.stringify({ version: 1, files })).catch(() =>
      warn('the list of earlier results could not be saved'),
    );
  }, PRODUCED_FILES_WRITE_DELAY_MS);
  return {
    record(files) {
      let changed = false;
      for (const f of files) {
        if (sizes.get(f.path) === f.size) continue;
        // Re-inserted, so the newest stay when the list is trimmed.
        sizes.delete(f.path);
        sizes.set(f.path, f.size);
        changed = true;
      }
      if (changed) writes.changed();
    },
    isProduced: (p, size) => sizes.get(p) === size,
    flush: () => writes.flush(),
  };
}
