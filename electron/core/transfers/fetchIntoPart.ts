/**
 * The HTTP half of a download: fetches a URL into its `.part` until the part holds the whole
 * file. A broken connection is resumed with Range (and If-Range, so a changed file starts over)
 * when the server answers 206; a server that ignores Range starts from zero; an expired link
 * (403/404/410) is renewed through refreshUrl; the length is checked against Content-Length or
 * Content-Range. Redirects are followed by sendWithRedirects (the key stays on its origin).
 */
import { lstat, rm } from 'node:fs/promises';
import { systemClock, type Clock, type FetchLike } from '../ports';
import { RenderioError, describeEndpoint } from '../client/errors';
import {
  Deadline,
  backoffDelay,
  discard,
  errorFromResponse,
  sendWithRedirects,
  toRenderioError,
  type KeyBinding,
} from '../client/http';
import { exists } from './collision';
import { LocalFileError } from './errors';
import {
  TRUNCATE,
  closeFd,
  defaultOpenPart,
  openLocal,
  writeBody,
  type OpenPart,
} from './partWriter';

/** What fetchIntoPart needs of the download's options. */
export interface PartFetch {
  url: string;
  /** For messages: the file's final name. */
  fileName: string;
  fetch: FetchLike;
  clock?: Clock;
  /** The key and the only origin it may be sent to (none for signed storage URLs elsewhere). */
  auth?: KeyBinding | undefined;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | null) => void;
  refreshUrl?: () => Promise<string>;
  /** Longest time without a byte arriving (default 60 s). */
  idleTimeoutMs?: number;
  /** Attempts after broken connections, timeouts and 5xx (default 5). */
  attempts?: number;
  /** Continue an existing .part from an earlier run (only when it is known to be this file's). */
  resumeExisting?: boolean;
  openPart?: OpenPart;
}

export async function fetchIntoPart(
  o: PartFetch,
  part: string,
): Promise<{ bytes: number; resumes: number }> {
  const fetchImpl = o.fetch.downloadFetch ?? o.fetch;
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

      offset = await writeBody(response, {
        part,
        start: append ? offset : 0,
        append,
        openPart,
        deadline,
        onProgress: (received) => o.onProgress?.(received, total),
      });

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
    await closeFd(await openLocal(openPart, part, TRUNCATE, o.fileName));
  }
  return { bytes: offset, resumes };
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
