/**
 * What Chromium's network service does under Electron's ClientRequest, done over node:http(s)
 * against real servers on 127.0.0.1. Each behaviour is Chromium's, with its source:
 * - restricted request headers fail the request with net::ERR_INVALID_ARGUMENT before anything
 *   is sent (restrictedHeaders.ts);
 * - the network stack adds Accept-Encoding and a User-Agent when the caller set none, and
 *   decodes gzip / deflate / br bodies itself (the Content-Encoding header stays);
 * - redirects: the loader reports each one ('redirect' in shell/common/api/
 *   electron_api_url_loader.cc, SimpleURLLoaderWrapper::OnRedirect) and follows it unless the
 *   JS side cancelled; following changes POST to GET on 301/302 and anything but HEAD to GET on
 *   303, dropping the body and, when the method changes, the body's headers (Content-Type,
 *   Content-Encoding, Content-Language, Content-Location) and Origin (net/url_request/
 *   redirect_util.cc UpdateHttpRequest), keeps every other header (an X-API-KEY too),
 *   and refuses a redirect to a non-http(s) URL (net::ERR_UNSAFE_REDIRECT); more than 20 is
 *   net::ERR_TOO_MANY_REDIRECTS;
 * - failures are net::ERR_… strings (netErrors.ts); a body shorter than its Content-Length is
 *   net::ERR_CONTENT_LENGTH_MISMATCH, a chunked body cut off net::ERR_INCOMPLETE_CHUNKED_ENCODING;
 * - certificates are checked against the "operating system's store": Node's roots plus what the
 *   test installs (ElectronDoubleOptions.trustedCertificates), as Chromium uses the OS verifier;
 * - an answer that comes while the request body is still being sent is read only once the body
 *   is sent, or once sending it fails (net/http/http_stream_parser.cc; see run() below).
 * Not modelled, and refused loudly rather than faked: following a redirect with a streamed body.
 */
import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { isRequestHeaderSafe } from './restrictedHeaders';
import { netErrorFor } from './netErrors';
import type { ResponseHead } from './incomingMessage';

export type RedirectPolicy = 'follow' | 'error' | 'manual';

export type LoaderBody =
  | { kind: 'none' }
  | { kind: 'bytes'; data: Buffer }
  /** chunkedEncoding: the request starts at once and the body is written as it comes. */
  | { kind: 'chunked' };

export interface LoaderRequest {
  method: string;
  url: string;
  /** In the order they were set, names as given. */
  headers: [string, string][];
  body: LoaderBody;
  redirectPolicy: RedirectPolicy;
  allowFileScheme: boolean;
}

export interface LoaderEvents {
  responseStarted(finalUrl: string, head: ResponseHead): void;
  data(chunk: Buffer, resume: () => void): void;
  complete(): void;
  error(netError: string): void;
  /** Called synchronously; the listener may cancel the loader from inside it. */
  redirect(
    info: { statusCode: number; newMethod: string; newUrl: string },
    headers: Record<string, string[]>,
  ): void;
}

export interface NetworkEnvironment {
  userAgent: string;
  trustedCertificates: string[];
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  /**
   * What went over the network, for tests and the bench: requests sent, bodies sent chunked,
   * and the largest request body held whole in memory (an unchunked ClientRequest collects it).
   */
  stats: { peakBufferedUploadBytes: number; requests: number; chunkedUploads: number };
}

export interface UrlLoader {
  cancel(): void;
  /** For a chunked body: resolves once the chunk is handed to the socket (or queued there). */
  writeChunk(chunk: Buffer): Promise<void>;
  endChunks(): void;
}

const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Removed by RedirectUtil::UpdateHttpRequest when a redirect changes the method. */
const DROPPED_ON_METHOD_CHANGE = new Set([
  'origin',
  'content-type',
  'content-encoding',
  'content-language',
  'content-location',
]);

export function startUrlLoader(
  initial: LoaderRequest,
  events: LoaderEvents,
  env: NetworkEnvironment,
): UrlLoader {
  let cancelled = false;
  let current: { req?: ReturnType<typeof httpRequest>; res?: Readable } = {};
  let redirects = 0;
  let finished = false;
  let requestHeaders = initial.headers;
  const fail = (netError: string): void => {
    if (cancelled || finished) return;
    finished = true;
    events.error(netError);
  };

  for (const [name, value] of initial.headers) {
    if (!isRequestHeaderSafe(name, value)) {
      queueMicrotask(() => fail('net::ERR_INVALID_ARGUMENT'));
      return { cancel: () => void (cancelled = true), writeChunk: async () => {}, endChunks() {} };
    }
  }
  if (initial.body.kind === 'bytes')
    env.stats.peakBufferedUploadBytes = Math.max(
      env.stats.peakBufferedUploadBytes,
      initial.body.data.length,
    );

  const run = (method: string, url: string, body: LoaderBody): void => {
    const target = new URL(url);
    if (target.protocol === 'file:') {
      if (!initial.allowFileScheme) return fail('net::ERR_UNKNOWN_URL_SCHEME');
      return serveFile(target);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      return fail('net::ERR_UNKNOWN_URL_SCHEME');
    env.stats.requests++;
    const headers: Record<string, string> = {};
    for (const [name, value] of requestHeaders) headers[name] = value;
    const has = (n: string): boolean => requestHeaders.some(([k]) => k.toLowerCase() === n);
    if (!has('user-agent')) headers['User-Agent'] = env.userAgent;
    if (!has('accept-encoding')) headers['Accept-Encoding'] = 'gzip, deflate, br';
    if (body.kind === 'bytes') headers['Content-Length'] = String(body.data.length);
    if (body.kind === 'chunked') {
      headers['Transfer-Encoding'] = 'chunked';
      env.stats.chunkedUploads++;
    }
    if (body.kind === 'none' && (method === 'POST' || method === 'PUT'))
      headers['Content-Length'] = '0';
    const secure = target.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(target, {
      method,
      headers,
      agent: secure ? env.httpsAgent : env.httpAgent,
      ...(secure ? { ca: [...rootCertificates, ...env.trustedCertificates] } : {}),
    });
    current = { req };
    // Chromium reads the answer only once the request is sent (net/http/http_stream_parser.cc:
    // ReadResponseHeaders follows STATE_SEND_REQUEST_COMPLETE). Node hands over an answer that
    // comes while the body is still going out (a refusal of an upload); it is held here until
    // the body is sent, or until sending it fails. Only a reset is given that chance
    // (ShouldTryReadingOnUploadError: ERR_CONNECTION_RESET alone; any other upload error fails
    // the request): DoSendBodyComplete stashes it and DoReadHeadersComplete lets a 1xx/4xx/5xx
    // answer override it, so such an answer is delivered, and any other gives way to the error.
    let held: IncomingMessage | null = null;
    const sendFailed = (netError: string): void => {
      const answer = held;
      held = null;
      if (
        answer &&
        netError === 'net::ERR_CONNECTION_RESET' &&
        [1, 4, 5].includes(Math.floor((answer.statusCode ?? 0) / 100))
      )
        return onResponse(answer, method, url, body);
      answer?.destroy();
      fail(netError);
    };
    req.on('error', (error) => sendFailed(netErrorFor(error)));
    // Node ends a request whose connection the server cut after answering with 'close' alone.
    req.on('close', () => {
      if (held) sendFailed('net::ERR_CONNECTION_RESET');
    });
    req.on('response', (res) => {
      if (req.writableFinished) return onResponse(res, method, url, body);
      held = res;
      req.once('finish', () => {
        if (held !== res) return;
        held = null;
        onResponse(res, method, url, body);
      });
    });
    if (body.kind === 'bytes') req.end(body.data);
    else if (body.kind === 'none') req.end();
    // chunked: written by writeChunk / endChunks.
  };

  const onResponse = (
    res: IncomingMessage,
    method: string,
    url: string,
    body: LoaderBody,
  ): void => {
    if (cancelled) return void res.destroy();
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECTS.has(status) && typeof location === 'string') {
      res.resume();
      return onRedirect(status, method, url, body, location, res);
    }
    const head = headOf(res);
    const encoding = String(res.headers['content-encoding'] ?? '')
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
    const stream: Readable = decoder ? res.pipe(decoder) : res;
    decoder?.on('error', () => fail('net::ERR_CONTENT_DECODING_FAILED'));
    current.res = stream;
    const expected = Number(res.headers['content-length'] ?? NaN);
    const chunked = /chunked/i.test(String(res.headers['transfer-encoding'] ?? ''));
    let received = 0;
    res.on('data', (c: Buffer) => (received += c.length));
    res.on('aborted', () =>
      fail(
        Number.isFinite(expected) && received < expected
          ? 'net::ERR_CONTENT_LENGTH_MISMATCH'
          : chunked
            ? 'net::ERR_INCOMPLETE_CHUNKED_ENCODING'
            : 'net::ERR_CONNECTION_RESET',
      ),
    );
    res.on('error', () => undefined); // reported through 'aborted' above
    events.responseStarted(url, head);
    stream.on('data', (chunk: Buffer) => {
      if (cancelled || finished) return;
      stream.pause();
      events.data(chunk, () => stream.resume());
    });
    stream.on('end', () => {
      if (cancelled || finished) return;
      finished = true;
      events.complete();
    });
  };

  const onRedirect = (
    status: number,
    method: string,
    url: string,
    body: LoaderBody,
    location: string,
    res: IncomingMessage,
  ): void => {
    const newUrl = new URL(location, url).toString();
    const changesToGet =
      (status === 303 && method !== 'HEAD') ||
      ((status === 301 || status === 302) && method === 'POST');
    const newMethod = changesToGet ? 'GET' : method;
    const headers: Record<string, string[]> = {};
    for (const [name, values] of headOf(res).headers) headers[name] = values;
    events.redirect({ statusCode: status, newMethod, newUrl }, headers);
    if (cancelled || finished) return;
    const protocol = new URL(newUrl).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') return fail('net::ERR_UNSAFE_REDIRECT');
    if (++redirects > MAX_REDIRECTS) return fail('net::ERR_TOO_MANY_REDIRECTS');
    if (body.kind === 'chunked' && !changesToGet)
      throw new Error(
        'The Electron double does not model following a redirect with a chunked body: do not rely on it.',
      );
    if (newMethod !== method)
      requestHeaders = requestHeaders.filter(
        ([name]) => !DROPPED_ON_METHOD_CHANGE.has(name.toLowerCase()),
      );
    run(newMethod, newUrl, changesToGet ? { kind: 'none' } : body);
  };

  const serveFile = (target: URL): void => {
    const file = createReadStream(fileURLToPath(target));
    file.once('error', () => fail('net::ERR_FILE_NOT_FOUND'));
    file.once('open', () => {
      events.responseStarted(target.toString(), {
        statusCode: 200,
        statusMessage: 'OK',
        headers: new Map(),
        rawHeaders: [],
        httpVersion: { major: 1, minor: 1 },
      });
      file.on('data', (chunk) => {
        if (cancelled || finished) return;
        file.pause();
        events.data(chunk as Buffer, () => file.resume());
      });
      file.on('end', () => {
        if (cancelled || finished) return;
        finished = true;
        events.complete();
      });
    });
    current = { res: file };
  };

  run(initial.method, initial.url, initial.body);

  return {
    cancel() {
      cancelled = true;
      current.req?.destroy();
      current.res?.destroy();
    },
    writeChunk(chunk) {
      const req = current.req;
      if (!req || cancelled || finished) return Promise.resolve();
      return new Promise<void>((resolve) => {
        if (req.write(chunk)) return resolve();
        const done = (): void => {
          req.off('drain', done);
          req.off('close', done);
          resolve();
        };
        req.once('drain', done);
        req.once('close', done);
      });
    },
    endChunks() {
      current.req?.end();
    },
  };
}

function headOf(res: IncomingMessage): ResponseHead {
  const headers = new Map<string, string[]>();
  const rawHeaders: { key: string; value: string }[] = [];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    const key = res.rawHeaders[i]!;
    const value = res.rawHeaders[i + 1]!;
    rawHeaders.push({ key, value });
    const name = key.toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return {
    statusCode: res.statusCode ?? 0,
    statusMessage: res.statusMessage ?? '',
    headers,
    rawHeaders,
    httpVersion: { major: res.httpVersionMajor, minor: res.httpVersionMinor },
  };
}
