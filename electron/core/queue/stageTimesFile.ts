/**
 * Where the learned stage times live between launches: `<dataDir>/stage-times.json`, a small
 * versioned file replaced atomically at most every `STAGE_TIMES_WRITE_DELAY_MS` while jobs
 * finish (the newest snapshot wins; quitting writes what waits). Without it, every launch weighed its first jobs' bars by the
 * first guesses again, and on this computer those are far off (processing is most of the time).
 * A missing file is a first launch; an unreadable or malformed one is set aside with a warning
 * and the guesses stand: a bar's weights are never worth refusing to start over.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
import { delayedWrites } from '../../../shared/node/delayedWrites';
import { LEGS, MAX_LOG_SCALE, type Place, type StageTimesSnapshot } from './stageTimes';

export const STAGE_TIMES_FILE = 'stage-times.json';
const VERSION = 1;
/**
 * How long a finished job's times wait for the next ones before they are written: a batch of
 * short clips finishes a job every half second, and each write is eight calls into the file
 * system. A crash loses at most these seconds of learning, which the next jobs relearn.
 */
export const STAGE_TIMES_WRITE_DELAY_MS = 2000;
const PLACES: readonly Place[] = ['local', 'cloud'];

/** The snapshot in `text`, or why it cannot be used. */
export function parseStageTimes(
  text: string,
): { ok: true; snapshot: StageTimesSnapshot } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'it is not JSON' };
  }
  const o = raw as { version?: unknown; logScale?: unknown; measured?: unknown } | null;
  if (typeof o !== 'object' || o === null) return { ok: false, reason: 'it is not an object' };
  if (o.version !== VERSION) return { ok: false, reason: `unknown version ${String(o.version)}` };
  const snapshot: StageTimesSnapshot = {
    logScale: {
      local: { upload: 0, wait: 0, process: 0, download: 0 },
      cloud: { upload: 0, wait: 0, process: 0, download: 0 },
    },
    measured: { local: 0, cloud: 0 },
  };
  for (const place of PLACES) {
    const count = (o.measured as Record<string, unknown> | undefined)?.[place];
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
      return { ok: false, reason: `measured.${place} is not a count` };
    snapshot.measured[place] = count;
    for (const leg of LEGS) {
      const value = (
        o.logScale as Record<string, Record<string, unknown> | undefined> | undefined
      )?.[place]?.[leg];
      if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_LOG_SCALE)
        return { ok: false, reason: `logScale.${place}.${leg} is out of range` };
      snapshot.logScale[place][leg] = value;
    }
  }
  return { ok: true, snapshot };
}

export interface StageTimesStore {
  /** What the last launch kept, or null (first launch, or a file set aside). */
  kept: StageTimesSnapshot | null;
  /** Keeps a snapshot (written within the delay; the newest of a burst wins). */
  keep(snapshot: StageTimesSnapshot): void;
  /** Writes the newest snapshot now; resolves once it is on disk. */
  flush(): Promise<void>;
}

export async function openStageTimes(
  dataDir: string,
  warn: (message: string) => void,
): Promise<StageTimesStore> {
  const path = join(dataDir, STAGE_TIMES_FILE);
  let kept: StageTimesSnapshot | null = null;
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT')
      warn(`stage times not read (${error.code ?? 'error'}): guesses used`);
    return null;
  });
  if (text !== null) {
    const parsed = parseStageTimes(text);
    if (parsed.ok) kept = parsed.snapshot;
    else warn(`${STAGE_TIMES_FILE} set aside: ${parsed.reason}; the first guesses stand`);
  }

  let newest: StageTimesSnapshot | null = null;
  const writes = delayedWrites(async () => {
    if (!newest) return;
    await writeFileAtomic(path, JSON.stringify({ version: VERSION, ...newest })).catch(
      (error: NodeJS.ErrnoException) =>
        warn(`stage times not saved (${error.code ?? 'error'}); they are kept in memory`),
    );
  }, STAGE_TIMES_WRITE_DELAY_MS);
  return {
    kept,
    keep(snapshot) {
      newest = snapshot;
      writes.changed();
    },
    flush: () => writes.flush(),
  };
}
