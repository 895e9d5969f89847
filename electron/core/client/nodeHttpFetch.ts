/**
 * A FetchLike on node:http / node:https, the transport of the core in plain Node (the CLI,
 * tests, benchmarks); the app injects Electron's net.fetch instead. Measured on a 1 GiB
 * transfer (docs/PERFORMANCE.md, "Client transfers"), Node's global fetch spends about a
 * third more CPU per byte than node:http: every 64 KiB chunk crosses a web stream, and an
 * upload it sends is tee'd chunk by chunk. This one keeps fetch's contract where the core
 * relies on it, and no further:
 * - redirects are never followed: `redirect: 'manual'` returns the 3xx answer (Location
 *   readable) and `'error'` rejects, as sendWithRedirects does the following itself; a
 *   request that would follow one is refused, so nothing here can carry a key to another host;
 * - failures before an answer reject with `TypeError('fetch failed')` and the Node error as
 *   `cause` (so its code, ECONNREFUSED and the like, is read as fetch's would be); an abort
 *   rejects with the signal's reason, before or during the body;
 * - the body is a lazy web stream; the download path takes the Node stream under it instead
 *   (takeNodeBody), which is where the bytes per second come from;
 * - a compressed answer (gzip, deflate, br) is decoded, as fetch does; nothing asks for one.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FetchLike } from '../ports';
import {
  NULL_BODY_STATUSES,
  REDIRECT_STATUSES,
  abortReason,
  bodyReadError,
  fetchFailed,
  followRefused,
  statusTextOf,
  type TransportInit,
} from './transportContract';

/**
 * Upload chunks for this transport: 64 KiB (one socket write each) measured ~10% faster than
 * 1 MiB chunks through node:http, while fetch is the other way round.
 */
export const NODE_HTTP_UPLOAD_CHUNK_BYTES = 64 * 1024;

// Keep-alive as fetch does, so polling reuses its connection. Idle sockets do not hold the
// process open (the agent unrefs them), and are closed after IDLE_SOCKET_MS: load balancers
// drop idle connections after about a minute, and a request sent on one they just dropped
// fails for nothing.
const IDLE_SOCKET_MS = 15_000;
const httpAgent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
const httpsAgent = new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

/** The Node stream under each Response made here, until the download path takes it. */
const nodeBodies = new WeakMap<Response, { stream: Readable; taken: boolean }>();

/**
 * The answer's body as the Node stream it came from, when the Response was made here and its
 * web body has not been read; null otherwise (then read response.body as usual). Taking it
 * makes the web body unusable.
 */
export function takeNodeBody(response: Response): Readable | null {
  const entry = nodeBodies.get(response);
  if (entry === undefined || entry.taken || response.bodyUsed) return null;
  entry.taken = true;
  return entry.stream;
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function responseHeaders(incoming: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header value fetch would refuse too (control characters): dropped.
    }
  }
  return headers;
}

function decoded(incoming: http.IncomingMessage): Readable {
  const encoding = String(incoming.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null;
  if (decoder === null) return incoming;
  // A body cut short fails the decoder too (pipe alone would leave it waiting); with no
  // reader yet, the error is kept by the destroyed stream rather than thrown.
  decoder.on('error', () => undefined);
  incoming.on('error', (error) => decoder.destroy(error));
  incoming.on('aborted', () => decoder.destroy(new Error('aborted')));
  return incoming.pipe(decoder);
}

/** A web view of a Node stream that reads nothing until it is read (or cancelled). */
function lazyWebBody(
  stream: Readable,
  owner: { taken: boolean },
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (owner.taken) {
          controller.error(new TypeError('The body was taken as a Node stream'));
          return;
        }
        iterator ??= stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        try {
          const { done, value } = await iterator.next();
          if (done === true) controller.close();
          else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        } catch (error) {
          controller.error(bodyReadError(error, signal));
        }
      },
      cancel() {
        stream.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Writes a request body with backpressure; resolves when all of it is handed to the socket. */
async function sendBody(request: http.ClientRequest, body: RequestInit['body']): Promise<void> {
  if (body === null || body === undefined) {
    request.end();
    return;
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    request.end(body);
    return;
  }
  if (body instanceof ArrayBuffer) {
    request.end(Buffer.from(body));
    return;
  }
  if (ArrayBuffer.isView(body)) {
    request.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    return;
  }
  if (body instanceof URLSearchParams) {
    request.end(body.toString());
    return;
  }
  if (typeof (body as ReadableStream).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (request.destroyed) throw new Error('the request was closed');
        if (!request.write(value)) await drained(request);
      }
      request.end();
    } catch (error) {
      await reader.cancel(error).catch(() => undefined);
      throw error;
    } finally {
      reader.releaseLock();
    }
    return;
  }
  throw new TypeError('nodeHttpFetch takes a string, bytes or a ReadableStream as a body');
}

function drained(request: http.ClientRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      request.off('drain', done);
      request.off('close', closed);
      resolve();
    };
    const closed = (): void => {
      request.off('drain', done);
      reject(new Error('the connection closed while sending'));
    };
    request.once('drain', done);
    request.once('close', closed);
  });
}

export const nodeHttpFetch: FetchLike & { uploadChunkBytes: number } = Object.assign(
  (input: string, init: TransportInit = {}): Promise<Response> => request(input, init),
  { uploadChunkBytes: NODE_HTTP_UPLOAD_CHUNK_BYTES },
);

function request(input: string, init: TransportInit): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted === true) return Promise.reject(abortReason(signal));
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    return Promise.reject(
      new TypeError(`Invalid URL: ${String(input).slice(0, 80)}`, { cause: error }),
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(fetchFailed(new Error(`unsupported protocol ${url.protocol}`)));
  const redirect = init.redirect ?? 'follow';
  if (redirect === 'follow') return Promise.reject(followRefused('nodeHttpFetch'));
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = headerRecord(init.headers);
  if (headers['accept-encoding'] === undefined) headers['accept-encoding'] = 'identity';
  if (
    headers['content-length'] === undefined &&
    (typeof init.body === 'string' || init.body instanceof Uint8Array)
  )
    headers['content-length'] = String(Buffer.byteLength(init.body));
  else if (headers['content-length'] === undefined && init.bodyLength !== undefined)
    headers['content-length'] = String(init.bodyLength);
  const lib = url.protocol === 'https:' ? https : http;

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const req = lib.request(url, {
      method,
      headers,
      agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
    });
    // After the answer, an abort breaks its body (a reader sees the signal's reason).
    let body: Readable | undefined;
    const onAbort = (): void => {
      const reason = abortReason(signal!);
      fail(reason);
      req.destroy(reason instanceof Error ? reason : new Error('aborted'));
      body?.destroy(reason instanceof Error ? reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', (error) =>
      fail(signal?.aborted === true ? abortReason(signal) : fetchFailed(error)),
    );
    req.on('response', (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (status < 200 || status > 599) {
        incoming.destroy();
        fail(fetchFailed(new Error(`invalid status ${status}`)));
        return;
      }
      if (REDIRECT_STATUSES.has(status) && redirect === 'error') {
        incoming.destroy();
        fail(fetchFailed(new Error('unexpected redirect')));
        return;
      }
      const responseHeadersMade = responseHeaders(incoming);
      const statusText = statusTextOf(incoming.statusMessage ?? '');
      const noBody = method === 'HEAD' || NULL_BODY_STATUSES.has(status);
      let response: Response;
      if (noBody) {
        incoming.resume();
        signal?.removeEventListener('abort', onAbort);
        response = new Response(null, {
          status,
          statusText,
          headers: responseHeadersMade,
        });
      } else {
        const stream = decoded(incoming);
        body = stream;
        const owner = { stream, taken: false };
        response = new Response(lazyWebBody(stream, owner, signal), {
          status,
          statusText,
          headers: responseHeadersMade,
        });
        nodeBodies.set(response, owner);
        stream.once('close', () => signal?.removeEventListener('abort', onAbort));
      }
      settled = true;
      resolve(response);
    });
    sendBody(req, init.body).catch((error: unknown) => {
      req.destroy(error instanceof Error ? error : new Error(String(error)));
      fail(signal?.aborted === true ? abortReason(signal) : fetchFailed(error));
    });
  });
}
