/**
 * Downloads a (storage) URL to a file: streamed to `<name>.part` with byte progress, resumed
 * with Range after a broken connection when the server allows it (206), checked against
 * Content-Length, fsynced, then moved to its final name under the collision policy (announced
 * first through beforeCommit, so a crash around the move can be settled: transfers/commit.ts).
 * An expired link (403/404) is renewed through refreshUrl. A full disk removes the .part.
 */
import { close, constants, fdatasync, fsync, open, writeSync, writev } from 'node:fs';
import { lstat, mkdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join, resolve } from 'node:path';
import { nodeFetch, systemClock, type Clock, type FetchLike } from '../ports';
import { RenderioError, describeEndpoint } from '../client/errors';
import { takeNodeBody } from '../client/nodeHttpFetch';
import { takeBodyPump, type BodyPump } from '../client/plainHttpGet';
import {
  Deadline,
  backoffDelay,
  discard,
  errorFromResponse,
  sendWithRedirects,
  toRenderioError,
  type KeyBinding,
} from '../client/http';
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

export type { CollisionPolicy } from './collision';
export type { BeforeCommit, CommitIntent } from './commit';

/** Opens the .part for writing and returns a file descriptor (a seam: tests inject failures). */
export type OpenPart = (path: string, flags: number) => Promise<number>;

export interface DownloadOptions {
  url: string;
  /** The output folder (created if missing). */
  dir: string;
  /** A plain file name (no folders). */
  fileName: string;
  /** Default 'rename': `name (1).ext`. */
  collision?: CollisionPolicy;
  /** Files never to be written over, e.g. the job's source. */
  protectedPaths?: readonly string[];
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
  /** Gives a fresh URL when the current one has expired (403/404/410). */
  refreshUrl?: () => Promise<string>;
  fetch?: FetchLike;
  clock?: Clock;
  /** The key and the only origin it may be sent to (none for signed storage URLs elsewhere). */
  auth?: KeyBinding | undefined;
  /** Longest time without a byte arriving (default 60 s). */
  idleTimeoutMs?: number;
  /** Attempts after broken connections, timeouts and 5xx (default 5). */
  attempts?: number;
  /** Continue an existing .part from an earlier run (only when it is known to be this file's). */
  resumeExisting?: boolean;
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
  openPart?: OpenPart;
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

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const TRUNCATE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_NOFOLLOW;
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

const defaultOpenPart: OpenPart = (path, flags) => openFd(path, flags, 0o644);

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
  const protectedSet = await ProtectedSet.of(o.protectedPaths);
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

async function transfer(
  o: DownloadOptions,
  part: string,
  target: string,
  collision: CollisionPolicy,
  protectedSet: ProtectedSet,
): Promise<DownloadResult> {
  const transport = o.fetch ?? nodeFetch;
  const fetchImpl = transport.downloadFetch ?? transport;
  const clock = o.clock ?? systemClock;
  const openPart = o.openPart ?? defaultOpenPart;
  const attempts = o.attempts ?? 5;
  const idleMs = o.idleTimeoutMs ?? 60_000;

  let offset = 0;
  if (o.resumeExisting === true) {
    const s = await lstat(part).catch(() => undefined);
    if (s?.isFile() === true) offset = s.size;
    else if (s !== undefined) await rm(part, { force: true, recursive: false });
  } else {
    await rm(part, { force: true });
  }

  let url = o.url;
  let validator: string | undefined;
  let total: number | null = null;
  let failures = 0;
  let refreshes = 0;
  let resumes = 0;
  let complete = false;
  /** Set when the bytes on disk cannot be continued (wrong range, refused range, too long). */
  let discardPart = false;

  while (!complete) {
    const deadline = new Deadline(idleMs, o.signal, 'idle');
    try {
      const headers: Record<string, string> = { 'accept-encoding': 'identity' };
      if (offset > 0) {
        headers.range = `bytes=${offset}-`;
        if (validator !== undefined) headers['if-range'] = validator;
      }
      const { response, url: answered } = await sendWithRedirects(fetchImpl, url, {
        method: 'GET',
        headers,
        auth: o.auth,
        signal: deadline.signal,
      });
      const status = response.status;

      if (status === 403 || status === 404 || status === 410) {
        if (o.refreshUrl !== undefined && refreshes < 3) {
          await discard(response);
          refreshes++;
          url = await o.refreshUrl();
          continue;
        }
        await discard(response);
        throw new RenderioError(
          'not-found',
          `The download link for ${o.fileName} has expired or the file is gone (${status})`,
          {
            status,
            method: 'GET',
            endpoint: describeEndpoint(answered),
          },
        );
      }

      if (status === 416) {
        // Asked past the end: the .part may already hold everything.
        const size = parseUnsatisfiedRange(response.headers.get('content-range'));
        await discard(response);
        if (size !== undefined && size === offset) {
          total = size;
          complete = true;
          continue;
        }
        discardPart = true;
        throw new RenderioError(
          'protocol',
          `The server refused to continue ${o.fileName}; starting again`,
          { status },
        );
      }

      let append = false;
      let expectedEnd: number | null;
      if (status === 206) {
        const range = parseContentRange(response.headers.get('content-range'));
        if (range === undefined || range.start !== offset) {
          // A range we did not ask for: start over without Range.
          await discard(response);
          discardPart = true;
          throw new RenderioError('protocol', `The server sent the wrong part of ${o.fileName}`, {
            status,
          });
        }
        append = offset > 0;
        if (append) resumes++;
        expectedEnd = range.total ?? range.end + 1;
      } else if (status === 200) {
        // Either a first request, or a server that ignored Range / If-Range (file changed): from 0.
        offset = 0;
        const length = contentLength(response);
        expectedEnd = length;
      } else {
        throw await errorFromResponse(response, 'GET', answered, clock, 5_000);
      }
      total = expectedEnd;
      validator = strongValidator(response) ?? validator;

      offset = await writeBody(
        response,
        part,
        append ? offset : 0,
        append,
        openPart,
        deadline,
        (received) => o.onProgress?.(received, total),
      );

      if (total !== null && offset < total) {
        throw new RenderioError(
          'network',
          `The download of ${o.fileName} broke off at ${offset} of ${total} bytes`,
        );
      }
      if (total !== null && offset > total) {
        discardPart = true;
        throw new RenderioError(
          'protocol',
          `The server sent more of ${o.fileName} than it announced`,
        );
      }
      complete = true;
    } catch (error) {
      if (error instanceof LocalFileError) throw error;
      const e = toRenderioError(error, {
        method: 'GET',
        url,
        outer: o.signal,
        deadline,
        timeoutMs: idleMs,
      });
      if (e.kind === 'aborted') throw e; // the .part stays for a later resume
      const retryable =
        e.kind === 'network' ||
        e.kind === 'timeout' ||
        e.kind === 'server' ||
        e.kind === 'rate-limited' ||
        e.kind === 'protocol';
      failures++;
      if (!retryable || failures >= attempts) throw e;
      if (discardPart) {
        await rm(part, { force: true });
        offset = 0;
        validator = undefined;
        discardPart = false;
      } else {
        // Continue from what is safely on disk (a server without Range support answers 200: from 0).
        const s = await lstat(part).catch(() => undefined);
        offset = s?.isFile() === true ? s.size : 0;
      }
      const wait =
        e.kind === 'rate-limited' ? (e.retryAfterMs ?? 5_000) : backoffDelay(failures, 250, 10_000);
      try {
        await clock.sleep(wait, o.signal);
      } catch {
        throw new RenderioError('aborted', `The download of ${o.fileName} was cancelled`);
      }
    } finally {
      deadline.dispose();
    }
  }

  if (!(await exists(part))) {
    // An empty body over a fresh start: still produce an (empty) file.
    const fd = await openLocal(openPart, part, TRUNCATE, o.fileName);
    await closeFd(fd);
  }
  const placed = await placeFinished(part, target, collision, protectedSet, announcer(o, part));
  return {
    path: placed.path,
    bytes: placed.skipped ? 0 : offset,
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

/**
 * Chunks (64 KiB socket reads) are gathered up to this size and written with one writev.
 * Measured on Linux ext4 (docs/PERFORMANCE.md, "Client transfers"): 1–2 MiB writes cost the
 * least system time per byte; 4 MiB and larger ones about three times as much, whether written
 * with writev or copied into one big buffer first.
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

/**
 * Writes the body to the part from `start`; returns the part's size after. Batches are written
 * in order (in the thread pool) while the next ones are received, at most WRITES_QUEUED
 * behind: memory stays at a few MiB whatever the size, and the disk and the socket work at the
 * same time. The data is fsynced before this returns.
 */
async function writeBody(
  response: Response,
  part: string,
  start: number,
  append: boolean,
  openPart: OpenPart,
  deadline: Deadline,
  onProgress: (received: number) => void,
): Promise<number> {
  let fd: number;
  try {
    fd = await openLocal(openPart, part, append ? APPEND : TRUNCATE, part);
  } catch (error) {
    // The answer is not read: its connection must not stay open (paused) behind us.
    await discard(response);
    throw error;
  }
  const pump = takeBodyPump(response);
  if (pump !== null) return writePumped(pump, fd, part, start, deadline, onProgress);
  let received = start;
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
    // Receiving goes on while earlier batches are written, up to WRITES_QUEUED of them.
    if (queued.length >= WRITES_QUEUED) await queued.shift();
    if (diskError !== undefined) throw diskError;
  };
  /** Nothing of ours may still be running on the descriptor when it is synced, judged or closed. */
  const settle = async (): Promise<void> => {
    await lastWrite;
    await writeback.idle();
  };
  try {
    // Leaving this loop early (a disk failure) cancels the body: for await does that for both.
    for await (const value of bodyChunks(response)) {
      received += value.byteLength;
      deadline.touch();
      batch.push(value);
      batchBytes += value.byteLength;
      onProgress(received);
      if (batchBytes >= WRITE_BATCH_BYTES) await flush();
    }
    await flush();
    await settle();
    if (diskError !== undefined) throw diskError;
    await fsyncFd(fd);
  } catch (error) {
    // Let a write or sync still running finish before judging what is on disk.
    await settle();
    if (diskError !== undefined || isDiskCode(errnoCode(error))) {
      await closeFd(fd);
      throw await diskFailure(diskError ?? error, part);
    }
    // The network side broke: keep what reached the disk (all complete batches) for a resume.
    await flushQuietly(fd, batch);
    await fsyncFd(fd).catch(() => undefined);
    await closeFd(fd);
    throw error;
  }
  await closeFd(fd);
  return received;
}

/**
 * Writes a pumped body (plainHttpGet): each piece is written before the next socket read, from
 * the one read buffer, as curl does. No copy and no new memory per chunk; the writes block for
 * as long as the page cache takes them. Only the plain-Node transport pumps (the app injects
 * net.fetch, whose web bodies take the path above), so the app's main process never blocks.
 * What is counted as received has been written to the file (durable after the fsync below),
 * so a resume after a broken connection starts there.
 */
async function writePumped(
  pump: BodyPump,
  fd: number,
  part: string,
  start: number,
  deadline: Deadline,
  onProgress: (received: number) => void,
): Promise<number> {
  let received = start;
  let diskError: unknown;
  const writeback = new Writeback(fd, (error) => {
    diskError ??= error;
  });
  // Each piece is written to the file before it is counted: the writeback may sync at once.
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
      deadline.touch();
      writeback.wrote(chunk.byteLength, alreadyWritten);
      onProgress(received);
    });
    await writeback.idle();
    if (diskError !== undefined) throw diskError;
    await fsyncFd(fd);
  } catch (error) {
    await writeback.idle();
    if (diskError !== undefined || isDiskCode(errnoCode(error))) {
      await closeFd(fd);
      throw await diskFailure(diskError ?? error, part);
    }
    // The network side broke: everything counted is written; keep it for a resume.
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

/**
 * The body's chunks: straight from the Node stream when the transport is node:http (no web
 * stream per 64 KiB chunk; the client's CPU per byte is what limits a loopback transfer),
 * else from the web body.
 */
function bodyChunks(response: Response): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  return takeNodeBody(response) ?? response.body ?? [];
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

/** After a network failure: the bytes already received still go to disk (the resume starts after them). */
async function flushQuietly(fd: number, buffers: Uint8Array[]): Promise<void> {
  if (buffers.length > 0) await writeAll(fd, buffers).catch(() => undefined);
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

async function diskFailure(error: unknown, part: string): Promise<LocalFileError> {
  const code = errnoCode(error);
  await rm(part, { force: true }).catch(() => undefined);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
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

async function openLocal(
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

async function closeFd(fd: number): Promise<void> {
  await closeRaw(fd).catch(() => undefined);
}

function contentLength(response: Response): number | null {
  const v = response.headers.get('content-length');
  if (v === null || !/^\d+$/.test(v.trim())) return null;
  return Number(v);
}

function parseContentRange(
  v: string | null,
): { start: number; end: number; total: number | null } | undefined {
  const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(v ?? '');
  if (m === null) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
}

function parseUnsatisfiedRange(v: string | null): number | undefined {
  const m = /^\s*bytes\s+\*\/(\d+)\s*$/i.exec(v ?? '');
  return m === null ? undefined : Number(m[1]);
}

/** If-Range needs a strong ETag or a Last-Modified date. */
function strongValidator(response: Response): string | undefined {
  const etag = response.headers.get('etag');
  if (etag !== null && !etag.startsWith('W/')) return etag;
  return response.headers.get('last-modified') ?? undefined;
}
