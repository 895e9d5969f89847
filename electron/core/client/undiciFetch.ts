/**
 * The core's transport in plain Node (the CLI, the tests, the benchmarks): a FetchLike over
 * undici's `request`, with its own connection pool. The app injects its own transport over
 * Electron's net.request instead (netRequestFetch.ts). This one keeps fetch's contract where the
 * core relies on it (transportContract.ts), and no further:
 * - redirects are never followed: undici 7's `request` follows none without its redirect
 *   interceptor, which is not used here (it refuses a `maxRedirections` other than 0).
 *   `redirect: 'manual'` returns the 3xx answer with its Location and `'error'` rejects; a
 *   request that would follow one is refused before anything is sent.
 *   sendWithRedirects follows them itself, so the key never leaves its origin;
 * - failures before an answer reject with `TypeError('fetch failed')` and undici's or Node's
 *   error as `cause` (ECONNREFUSED, a TLS code, UND_ERR_SOCKET...); an abort rejects with the
 *   signal's reason, before or during the body; a body cut short rejects as 'terminated';
 * - certificates are checked by Node's TLS (its CA store, NODE_EXTRA_CA_CERTS, the host name);
 * - a streamed request body is sent with Content-Length when its length travels beside the
 *   headers (TransportInit.bodyLength), chunked otherwise;
 * - a compressed answer (gzip, deflate, br) is decoded, as fetch does; nothing asks for one.
 * Its downloads from the local engine take another path (loopbackGet.ts, `downloadFetch`), the
 * one place undici is not fast enough: docs/PERFORMANCE.md, "Client transfers".
 */
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import type { FetchLike } from '../ports';
import { createLoopbackGet } from './loopbackGet';
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

// Keep-alive, so polling reuses its connection; idle sockets are closed after IDLE_SOCKET_MS
// (load balancers drop idle connections after about a minute, and a request sent on one they
// just dropped fails for nothing) and never hold the process open (undici unrefs them).
const IDLE_SOCKET_MS = 15_000;

/** A pool of connections per origin; the core's own deadlines (client/http.ts) time requests. */
export function createUndiciAgent(): Agent {
  return new Agent({
    keepAliveTimeout: IDLE_SOCKET_MS,
    keepAliveMaxTimeout: IDLE_SOCKET_MS,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}

/**
 * A FetchLike over undici with its own pool (`dispatcher`), or the shared one. Its variant for
 * downloads reads the local engine's answers itself (loopbackGet.ts) and asks undici otherwise.
 */
export function createUndiciFetch(dispatcher: Dispatcher = sharedAgent()): FetchLike {
  const viaUndici: FetchLike = (input, init) => undiciRequest(dispatcher, input, init ?? {});
  return Object.assign(viaUndici, { downloadFetch: createLoopbackGet(viaUndici) });
}

let shared: Agent | undefined;
function sharedAgent(): Agent {
  shared ??= createUndiciAgent();
  return shared;
}

/** The plain-Node transport: the CLI's, and what tests and benchmarks pass as `fetch`. */
export const undiciFetch: FetchLike = createUndiciFetch();

type Body = string | Uint8Array | AsyncIterable<Uint8Array> | null;

function bodyOf(body: RequestInit['body']): Body {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body))
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof URLSearchParams) return body.toString();
  if (typeof (body as ReadableStream).getReader === 'function')
    return body as ReadableStream<Uint8Array>;
  throw new TypeError('undiciFetch takes a string, bytes or a ReadableStream as a body');
}

function headerRecord(init: TransportInit): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    out[name] = value;
  });
  out['accept-encoding'] ??= 'identity';
  if (out['content-length'] === undefined && init.bodyLength !== undefined)
    out['content-length'] = String(init.bodyLength);
  return out;
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : [value ?? '']) {
      try {
        headers.append(name, v);
      } catch {
        // A value fetch would refuse too (control characters): dropped.
      }
    }
  }
  return headers;
}

/** The body decoded when the answer says it is compressed, as fetch does. */
function decoded(body: Readable, encoding: string | null): Readable {
  const e = (encoding ?? '').trim().toLowerCase();
  const decoder =
    e === 'gzip' || e === 'x-gzip'
      ? createGunzip()
      : e === 'deflate'
        ? createInflate()
        : e === 'br'
          ? createBrotliDecompress()
          : null;
  if (decoder === null) return body;
  // A body cut short fails the decoder too (pipe alone would leave it waiting).
  decoder.on('error', () => undefined);
  body.on('error', (error) => decoder.destroy(error));
  return body.pipe(decoder);
}

/** A web view of a Node stream that reads nothing until it is read (or cancelled). */
function lazyWebBody(
  stream: Readable,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
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

function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true;
}

async function undiciRequest(
  dispatcher: Dispatcher,
  input: string,
  init: TransportInit,
): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (isAborted(signal)) throw abortReason(signal);
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    throw new TypeError(`Invalid URL: ${String(input).slice(0, 80)}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw fetchFailed(new Error(`unsupported protocol ${url.protocol}`));
  const redirect = init.redirect ?? 'follow';
  if (redirect === 'follow') throw followRefused('undiciFetch');
  const method = (init.method ?? 'GET').toUpperCase();
  const body = bodyOf(init.body);

  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(url, {
      dispatcher,
      method: method as Dispatcher.HttpMethod,
      headers: headerRecord(init),
      // undici sends any async iterable (a web ReadableStream is one); its types say Readable.
      body: body as Readable | string | Uint8Array | null,
      signal,
    });
  } catch (error) {
    throw isAborted(signal) ? abortReason(signal) : fetchFailed(error);
  }

  const { statusCode: status, body: stream } = answer;
  // Whoever reads the body sees its errors; until then (or if nobody does) they are no crash.
  stream.on('error', () => undefined);
  if (status < 200 || status > 599) {
    stream.destroy();
    throw fetchFailed(new Error(`invalid status ${status}`));
  }
  if (REDIRECT_STATUSES.has(status) && redirect === 'error') {
    stream.destroy();
    throw fetchFailed(new Error('unexpected redirect'));
  }
  const headers = responseHeaders(answer.headers);
  const statusText = statusTextOf((answer as { statusText?: string }).statusText ?? '');
  if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    stream.resume();
    return new Response(null, { status, statusText, headers });
  }
  const source = decoded(stream, headers.get('content-encoding'));
  return new Response(lazyWebBody(source, signal), { status, statusText, headers });
}
