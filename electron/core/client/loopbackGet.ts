/**
 * Downloads from the local engine at curl's speed, in plain Node: the one thing undici does not
 * do fast enough (docs/PERFORMANCE.md, "Client transfers"). undici allocates a new buffer for
 * every 64 KiB socket read and copies it into its parser; on a 1 GiB loopback download that is
 * about 2.5 times curl's CPU per byte, and the client's CPU is what limits such a transfer.
 * Here the socket reads into one reused 256 KiB buffer (`onread`) and each read is handed to
 * the download's pump (bodyPump.ts), which writes it before the next read, as curl does.
 *
 * Kept small on purpose: only a GET without a body to a plain-http address on this computer,
 * answered with a Content-Length body (or none). Everything else goes to `fallback` (undici):
 * https, another host or method, and any answer this parser does not take as it is (chunked,
 * close-delimited, compressed, informational, a malformed or ambiguous head), which is asked for
 * again there, where undici's parser judges it (a GET is safe to repeat; the local engine
 * answers downloads with a Content-Length, so it is never asked twice). The contract is the
 * other transports' (transportContract.ts): redirects returned ('manual') or refused ('error'),
 * never followed; a failure before the answer is TypeError('fetch failed', { cause }); an abort
 * rejects with the signal's reason; a body cut short rejects as 'terminated'.
 */
import net from 'node:net';
import type { FetchLike } from '../ports';
import { isLoopbackHost } from './client';
import { offerBodyPump } from './bodyPump';
import {
  NULL_BODY_STATUSES,
  REDIRECT_STATUSES,
  abortReason,
  bodyReadError,
  fetchFailed,
  followRefused,
  statusTextOf,
  terminated,
  type TransportInit,
} from './transportContract';

/** One socket read: measured best between 64 KiB and 1 MiB on a 1 GiB loopback download. */
const READ_BUFFER_BYTES = 256 * 1024;
/** A response head larger than this is refused (real ones are well under 8 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;
/** A header name: an RFC 9110 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** GETs to the local engine read here; every other request goes to `fallback`. */
export function createLoopbackGet(fallback: FetchLike): FetchLike {
  return (input: string, init: TransportInit = {}) => {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return fallback(input, init);
    }
    const method = (init.method ?? 'GET').toUpperCase();
    const hasBody = init.body !== undefined && init.body !== null;
    if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || method !== 'GET' || hasBody)
      return fallback(input, init);
    const redirect = init.redirect ?? 'follow';
    if (redirect === 'follow') return Promise.reject(followRefused('loopbackGet'));
    const signal = init.signal ?? undefined;
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    let request: string;
    try {
      request = requestHead(url, init.headers);
    } catch (error) {
      return Promise.reject(error);
    }
    return exchange(url, request, redirect, signal, () => fallback(input, init));
  };
}

/** The request's head; names and values are checked by Headers (no CR or LF gets in). */
function requestHead(url: URL, given: RequestInit['headers']): string {
  const headers = new Headers(given);
  for (const name of ['host', 'connection', 'content-length', 'transfer-encoding'])
    headers.delete(name);
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'identity');
  let text = `GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: close\r\n`;
  headers.forEach((value, name) => {
    text += `${name}: ${value}\r\n`;
  });
  return `${text}\r\n`;
}

interface Head {
  status: number;
  statusText: string;
  headers: Headers;
  /** Body bytes to read; null when the answer is not framed by one Content-Length alone. */
  length: number | null;
}

/** The head when its lines are well formed and its status final; null otherwise. */
function parseHead(text: string): Head | null {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (m === null) return null;
  const status = Number(m[1]);
  if (status < 200 || status > 599) return null;
  const headers = new Headers();
  let lengths = 0;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(colon, 0));
    if (!TOKEN.test(name)) return null;
    if (name.toLowerCase() === 'content-length') lengths++;
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch {
      return null;
    }
  }
  const statusText = statusTextOf(m[2] ?? '');
  const value = headers.get('content-length');
  const encoding = headers.get('content-encoding')?.trim().toLowerCase() ?? 'identity';
  const plain = !headers.has('transfer-encoding') && encoding === 'identity';
  if (NULL_BODY_STATUSES.has(status))
    return { status, statusText, headers, length: plain && lengths <= 1 ? 0 : null };
  const framed = plain && lengths === 1 && value !== null && /^\d{1,15}$/.test(value);
  return { status, statusText, headers, length: framed ? Number(value) : null };
}

/** One GET on its own connection (`connection: close`), from connecting to the answer's end. */
function exchange(
  url: URL,
  request: string,
  redirect: 'manual' | 'error',
  signal: AbortSignal | undefined,
  askUndici: () => Promise<Response>,
): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    let head = Buffer.alloc(0);
    let body: Body | null = null;
    let settled = false;
    const readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
    const socket = net.connect({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? 80 : Number(url.port),
      noDelay: true,
      onread: { buffer: readBuffer, callback: (n) => onRead(readBuffer.subarray(0, n)) },
    });
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
    };
    const fail = (error: unknown): void => {
      settle(() => reject(error));
      done();
    };
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
    };
    const onAbort = (): void => {
      const reason = abortReason(signal!);
      if (body === null) fail(reason);
      else body.fail(reason);
      done();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => socket.write(request));
    socket.on('error', (error) => {
      if (body === null) fail(fetchFailed(error));
      else body.fail(terminated(error));
    });
    socket.once('close', () => {
      if (body === null) fail(fetchFailed(new Error('the connection closed before an answer')));
      else body.fail(terminated(new Error('the connection closed before the body was complete')));
    });

    /** Returns false to pause reading (the body waits for its reader). */
    function onRead(bytes: Buffer): boolean {
      if (body !== null) return body.received(bytes);
      if (settled) return false;
      // The head is small: copied out of the read buffer, which the next read reuses.
      const all = Buffer.concat([head, bytes]);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0 || end > MAX_HEAD_BYTES) {
        if (end < 0 && all.length <= MAX_HEAD_BYTES) {
          head = all;
          return true;
        }
        fail(fetchFailed(new Error('response head too large')));
        return false;
      }
      const parsed = parseHead(all.subarray(0, end).toString('latin1'));
      if (parsed !== null && REDIRECT_STATUSES.has(parsed.status) && redirect === 'error') {
        fail(fetchFailed(new Error('unexpected redirect')));
        return false;
      }
      if (parsed === null || parsed.length === null) {
        // Not an answer to read here (chunked, compressed, close-delimited, informational,
        // malformed): undici asks again and judges it.
        settle(() => resolve(askUndici()));
        done();
        return false;
      }
      const length = parsed.length;
      const b = new Body(length, socket, done);
      body = b;
      const init = {
        status: parsed.status,
        statusText: parsed.statusText,
        headers: parsed.headers,
      };
      if (length === 0) {
        b.received(Buffer.alloc(0));
        settle(() =>
          resolve(new Response(NULL_BODY_STATUSES.has(parsed.status) ? null : '', init)),
        );
        return false;
      }
      const response = new Response(webBody(b, signal), init);
      offerBodyPump(response, () => ({
        pump: (onChunk) =>
          b.read((chunk) => {
            onChunk(chunk);
            return true;
          }),
      }));
      settle(() => resolve(response));
      // Bytes that came with the head wait for the reader; reading pauses until one comes.
      return b.received(all.subarray(end + 4));
    }
  });
}

/**
 * A Content-Length body handed to one reader (the pump, or the web body). Until the reader
 * comes, arriving bytes are copied into a queue and reading pauses.
 */
class Body {
  private reader: ((chunk: Uint8Array) => boolean) | null = null;
  private queued: Buffer[] = [];
  private paused = false;
  private over = false;
  private readonly ended: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };

  constructor(
    private left: number,
    private readonly socket: net.Socket,
    private readonly close: () => void,
  ) {
    this.ended = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // A body nobody reads must not leave an unhandled rejection behind.
    this.ended.catch(() => undefined);
  }

  /** Bytes from the socket; returns whether reading should go on. */
  received(bytes: Buffer): boolean {
    if (this.over) return false;
    const take = bytes.subarray(0, Math.min(bytes.length, this.left));
    this.left -= take.length;
    if (take.length > 0) {
      if (this.reader === null || this.paused || this.queued.length > 0)
        this.queued.push(Buffer.from(take));
      else if (!this.reader(take)) this.paused = true;
    }
    if (this.left === 0) {
      this.over = true;
      this.close();
      if (this.reader !== null && this.queued.length === 0) this.settle.resolve();
      return false;
    }
    return this.reader !== null && !this.paused && this.queued.length === 0;
  }

  /** The connection or the signal broke the body; nothing changes once the last byte is in. */
  fail(error: unknown): void {
    if (this.over) return;
    this.end(error);
  }

  private end(error: unknown): void {
    this.over = true;
    this.left = -1;
    this.close();
    this.settle.reject(error);
  }

  /** Attaches the one reader; onChunk returning false asks for a pause (resume() restarts). */
  read(onChunk: (chunk: Uint8Array) => boolean): Promise<void> {
    if (this.reader !== null)
      return Promise.reject(new TypeError('The body is already being read'));
    this.reader = (chunk) => {
      try {
        return onChunk(chunk);
      } catch (error) {
        // The reader failed on a piece (a full disk): that ends the read, even after the end.
        this.end(error);
        return false;
      }
    };
    this.resume();
    return this.ended;
  }

  /** Reading goes on after a pause asked for by the reader. */
  resume(): void {
    this.paused = false;
    while (this.queued.length > 0 && this.reader !== null && this.left >= 0) {
      if (!this.reader(this.queued.shift()!)) {
        this.paused = true;
        return;
      }
    }
    if (this.left === 0) this.settle.resolve();
    else if (this.left > 0) this.socket.resume();
  }

  get waiting(): boolean {
    return this.paused;
  }

  cancel(): void {
    if (this.over) return;
    this.over = true;
    this.close();
  }
}

/** The body as a web stream (each chunk copied), for answers the download does not pump. */
function webBody(body: Body, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  let started = false;
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (started) {
          if (body.waiting) body.resume();
          return;
        }
        started = true;
        body
          .read((chunk) => {
            controller.enqueue(new Uint8Array(chunk));
            return (controller.desiredSize ?? 0) > 0;
          })
          .then(
            () => !cancelled && controller.close(),
            (error: unknown) => !cancelled && controller.error(bodyReadError(error, signal)),
          );
      },
      cancel() {
        cancelled = true;
        body.cancel();
      },
    },
    // Nothing is read before the body is: the download may still take it as a pump.
    { highWaterMark: 0 },
  );
}
