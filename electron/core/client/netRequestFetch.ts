/**
 * The app's transport: the core's FetchLike over Electron's `net.request`, inside its rules.
 *
 * Why `net.request` and not `net.fetch` (docs/ELECTRON.md, "The app's transport"): both run on
 * Chromium's network stack (system proxy, PAC, the OS certificate store), but `net.fetch`
 * - pipes a streamed body into a ClientRequest without `chunkedEncoding`, so Electron collects
 *   the whole body in memory before sending it (SlurpStream in net-client-request.ts);
 * - registers no 'redirect' listener, so with redirect 'manual' the request dies with
 *   'Redirect was cancelled' instead of handing back the 3xx (net-fetch.ts).
 *
 * So here:
 * - headers go through setHeader as given; the core never sets a restricted one (Content-Length,
 *   Host, Transfer-Encoding, ...: Chromium fails the request with net::ERR_INVALID_ARGUMENT).
 *   A string or byte body is handed over whole (Electron sets its length); a stream is sent
 *   with `chunkedEncoding`, one awaited write at a time, so memory stays bounded.
 * - redirects are never followed: with 'manual' a 3xx comes back as a Response carrying its
 *   headers (Location as sent), as Node's fetch does, but without a body (Chromium keeps a
 *   redirect's body to itself), and sendWithRedirects decides (the key stays on its origin);
 *   'error' rejects; 'follow' is refused before anything is sent.
 * - failures take fetch's shapes (transportContract.ts): TypeError('fetch failed', { cause })
 *   before an answer, with Electron's Error('net::ERR_…') as the cause; TypeError('terminated')
 *   for a body cut short; the signal's reason on an abort.
 */
import type { FetchLike } from '../ports';
import type { NetClientRequestLike, NetIncomingMessageLike, NetRequest } from './netRequestPort';
import {
  NULL_BODY_STATUSES,
  abortReason,
  fetchFailed,
  followRefused,
  statusTextOf,
  terminated,
  type TransportInit,
} from './transportContract';

/** Chunks of a response body buffered ahead of the reader before Chromium is asked to wait. */
const RESPONSE_CHUNKS_AHEAD = 4;

export function createNetRequestFetch(request: NetRequest): FetchLike {
  return (input, init) => netRequestFetch(request, input, init ?? {});
}

function netRequestFetch(request: NetRequest, url: string, init: TransportInit): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const mode = init.redirect ?? 'follow';
  if (mode === 'follow') return Promise.reject(followRefused('The app transport'));
  const method = (init.method ?? 'GET').toUpperCase();
  let body: Buffer | ReadableStream<Uint8Array> | null;
  try {
    body = bodyOf(init.body);
  } catch (error) {
    return Promise.reject(error);
  }

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let message: NetIncomingMessageLike | null = null;
    let failBody: ((error: unknown) => void) | null = null;
    let req: NetClientRequestLike;
    // Resolves once the request is over for the upload's purposes (answered, failed, aborted):
    // a pending write is not waited for after that (Electron drops its callback on an abort).
    let stopUpload!: () => void;
    const uploadStopped = new Promise<void>((r) => (stopUpload = r));

    const settle = (fn: () => void): void => {
      stopUpload();
      if (settled) return;
      settled = true;
      fn();
    };
    const onAbort = (): void => {
      const reason = abortReason(signal!);
      req.abort();
      settle(() => reject(reason));
      failBody?.(reason);
    };
    const done = (): void => signal?.removeEventListener('abort', onAbort);

    try {
      req = request({ method, url, redirect: 'manual', credentials: 'omit', cache: 'no-store' });
      for (const [name, value] of new Headers(init.headers)) req.setHeader(name, value);
      if (body instanceof ReadableStream) req.chunkedEncoding = true;
    } catch (error) {
      // Electron throws synchronously for an invalid URL, header name or value.
      reject(fetchFailed(error));
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('redirect', (status, _method, redirectUrl, headers) => {
      // Not following: Electron then cancels the request ('Redirect was cancelled'), ignored below.
      if (mode === 'error') {
        settle(() => reject(fetchFailed(new Error('unexpected redirect'))));
      } else {
        const answer = new Headers();
        for (const [name, values] of Object.entries(headers))
          for (const v of values) answer.append(name, v);
        // The Location as the server sent it; Chromium's resolved URL when it is missing.
        if (!answer.has('location')) answer.set('location', redirectUrl);
        settle(() => resolve(new Response(null, { status, headers: answer })));
      }
      done();
    });
    req.on('response', (incoming) => {
      message = incoming;
      const status = incoming.statusCode;
      const noBody = NULL_BODY_STATUSES.has(status) || method === 'HEAD';
      let stream: ReadableStream<Uint8Array> | null = null;
      if (noBody) {
        incoming.resume?.();
        incoming.on('end', done);
      } else {
        stream = responseBody(incoming, req, signal, done, (fail) => (failBody = fail));
      }
      settle(() =>
        resolve(
          new Response(stream, {
            status,
            statusText: statusTextOf(incoming.statusMessage ?? ''),
            headers: headersOf(incoming.headers),
          }),
        ),
      );
    });
    req.on('error', (error) => {
      stopUpload();
      if (settled) {
        if (message !== null) failBody?.(signal?.aborted ? abortReason(signal) : terminated(error));
        return;
      }
      done();
      settle(() => reject(fetchFailed(error)));
    });

    if (body instanceof ReadableStream) {
      void pumpBody(body, req, uploadStopped).catch((error: unknown) => {
        req.abort();
        done();
        settle(() => reject(signal?.aborted ? abortReason(signal) : fetchFailed(error)));
      });
    } else if (body !== null) {
      req.end(body);
    } else {
      req.end();
    }
  });
}

/** The request body as ClientRequest takes it: bytes whole, or a stream to send chunked. */
function bodyOf(raw: RequestInit['body']): Buffer | ReadableStream<Uint8Array> | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
  if (raw instanceof ReadableStream) return raw as ReadableStream<Uint8Array>;
  if (raw instanceof ArrayBuffer) return Buffer.from(raw);
  if (ArrayBuffer.isView(raw)) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // FormData, Blob, URLSearchParams: the core never sends them, and each would need encoding.
  throw new TypeError('The app transport sends only strings, bytes and streams as bodies');
}

/**
 * Writes a streamed body chunk by chunk, each write awaited until Electron has handed it to
 * Chromium's network layer, so at most one chunk (plus the source's read-ahead) is in memory.
 * Stops reading once the request is over (answered early, failed or aborted).
 *
 * Each wait is a short-lived promise that the stop wakes, never a Promise.race against the
 * long-lived `stopped`: every race leaves a reaction on `stopped` that holds the race's result,
 * so a 1 GiB upload kept every chunk it had read until the request ended (nodejs/node#17469).
 */
async function pumpBody(
  body: ReadableStream<Uint8Array>,
  req: NetClientRequestLike,
  stopped: Promise<void>,
): Promise<void> {
  const reader = body.getReader();
  let over = false;
  let wake: (() => void) | null = null;
  void stopped.then(() => {
    over = true;
    wake?.();
  });
  const untilStopped = <T>(
    start: (resolve: (value: T | null) => void, reject: (error: unknown) => void) => void,
  ): Promise<T | null> =>
    new Promise<T | null>((resolve, reject) => {
      wake = () => resolve(null);
      start(resolve, reject);
    }).finally(() => (wake = null));
  try {
    while (!over) {
      const read = await untilStopped<Awaited<ReturnType<typeof reader.read>>>(
        (resolve, reject) => {
          reader.read().then(resolve, reject);
        },
      );
      if (read === null || over) break;
      if (read.done) {
        req.end();
        return;
      }
      const value = read.value;
      const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      await untilStopped<true>((resolve) => req.write(chunk, undefined, () => resolve(true)));
    }
    await reader.cancel().catch(() => undefined);
  } finally {
    reader.releaseLock();
  }
}

function responseBody(
  incoming: NetIncomingMessageLike,
  req: NetClientRequestLike,
  signal: AbortSignal | undefined,
  done: () => void,
  onFail: (fail: (error: unknown) => void) => void,
): ReadableStream<Uint8Array> {
  let closed = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const finish = (fn: () => void): void => {
          if (closed) return;
          closed = true;
          done();
          fn();
        };
        onFail((error) => finish(() => controller.error(error)));
        incoming.on('data', (chunk) => {
          if (closed) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          // Chromium holds the rest until resume(): the network waits for the disk.
          if ((controller.desiredSize ?? 1) <= 0) incoming.pause?.();
        });
        incoming.on('end', () => finish(() => controller.close()));
        incoming.on('error', (error) =>
          finish(() => controller.error(signal?.aborted ? abortReason(signal) : terminated(error))),
        );
        incoming.on('aborted', () =>
          finish(() =>
            controller.error(
              signal?.aborted
                ? abortReason(signal)
                : terminated(new Error('the response was aborted')),
            ),
          ),
        );
      },
      pull() {
        incoming.resume?.();
      },
      cancel() {
        closed = true;
        done();
        req.abort();
      },
    },
    { highWaterMark: RESPONSE_CHUNKS_AHEAD },
  );
}

/** IncomingMessage.headers (string or string[] per name) as fetch Headers. */
function headersOf(raw: Record<string, string | string[]>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}
