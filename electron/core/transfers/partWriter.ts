/**
 * Writing one answer's body into a download's `.part`: from the transport's pump when it offers
 * one (the plain-Node transport), else from the web body (the app's). What is on disk when this
 * fails is what a resume continues from; a failed write is the disk's (full, read-only, broken),
 * never a reason to retry, and removes the .part.
 */
import { close, constants, fdatasync, fsync, open, writeSync, writev } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { errnoCode, isNoRoomCode } from '../../../shared/node/errnoCode';
import { fileProblemWords } from '../../../shared/fileProblemWords';
import { takeBodyPump, type BodyPump } from '../client/bodyPump';
import { discard, type Deadline } from '../client/http';
import { LocalFileError } from './errors';

/** Opens the .part for writing and returns a file descriptor (a seam: tests inject failures). */
export type OpenPart = (path: string, flags: number) => Promise<number>;

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
export const TRUNCATE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_NOFOLLOW;
const APPEND = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | O_NOFOLLOW;

// Raw descriptors (not FileHandle): the download fsyncs and closes them itself.
const openFd = promisify(open);
const fsyncFd = promisify(fsync);
const fdatasyncFd = promisify(fdatasync);
const closeRaw = promisify(close);
const writevFd = (fd: number, buffers: Uint8Array[]): Promise<number> =>
  new Promise((resolvePromise, reject) =>
    writev(fd, buffers as NodeJS.ArrayBufferView[], (error, written) =>
      error ? reject(error) : resolvePromise(written),
    ),
  );

export const defaultOpenPart: OpenPart = (path, flags) => openFd(path, flags, 0o644);

/**
 * Chunks are gathered up to this size and written with one writev. Measured on Linux ext4
 * (docs/PERFORMANCE.md, "Client transfers"): 1–2 MiB writes cost the least system time per
 * byte; 4 MiB and larger ones about three times as much.
 */
const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Batches that may wait for the disk while the next is received: a write held up for a moment
 * (a busy thread pool or disk) does not stop the socket. Memory: about this many batches.
 */
const WRITES_QUEUED = 4;

/**
 * Every this many bytes written, an fdatasync starts in the background (never more than one
 * at a time, and writes do not wait for it), so the kernel writes the file back while the rest
 * arrives and the fsync before the rename only has the tail left: 1 GiB, 0.5 s → 0.02–0.1 s.
 */
const WRITEBACK_EVERY_BYTES = 64 * 1024 * 1024;

export interface PartWrite {
  part: string;
  /** Bytes already in the part before this body (0 when it starts the file). */
  start: number;
  /** Append to the part (a resume), or start it afresh. */
  append: boolean;
  openPart: OpenPart;
  /** Touched as bytes arrive (the attempt times out only after a while without any). */
  deadline: Deadline;
  onProgress: (received: number) => void;
}

/**
 * Writes the answer's body to the part; returns the part's size after. The data is fsynced
 * before this returns. On a network failure, everything received so far is on disk (synced).
 */
export async function writeBody(response: Response, w: PartWrite): Promise<number> {
  let fd: number;
  try {
    fd = await openLocal(w.openPart, w.part, w.append ? APPEND : TRUNCATE, w.part);
  } catch (error) {
    // The answer is not read: its connection must not stay open (paused) behind us.
    await discard(response);
    throw error;
  }
  const pump = takeBodyPump(response);
  return pump !== null ? writePumped(pump, fd, w) : writeWebBody(response, fd, w);
}

/**
 * A web body (the app's transport): batches are written in order (in the thread pool) while
 * the next ones are received, at most WRITES_QUEUED behind, so memory stays at a few MiB and the
 * disk and the socket work at the same time; nothing here blocks the process.
 */
async function writeWebBody(response: Response, fd: number, w: PartWrite): Promise<number> {
  let received = w.start;
  let diskError: unknown;
  /** Writes run one after another (the order matters); the last one queued. */
  let lastWrite: Promise<void> = Promise.resolve();
  /** Writes queued and not yet waited for, oldest first. */
  const queued: Promise<void>[] = [];
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const writeback = new Writeback(fd, (error) => {
    diskError ??= error;
  });
  const flush = async (): Promise<void> => {
    if (diskError !== undefined) throw diskError;
    const buffers = batch;
    const bytes = batchBytes;
    batch = [];
    batchBytes = 0;
    if (buffers.length === 0) return;
    lastWrite = lastWrite
      .then(() => (diskError === undefined ? writeAll(fd, buffers) : undefined))
      .catch((error: unknown) => {
        diskError ??= error;
      });
    queued.push(lastWrite);
    writeback.wrote(bytes, lastWrite);
    if (queued.length >= WRITES_QUEUED) await queued.shift();
    if (diskError !== undefined) throw diskError;
  };
  /** Nothing of ours may still be running on the descriptor when it is synced, judged or closed. */
  const settle = async (): Promise<void> => {
    await lastWrite;
    await writeback.idle();
  };
  try {
    // Leaving this loop early (a disk failure) cancels the body.
    for await (const value of response.body ?? []) {
      received += value.byteLength;
      w.deadline.touch();
      batch.push(value);
      batchBytes += value.byteLength;
      w.onProgress(received);
      if (batchBytes >= WRITE_BATCH_BYTES) await flush();
    }
    await flush();
    await settle();
    if (diskError !== undefined) throw diskError;
    await fsyncFd(fd);
  } catch (error) {
    await settle();
    if (diskError !== undefined || isDiskCode(errnoCode(error))) {
      await closeFd(fd);
      throw await diskFailure(diskError ?? error, w.part);
    }
    // The network side broke: keep what was received (all complete batches) for a resume.
    if (batch.length > 0) await writeAll(fd, batch).catch(() => undefined);
    await fsyncFd(fd).catch(() => undefined);
    await closeFd(fd);
    throw error;
  }
  await closeFd(fd);
  return received;
}

/**
 * A pumped body (the plain-Node transport): each chunk is written before the next is taken, as
 * curl does: no queue, no promise per chunk; the writes block for as long as the page cache
 * takes them, which only plain Node may do. What is counted as received has been written, so a
 * resume after a broken connection starts there.
 */
async function writePumped(pump: BodyPump, fd: number, w: PartWrite): Promise<number> {
  let received = w.start;
  let diskError: unknown;
  const writeback = new Writeback(fd, (error) => {
    diskError ??= error;
  });
  const alreadyWritten = Promise.resolve();
  try {
    await pump.pump((chunk) => {
      if (diskError !== undefined) throw diskError;
      try {
        writeAllSync(fd, chunk);
      } catch (error) {
        // Any failed write is the disk's (EBADF, ESTALE, EIO...), never a reason to retry.
        diskError = error;
        throw error;
      }
      received += chunk.byteLength;
      w.deadline.touch();
      writeback.wrote(chunk.byteLength, alreadyWritten);
      w.onProgress(received);
    });
    await writeback.idle();
    if (diskError !== undefined) throw diskError;
    await fsyncFd(fd);
  } catch (error) {
    await writeback.idle();
    if (diskError !== undefined || isDiskCode(errnoCode(error))) {
      await closeFd(fd);
      throw await diskFailure(diskError ?? error, w.part);
    }
    await fsyncFd(fd).catch(() => undefined);
    await closeFd(fd);
    throw error;
  }
  await closeFd(fd);
  return received;
}

/** writeSync until every byte is written (a regular file may take fewer bytes than asked). */
function writeAllSync(fd: number, chunk: Uint8Array): void {
  let at = 0;
  while (at < chunk.byteLength) {
    const n = writeSync(fd, chunk, at, chunk.byteLength - at);
    if (n === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    at += n;
  }
}

/** writev until every byte is written (a regular file may still take fewer bytes than asked). */
async function writeAll(fd: number, buffers: Uint8Array[]): Promise<void> {
  let pending = buffers;
  while (pending.length > 0) {
    const written = await writevFd(fd, pending);
    let skip = written;
    const rest: Uint8Array[] = [];
    for (const b of pending) {
      if (skip >= b.byteLength) {
        skip -= b.byteLength;
        continue;
      }
      rest.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
    if (written === 0 && rest.length > 0)
      throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    pending = rest;
  }
}

/**
 * Background fdatasync of what has been written so far, at most one at a time. A failure is
 * reported (a later fsync may not report a lost write again); a descriptor that cannot be
 * synced this way (EINVAL) is left to the final fsync.
 */
class Writeback {
  private pending: Promise<void> | null = null;
  private unsynced = 0;
  private enabled = true;

  constructor(
    private readonly fd: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** `bytes` more are being written by `write`; start a sync after it once enough has built up. */
  wrote(bytes: number, write: Promise<void>): void {
    this.unsynced += bytes;
    if (!this.enabled || this.pending !== null || this.unsynced < WRITEBACK_EVERY_BYTES) return;
    this.unsynced = 0;
    this.pending = write
      .then(() => fdatasyncFd(this.fd))
      .catch((error: unknown) => {
        const code = errnoCode(error);
        if (code === 'EINVAL' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') this.enabled = false;
        else this.onError(error);
      })
      .finally(() => {
        this.pending = null;
      });
  }

  async idle(): Promise<void> {
    await this.pending;
  }
}

function isDiskCode(code: string | undefined): boolean {
  return (
    code === 'ENOSPC' || code === 'EDQUOT' || code === 'EIO' || code === 'EROFS' || code === 'EFBIG'
  );
}

async function diskFailure(error: unknown, part: string): Promise<LocalFileError> {
  const code = errnoCode(error);
  await rm(part, { force: true }).catch(() => undefined);
  if (isNoRoomCode(code)) {
    return new LocalFileError(
      'disk-full',
      'The disk holding the output folder is full: the download was stopped and its partial file removed. Free some space, then retry.',
      { code, cause: error },
    );
  }
  return new LocalFileError(
    'io',
    `Writing the download failed: ${fileProblemWords(code)}; its partial file was removed`,
    { code, cause: error },
  );
}

/** Opens the part, turning a failure into a LocalFileError (a symbolic link is refused). */
export async function openLocal(
  openPart: OpenPart,
  part: string,
  flags: number,
  label: string,
): Promise<number> {
  try {
    return await openPart(part, flags);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ELOOP') {
      throw new LocalFileError('io', `${label} is a symbolic link; refusing to write through it`, {
        code,
        cause: error,
      });
    }
    throw await diskFailure(error, part);
  }
}

export async function closeFd(fd: number): Promise<void> {
  await closeRaw(fd).catch(() => undefined);
}
