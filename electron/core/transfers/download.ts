/**
 * Downloads a (storage) URL to a file: streamed to `<name>.part` with byte progress and resumed
 * after a broken connection (transfers/fetchIntoPart.ts, the HTTP half; partWriter.ts writes
 * the body), checked, fsynced, then moved to its final name under the collision policy
 * (announced first through beforeCommit, so a crash around the move can be settled:
 * transfers/commit.ts). Two downloads to the same .part take turns.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  ProtectedSet,
  checkFileName,
  exists,
  placeFinished,
  type BeforeClaim,
  type CollisionPolicy,
} from './collision';
import { fileFacts, settleRecordedCommit, type BeforeCommit, type CommitIntent } from './commit';
import { errnoCode } from '../../../shared/node/errnoCode';
import { fileProblemWords } from '../../../shared/fileProblemWords';
import { LocalFileError } from './errors';
import { fetchIntoPart, type PartFetch } from './fetchIntoPart';

export type { CollisionPolicy } from './collision';
export type { BeforeCommit, CommitIntent } from './commit';
export type { OpenPart } from './partWriter';

/** The URL, the transport, progress, resume and retries (fetchIntoPart.ts), and where it goes. */
export interface DownloadOptions extends PartFetch {
  /** The output folder (created if missing). */
  dir: string;
  /** A plain file name (no folders). */
  fileName: string;
  /** Default 'rename': `name (1).ext`. */
  collision?: CollisionPolicy;
  /** Files never to be written over, e.g. the job's source. */
  protectedPaths?: readonly string[];
  /** Paths other jobs hold (ProtectedSet.of's `heldPaths`): never taken, not stat'ed. */
  heldPaths?: readonly string[];
  /**
   * Awaited once the .part is complete and fsynced and its final path is chosen, before it is
   * moved there (again for the next name if that one is taken meanwhile). Throwing stops the
   * download with the complete .part left in place and no final file.
   */
  beforeCommit?: BeforeCommit;
  /**
   * The last intent an earlier run gave beforeCommit, when it may not have been followed by a
   * saved result: the move is finished (complete .part) or adopted (already moved) without a
   * request; when neither can be shown, the file is downloaded as usual.
   */
  recordedCommit?: CommitIntent;
}

export interface DownloadResult {
  /** Where the file is now (or the existing file, when skipped). */
  path: string;
  /** Size of the downloaded file (0 when skipped). */
  bytes: number;
  skipped: boolean;
  /** How many times the transfer continued from a partial file. */
  resumes: number;
  /** Set when a recordedCommit was settled without downloading: see settleRecordedCommit. */
  recovered?: 'finished' | 'adopted';
}

/** Downloads in progress, per .part path: two jobs with the same output name take turns. */
const partLocks = new Map<string, Promise<unknown>>();

export function partPathFor(dir: string, fileName: string): string {
  return join(resolve(dir), `${fileName}.part`);
}

export async function downloadToFile(o: DownloadOptions): Promise<DownloadResult> {
  checkFileName(o.fileName);
  const dir = resolve(o.dir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new LocalFileError(
      'io',
      `Cannot create the output folder ${dir}: ${fileProblemWords(errnoCode(error))}`,
      {
        code: errnoCode(error),
        cause: error,
      },
    );
  }
  const target = join(dir, o.fileName);
  const part = partPathFor(dir, o.fileName);
  const collision = o.collision ?? 'rename';
  const protectedSet = await ProtectedSet.of(o.protectedPaths, o.heldPaths);
  // With a recorded commit the target may be this very file, moved before a crash: settle first.
  if (o.recordedCommit === undefined && collision === 'skip' && (await exists(target))) {
    return { path: target, bytes: 0, skipped: true, resumes: 0 };
  }
  if (await protectedSet.has(part)) {
    throw new LocalFileError('invalid-name', `${o.fileName}.part would replace a source file`);
  }
  const previous = partLocks.get(part) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async (): Promise<DownloadResult> => {
      if (o.recordedCommit !== undefined) {
        const settled = await settleRecordedCommit(
          part,
          target,
          o.recordedCommit,
          collision,
          protectedSet,
          announcer(o, part),
        );
        if (settled !== null) return { ...settled, resumes: 0 };
        if (collision === 'skip' && (await exists(target)))
          return { path: target, bytes: 0, skipped: true, resumes: 0 };
      }
      return transfer(o, part, target, collision, protectedSet);
    });
  partLocks.set(part, run);
  try {
    return await run;
  } finally {
    if (partLocks.get(part) === run) partLocks.delete(part);
  }
}

/** Fills the .part, then moves it to its final name under the collision policy. */
async function transfer(
  o: DownloadOptions,
  part: string,
  target: string,
  collision: CollisionPolicy,
  protectedSet: ProtectedSet,
): Promise<DownloadResult> {
  const { bytes, resumes } = await fetchIntoPart(o, part);
  const placed = await placeFinished(part, target, collision, protectedSet, announcer(o, part));
  return {
    path: placed.path,
    bytes: placed.skipped ? 0 : bytes,
    skipped: placed.skipped,
    resumes,
  };
}

/** Calls beforeCommit (if any) with the final path and the finished .part's size and identity. */
function announcer(o: DownloadOptions, part: string): BeforeClaim | undefined {
  const beforeCommit = o.beforeCommit;
  if (beforeCommit === undefined) return undefined;
  let facts: Awaited<ReturnType<typeof fileFacts>>;
  return async (path) => {
    facts ??= await fileFacts(part);
    if (facts === undefined)
      throw new LocalFileError('io', `The finished download ${o.fileName}.part has disappeared`);
    await beforeCommit({
      path,
      bytes: facts.size,
      ...(facts.identity === undefined ? {} : { identity: facts.identity }),
    });
  };
}
