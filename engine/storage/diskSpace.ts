/**
 * The disk that holds the engine's data folder: how much is free, and the answer when it is
 * full. Uploads, imported files and outputs all land there; on this computer that is the app's
 * own folder, often on a smaller system disk than the user's media. Without this, a full disk
 * answered `500 Internal server error` and the person never learned why a job failed.
 *
 * The answer is `507 Insufficient Storage` (RFC 4918 §11.5: "unable to store the
 * representation needed to complete the request"), with a `detail` in plain words.
 */
import { statfs } from 'node:fs/promises';
import { formatBytes } from '../../shared/byteSize';
import { errnoCode, isNoRoomCode } from '../../shared/node/errnoCode';
import { HttpError } from '../http/errors';

/** Bytes an unprivileged writer may still use on the disk holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const info = await statfs(dir);
  return info.bavail * info.bsize;
}

/** An error of a write that found no room (isNoRoomCode). */
export function isDiskFullError(error: unknown): boolean {
  return isNoRoomCode(errnoCode(error));
}

/** ffmpeg's words (strerror) when a write found no room: "Error writing trailer: No space left on device". */
export function saysDiskFull(text: string): boolean {
  return /No space left on device|Disk quota exceeded/i.test(text);
}

/**
 * What the person is told, the conclusion first (a job's row shows the start of it): which
 * disk, and, when known, how much was needed and is free.
 */
export function diskFullMessage(
  dataDir: string,
  need?: { bytes: number; freeBytes: number; keepFreeBytes: number },
): string {
  const disk = `the disk this converter keeps its files on (${dataDir})`;
  const said = need
    ? `Not enough disk space: this file needs ${formatBytes(need.bytes)}, and ${disk} has ${formatBytes(Math.max(0, need.freeBytes - need.keepFreeBytes))} free to use.`
    : `Disk full: ${disk} has no room left.`;
  return `${said} Free some space on it, then try again.`;
}

/** The answer to a request that found no room. */
export function diskFull(
  dataDir: string,
  need?: { bytes: number; freeBytes: number; keepFreeBytes: number },
): HttpError {
  return new HttpError(507, diskFullMessage(dataDir, need));
}

/**
 * Refuses an upload whose declared length would not fit, before a byte of it is written:
 * a 4 GB source on a disk with 1 GB free fails at once instead of after 1 GB. `keepFreeBytes`
 * stays free for the engine's own records (state.json is rewritten whole).
 */
export async function checkRoomFor(
  dataDir: string,
  bytes: number,
  keepFreeBytes: number,
): Promise<void> {
  const free = await freeBytes(dataDir);
  if (bytes + keepFreeBytes > free)
    throw diskFull(dataDir, { bytes, freeBytes: free, keepFreeBytes });
}

/** How often an upload of unknown length looks at the free space. */
const ROOM_CHECK_MS = 250;

/**
 * For an upload sent without a length (the app's uploads are chunked: docs/ELECTRON.md), the
 * check checkRoomFor cannot make up front: while it is written, the free space is looked at
 * every ROOM_CHECK_MS, and once less than `keepFreeBytes` is left `onOut` is told (it ends the
 * upload with the 507) instead of the disk being filled to its last byte, where other programs
 * on it fail too. Best effort: what arrives between two looks can still meet the kernel's
 * ENOSPC first, which answers the same 507. Returns the function that stops looking.
 *
 * A timer, not a second 'data' listener on the upload's stream: with one, a 6 MB upload to a
 * 4 MB disk was answered 200 with 3.4 MB stored (tests/integration/engine/diskFull.test.ts
 * caught it; the cause was not pinned down), and a timer leaves the stream's flow alone.
 */
export function whileRoomLasts(
  dataDir: string,
  keepFreeBytes: number,
  onOut: (refusal: HttpError) => void,
): () => void {
  // Nothing to keep free: no look could ever refuse (the kernel's ENOSPC still would).
  if (keepFreeBytes <= 0) return () => undefined;
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    freeBytes(dataDir).then(
      (free) => {
        checking = false;
        if (free < keepFreeBytes) {
          clearInterval(timer);
          onOut(diskFull(dataDir));
        }
      },
      // No answer from statfs: the writes themselves still meet ENOSPC if it comes to that.
      () => {
        checking = false;
      },
    );
  }, ROOM_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
