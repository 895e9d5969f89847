/**
 * The last step of a download, made safe against a crash: the move of a finished `.part` to its
 * final name is announced (through `beforeCommit`, which the queue records durably) before it
 * happens. After a restart, the announcement tells what became of it: the move never happened
 * (the complete `.part` is still there: move it now), it happened (the final file is the
 * `.part` under its new name: adopt it), or neither can be shown (download again). So a process
 * killed between the move and the queue saving its result never downloads the file twice.
 */
import { lstat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  fsyncDir,
  placeFinished,
  type BeforeClaim,
  type CollisionPolicy,
  type ProtectedSet,
} from './collision';

/** A finished .part about to be moved to its final name (recorded before the move). */
export interface CommitIntent {
  /** The final path chosen under the collision policy. */
  path: string;
  /** Size of the finished .part. */
  bytes: number;
  /** `dev:ino` of the .part (a rename or link keeps it), when the file system has one. */
  identity?: string;
}

/** Awaited before the move; nothing is moved if it throws (the .part stays, complete). */
export type BeforeCommit = (intent: CommitIntent) => Promise<void>;

interface FileFacts {
  size: number;
  identity: string | undefined;
}

/** Size and identity of a regular file, or undefined when there is none at `path`. */
export async function fileFacts(path: string): Promise<FileFacts | undefined> {
  const s = await lstat(path, { bigint: true }).catch(() => undefined);
  if (s === undefined || !s.isFile()) return undefined;
  return { size: Number(s.size), identity: s.ino === 0n ? undefined : `${s.dev}:${s.ino}` };
}

/** The same file the intent describes: same size, and same identity when both are known. */
function sameAsRecorded(facts: FileFacts, intent: CommitIntent): boolean {
  if (facts.size !== intent.bytes) return false;
  if (intent.identity === undefined || facts.identity === undefined) return true;
  return facts.identity === intent.identity;
}

export interface PlacedResult {
  path: string;
  bytes: number;
  skipped: boolean;
  /** 'finished': the .part was moved now; 'adopted': it had been moved before the crash. */
  recovered: 'finished' | 'adopted';
}

/**
 * Settles a move recorded by an earlier run. Returns null when nothing of it can be found (the
 * caller downloads again; a `.part` that is left is then the caller's to resume or replace).
 */
export async function settleRecordedCommit(
  part: string,
  target: string,
  intent: CommitIntent,
  policy: CollisionPolicy,
  protectedSet: ProtectedSet,
  beforeClaim?: BeforeClaim,
): Promise<PlacedResult | null> {
  const partFacts = await fileFacts(part);
  const finalFacts = await fileFacts(intent.path);
  const adopted: PlacedResult = {
    path: intent.path,
    bytes: intent.bytes,
    skipped: false,
    recovered: 'adopted',
  };
  const adopt = async (): Promise<PlacedResult | null> =>
    (await protectedSet.has(intent.path)) ? null : adopted;

  if (
    partFacts !== undefined &&
    finalFacts !== undefined &&
    partFacts.identity !== undefined &&
    partFacts.identity === finalFacts.identity
  ) {
    // 'rename' claims a name with link() then removes the .part: the crash came in between.
    if (await protectedSet.has(intent.path)) return null;
    await unlink(part);
    await fsyncDir(dirname(part));
    return adopted;
  }
  if (
    finalFacts !== undefined &&
    finalFacts.identity !== undefined &&
    intent.identity !== undefined &&
    sameAsRecorded(finalFacts, intent)
  ) {
    // The final file is the .part itself, moved: whatever sits at the .part name now is not ours.
    return adopt();
  }
  if (partFacts !== undefined && sameAsRecorded(partFacts, intent)) {
    // Not moved yet. The policy decides again: the recorded name may have been taken meanwhile.
    const placed = await placeFinished(part, target, policy, protectedSet, beforeClaim);
    return {
      path: placed.path,
      bytes: placed.skipped ? 0 : intent.bytes,
      skipped: placed.skipped,
      recovered: 'finished',
    };
  }
  if (partFacts === undefined && finalFacts !== undefined && sameAsRecorded(finalFacts, intent)) {
    // No identity to compare (some file systems): the .part is gone and a file of its size is
    // where it was going. The intent is only recorded once the .part is complete, so with
    // 'overwrite' an older file of that name is taken for ours only if the .part vanished.
    return adopt();
  }
  return null;
}
