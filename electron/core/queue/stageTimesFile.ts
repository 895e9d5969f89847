/**
 * Where the learned stage times live between launches: `<dataDir>/stage-times.json`, a small
 * versioned file replaced atomically after each finished job (one write in flight at a time;
 * the newest snapshot wins). Without it, every launch weighed its first jobs' bars by the
 * first guesses again, and on this computer those are far off (processing is most of the time).
 * A missing file is a first launch; an unreadable or malformed one is set aside with a warning
 * and the guesses stand: a bar's weights are never worth refusing to start over.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
import { LEGS, MAX_LOG_SCALE, type Place, type StageTimesSnapshot } from './stageTimes';

export const STAGE_TIMES_FILE = 'stage-times.json';
const VERSION = 1;
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
  /** Keeps a snapshot (written soon; the newest of a burst wins). */
  keep(snapshot: StageTimesSnapshot): void;
  /** Resolves once the newest snapshot is on disk. */
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

  let pending: StageTimesSnapshot | null = null;
  let writing: Promise<void> | null = null;
  const writeLoop = async (): Promise<void> => {
    try {
      while (pending) {
        const next = pending;
        pending = null;
        await writeFileAtomic(path, JSON.stringify({ version: VERSION, ...next })).catch(
          (error: NodeJS.ErrnoException) =>
            warn(`stage times not saved (${error.code ?? 'error'}); they are kept in memory`),
        );
      }
    } finally {
      writing = null;
    }
  };
  return {
    kept,
    keep(snapshot) {
      pending = snapshot;
      writing ??= writeLoop();
    },
    async flush() {
      while (writing) await writing;
    },
  };
}
