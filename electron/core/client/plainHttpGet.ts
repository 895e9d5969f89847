/**
 * The download transport for plain-http origins (the local engine) in plain Node: one GET on
 * its own connection, the answer's head parsed here, and the body handed to the download
 * straight from one reused socket read buffer (takeBodyPump), which writes each piece before
 * the next read.
 *
 * Why not node:http: its parser copies every body chunk into a newly allocated buffer, and each
 * socket read gets a new one too; on a 1 GiB loopback download that is twice curl's CPU per
 * byte, mostly page faults on fresh memory, and a slower reader also costs the server more per
 * byte. Read this way, the client matched curl (docs/PERFORMANCE.md, "Client transfers").
 *
 * Anything else (https, another method, a request body) goes to nodeHttpFetch. The contract is
 * nodeHttpFetch's: redirects are returned ('manual') or refused ('error'), never followed; a
 * failure before the answer is `TypeError('fetch failed', { cause })`; an abort rejects with the
 * signal's reason; a body cut short rejects (`TypeError('terminated')`). Bodies framed by
 * Content-Length, chunked, or the connection's end are read; gzip and deflate answers are
 * decoded on the web body (the pump refuses them, as the bytes are not the file's).
 */
import net from 'node:net';
import type { FetchLike } from '../ports';
import { nodeHttpFetch } from './nodeHttpFetch';
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
/** A chunk-size line longer than this is refused. */
const MAX_CHUNK_LINE_BYTES = 4 * 1024;

/**
 * A body read from the socket's buffer. Each chunk given to onChunk is valid only during that
 * call (the next read overwrites it): write or copy it before returning. Throwing from onChunk
 * closes the connection and rejects with that error.
 */
export interface BodyPump {
  pump(onChunk: (chunk: Uint8Array) => void): Promise<void>;
}

const pumps = new WeakMap<Response, { body: RawBody; taken: boolean }>();

/**
 * The answer's body as a pump, when the Response came from plainHttpGet with an unencoded body
 * not yet read; null otherwise (then read response.body). Taking it makes the web body unusable.
 */
export function takeBodyPump(response: Response): BodyPump | null {
  const entry = pumps.get(response);
  if (entry === undefined || entry.taken || response.bodyUsed || response.body?.locked === true)
    return null;
  entry.taken = true;
  // Locked, so that the web body cannot be read as well: it would otherwise still read (and
  // take) the bytes as long as pump() had not been called.
  response.body?.getReader();
  return { pump: (onChunk) => entry.body.pump(onChunk) };
}

export const plainHttpGet: FetchLike = (
  input: string,
  init: TransportInit = {},
): Promise<Response> => {
  const method = (init.method ?? 'GET').toUpperCase();
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return nodeHttpFetch(input, init);
  }
  if (
    url.protocol !== 'http:' ||
    method !== 'GET' ||
    (init.body !== undefined && init.body !== null)
  )
    return nodeHttpFetch(input, init);
  const redirect = init.redirect ?? 'follow';
  if (redirect === 'follow') return Promise.reject(followRefused('plainHttpGet'));
  const signal = init.signal ?? undefined;
  if (signal?.aborted === true) return Promise.reject(abortReason(signal));
  let head: string;
  try {
    head = requestHead(url, init.headers);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Exchange(url, head, redirect, signal).response;
};

/** The request's head; header names and values are checked by Headers (no CR or LF gets in). */
function requestHead(url: URL, given: RequestInit['headers']): string {
  const headers = new Headers(given);
  headers.delete('host');
  headers.delete('connection');
  headers.delete('content-length');
  headers.delete('transfer-encoding');
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
}

/** A header name: an RFC 9110 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The headers that say where a body ends: never dropped, and never both. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding']);

/** Parses one response head (without its final blank line); throws on anything malformed. */
function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (m === null) throw new Error('malformed status line');
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    if (line.length === 0) continue;
    if (line.startsWith(' ') || line.startsWith('\t')) throw new Error('folded header line');
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(colon, 0));
    if (!TOKEN.test(name)) throw new Error('malformed header line');
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch {
      // A value fetch would refuse too (control characters) is dropped, as nodeHttpFetch does;
      // not one that says where the body ends: dropped, the body would be read another way.
      if (FRAMING_HEADERS.has(name.toLowerCase()))
        throw new Error(`invalid ${name.toLowerCase()} header`);
    }
  }
  return { status: Number(m[1]), statusText: statusTextOf(m[2] ?? ''), headers };
}

type Framing =
  { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

function framingOf(head: Head): Framing {
  if (NULL_BODY_STATUSES.has(head.status)) return { kind: 'none' };
  const te = head.headers.get('transfer-encoding');
  const cl = head.headers.get('content-length');
  // Both at once is how a body is smuggled past one of two parsers: refused, as node:http does.
  if (te !== null && cl !== null) throw new Error('both transfer-encoding and content-length');
  if (te !== null) {
    if (te.trim().toLowerCase() !== 'chunked')
      throw new Error(`unsupported transfer-encoding ${te}`);
    return { kind: 'chunked' };
  }
  if (cl !== null) {
    // Repeated lengths arrive joined by ", "; they must agree, and the answer then shows one
    // (the download checks the size it received against it).
    const values = new Set(cl.split(',').map((v) => v.trim()));
    const only = [...values][0] ?? '';
    if (values.size !== 1 || !/^\d{1,15}$/.test(only)) throw new Error('invalid content-length');
    head.headers.set('content-length', only);
    const left = Number(only);
    return left === 0 ? { kind: 'none' } : { kind: 'length', left };
  }
  return { kind: 'close' };
}

/** One request on its own connection, from connecting to the end of the answer. */
class Exchange {
  readonly response: Promise<Response>;
  private resolve!: (r: Response) => void;
  private reject!: (e: unknown) => void;
  private answered = false;
  private head: Buffer = Buffer.alloc(0);
  private body: RawBody | null = null;
  private readonly socket: net.Socket;

  constructor(
    url: URL,
    request: string,
    private readonly redirect: NonNullable<RequestInit['redirect']>,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.response = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
    this.socket = net.connect({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? 80 : Number(url.port),
      noDelay: true,
      onread: { buffer: readBuffer, callback: (n) => this.onRead(readBuffer.subarray(0, n)) },
    });
    this.socket.once('connect', () => this.socket.write(request));
    this.socket.on('error', (error) => this.onSocketEnd(error));
    this.socket.once('close', () => this.onSocketEnd(undefined));
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => {
    const reason = abortReason(this.signal!);
    if (!this.answered) this.fail(reason);
    else this.body?.fail(reason);
    this.socket.destroy();
  };

  private fail(error: unknown): void {
    if (this.answered) return;
    this.answered = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.reject(error);
    this.socket.destroy();
  }

  /** Returns false to pause reading (the body waits for its reader). */
  private onRead(bytes: Buffer): boolean {
    if (this.body !== null) return this.body.received(bytes);
    if (this.answered) return false;
    // The head is small: copied out of the read buffer, which the next read reuses.
    let all = Buffer.concat([this.head, bytes]);
    for (;;) {
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        if (all.length > MAX_HEAD_BYTES) {
          this.fail(fetchFailed(new Error('response head too large')));
          return false;
        }
        this.head = all;
        return true;
      }
      if (end > MAX_HEAD_BYTES) {
        this.fail(fetchFailed(new Error('response head too large')));
        return false;
      }
      let head: Head;
      let framing: Framing;
      const rest = all.subarray(end + 4);
      try {
        head = parseHead(all.subarray(0, end).toString('latin1'));
        // Informational answers (100 Continue and the like) come before the real one.
        if (head.status >= 100 && head.status < 200 && head.status !== 101) {
          all = rest;
          continue;
        }
        framing = framingOf(head);
      } catch (error) {
        this.fail(fetchFailed(error));
        return false;
      }
      this.head = Buffer.alloc(0);
      return this.answer(head, framing, rest);
    }
  }

  private answer(head: Head, framing: Framing, rest: Buffer): boolean {
    if (head.status < 200 || head.status > 599) {
      this.fail(fetchFailed(new Error(`invalid status ${head.status}`)));
      return false;
    }
    if (REDIRECT_STATUSES.has(head.status) && this.redirect === 'error') {
      this.fail(fetchFailed(new Error('unexpected redirect')));
      return false;
    }
    this.answered = true;
    const body = new RawBody(framing, this.socket, () =>
      this.signal?.removeEventListener('abort', this.onAbort),
    );
    this.body = body;
    const init = { status: head.status, statusText: head.statusText, headers: head.headers };
    if (framing.kind === 'none') {
      body.finish();
      this.resolve(new Response(null, init));
      return false;
    }
    const encoding = (head.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
    const response = new Response(webBody(body, encoding, this.signal), init);
    if (encoding === 'identity') pumps.set(response, { body, taken: false });
    this.resolve(response);
    // Bytes that came with the head wait for the reader; reading pauses until then.
    if (rest.length > 0) body.received(rest);
    return body.wantsMore();
  }

  private onSocketEnd(error: Error | undefined): void {
    if (!this.answered) {
      this.fail(fetchFailed(error ?? new Error('the connection closed before an answer')));
      return;
    }
    this.body?.socketEnded(error);
  }
}

/**
 * The body of one answer: framing decoded, bytes handed to one reader (a pump or the web body).
 * Before a reader comes, arriving bytes are copied into a queue and reading pauses.
 */
class RawBody {
  private reader: ((chunk: Uint8Array) => boolean) | null = null;
  private queued: Buffer[] = [];
  private pauseFlag = false;
  /** No more bytes will come: the body ended, failed or was cancelled. */
  private done = false;
  private finished = false;
  private error: unknown = undefined;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  private readonly ended: Promise<void>;
  // Chunked decoding state: bytes left in the current chunk, or a line being read.
  private chunkLeft = 0;
  private line = '';
  private chunkState: 'size' | 'data' | 'data-end' | 'trailers' = 'size';

  constructor(
    private framing: Framing,
    private readonly socket: net.Socket,
    private readonly onSettled: () => void,
  ) {
    this.ended = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // A pump that never comes must not leave an unhandled rejection behind.
    this.ended.catch(() => undefined);
  }

  /** Bytes from the socket; returns whether reading should go on. */
  received(bytes: Buffer): boolean {
    if (this.done) return false;
    try {
      this.decode(bytes);
    } catch (error) {
      this.fail(error instanceof TypeError ? error : terminated(error));
      return false;
    }
    return this.wantsMore();
  }

  /** Reading goes on only while a reader takes each chunk as it comes. */
  wantsMore(): boolean {
    return !this.done && this.reader !== null && !this.pauseFlag && this.queued.length === 0;
  }

  private deliver(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.reader === null || this.queued.length > 0 || this.pauseFlag) {
      this.queued.push(Buffer.from(bytes));
      return;
    }
    if (this.reader(bytes) === false) this.pauseFlag = true;
  }

  private decode(bytes: Buffer): void {
    const f = this.framing;
    if (f.kind === 'length') {
      const take = Math.min(bytes.length, f.left);
      f.left -= take;
      this.deliver(bytes.subarray(0, take));
      if (f.left === 0) this.finish();
      return;
    }
    if (f.kind === 'close') {
      this.deliver(bytes);
      return;
    }
    if (f.kind === 'chunked') {
      this.decodeChunked(bytes);
    }
  }

  private decodeChunked(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length && !this.done) {
      if (this.chunkState === 'data') {
        const take = Math.min(this.chunkLeft, bytes.length - at);
        this.deliver(bytes.subarray(at, at + take));
        at += take;
        this.chunkLeft -= take;
        if (this.chunkLeft === 0) this.chunkState = 'data-end';
        continue;
      }
      // A line: the size line, the CRLF after a chunk's data, or a trailer.
      const nl = bytes.indexOf(10, at);
      const upto = nl < 0 ? bytes.length : nl + 1;
      this.line += bytes.toString('latin1', at, upto);
      at = upto;
      if (this.line.length > MAX_CHUNK_LINE_BYTES) throw new Error('chunk line too long');
      if (nl < 0) break;
      const line = this.line.replace(/\r?\n$/, '');
      this.line = '';
      if (this.chunkState === 'data-end') {
        if (line !== '') throw new Error('malformed chunk end');
        this.chunkState = 'size';
      } else if (this.chunkState === 'size') {
        const m = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
        if (m === null) throw new Error('malformed chunk size');
        this.chunkLeft = parseInt(m[1]!, 16);
        this.chunkState = this.chunkLeft === 0 ? 'trailers' : 'data';
      } else if (line === '') {
        this.finish();
      }
    }
  }

  /** The body is complete: the connection is closed (it was asked for with `connection: close`). */
  finish(): void {
    if (this.done) return;
    this.done = true;
    this.finished = true;
    this.onSettled();
    this.socket.destroy();
    if (this.reader !== null && this.queued.length === 0) this.settle?.resolve();
  }

  /** The connection or the signal failed the body: nothing changes once the last byte is in. */
  fail(error: unknown): void {
    if (!this.finished) this.end(error);
  }

  /**
   * The reader failed on a piece (a full disk, say): that ends the read even when the whole
   * body had already arrived (a small file that came with the head), or it would never settle.
   */
  private failFromReader(error: unknown): void {
    this.end(error);
  }

  private end(error: unknown): void {
    if (this.error !== undefined) return;
    this.error = error;
    this.done = true;
    this.onSettled();
    this.socket.destroy();
    this.settle?.reject(error);
  }

  socketEnded(error: Error | undefined): void {
    if (this.done) return;
    if (this.framing.kind === 'close' && error === undefined) {
      this.finish();
      return;
    }
    this.fail(terminated(error ?? new Error('the connection closed before the body was complete')));
  }

  /** Reads the body into onChunk (see BodyPump); resolves at its end. */
  pump(onChunk: (chunk: Uint8Array) => void): Promise<void> {
    return this.read((chunk) => {
      onChunk(chunk);
      return true;
    });
  }

  /** Attaches the one reader; onChunk returning false asks for a pause (resume() restarts). */
  read(onChunk: (chunk: Uint8Array) => boolean): Promise<void> {
    if (this.reader !== null)
      return Promise.reject(new TypeError('The body is already being read'));
    this.reader = (chunk) => {
      try {
        return onChunk(chunk);
      } catch (error) {
        this.failFromReader(error);
        return false;
      }
    };
    this.drainQueue();
    return this.ended;
  }

  private drainQueue(): void {
    while (this.queued.length > 0 && this.reader !== null && this.error === undefined) {
      const next = this.queued.shift()!;
      if (this.reader(next) === false) {
        this.pauseFlag = true;
        return;
      }
    }
    if (this.error !== undefined || this.reader === null) return;
    if (this.finished) this.settle?.resolve();
    else if (!this.done) this.socket.resume();
  }

  /** Reading goes on (after a pause asked by the reader or a full queue). */
  resume(): void {
    this.pauseFlag = false;
    this.drainQueue();
  }

  /** Whether the reader asked to pause since the last resume. */
  get paused(): boolean {
    return this.pauseFlag;
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.onSettled();
    this.socket.destroy();
  }
}

/** The body as a web stream (copies each chunk), decoded when the answer is compressed. */
function webBody(
  body: RawBody,
  encoding: string,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;
  let started = false;
  // The reader may cancel between the last piece and the end being seen here: the stream is
  // then closed already, and closing it again would throw outside anyone's reach.
  let cancelled = false;
  const raw = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
      },
      pull() {
        if (!started) {
          started = true;
          body
            .read((chunk) => {
              controllerRef!.enqueue(new Uint8Array(chunk));
              // With no queue (highWaterMark 0) this pauses after each piece until the next
              // pull: the web path is the slow one anyway, and it never buffers a body.
              return (controllerRef!.desiredSize ?? 0) > 0;
            })
            .then(
              () => {
                if (!cancelled) controllerRef!.close();
              },
              (error: unknown) => {
                if (!cancelled) controllerRef!.error(bodyReadError(error, signal));
              },
            );
          return;
        }
        if (body.paused) body.resume();
      },
      cancel() {
        cancelled = true;
        body.cancel();
      },
    },
    // Nothing is read before the body is: the download may still take it as a pump.
    { highWaterMark: 0 },
  );
  if (encoding === 'identity') return raw;
  const format = encoding === 'gzip' || encoding === 'x-gzip' ? 'gzip' : encoding;
  if (format === 'gzip' || format === 'deflate')
    return raw.pipeThrough(
      new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>,
    );
  body.cancel();
  return new ReadableStream({
    start(controller) {
      controller.error(new TypeError(`unsupported content-encoding ${encoding}`));
    },
  });
}
