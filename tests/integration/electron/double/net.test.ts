/**
 * The Electron double's `net` (tests/support/electron/net/) refuses what Electron's refuses and
 * fails the way it fails, against real servers on 127.0.0.1 (real TLS where it matters). One
 * test or a few per rule; the comment above each names the source of the rule.
 */
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createElectronDouble, type ElectronDouble } from '../../../support/electron';
import type { ClientRequestDouble } from '../../../support/electron/net/clientRequest';
import type { IncomingMessageDouble } from '../../../support/electron/net/incomingMessage';
import { rawAnswer, serve, serveStalledBody } from '../../../support/loopbackServers';
import { startRecordingServer, type Handler } from '../../../support/recordingServer';

const TLS = join(import.meta.dirname, '../../../fixtures/tls');

function readyDouble(options: { trustedCertificates?: string[] } = {}): ElectronDouble {
  const double = createElectronDouble({ userData: '/nonexistent', ...options });
  double.control.emitReady();
  return double;
}

const electron = readyDouble();
afterAll(() => electron.control.dispose());
const { net } = electron.main;

/** A recording server on 127.0.0.1:0 (answering 200 'ok' unless told), closed after the test. */
async function record(handler: Handler = (_req, res) => res.end('ok')) {
  const server = await startRecordingServer(handler);
  onTestFinished(() => server.close());
  return server;
}

interface Outcome {
  error?: Error;
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: Buffer;
}

/** Ends the request (with `body`) and settles on its first 'error', or on the whole response. */
function settle(r: ClientRequestDouble, body?: Buffer | string): Promise<Outcome> {
  return new Promise((resolve) => {
    r.on('error', (error: Error) => resolve({ error }));
    r.on('response', (res: IncomingMessageDouble) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (error: Error) => resolve({ error }));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    if (body === undefined) r.end();
    else r.end(body);
  });
}

/** Ends a bodiless request and resolves with its response (an IncomingMessage). */
async function responseOf(r: ClientRequestDouble): Promise<IncomingMessageDouble> {
  const response = once(r, 'response');
  r.end();
  return ((await response) as [IncomingMessageDouble])[0];
}

describe('net before the app is ready', () => {
  // lib/browser/api/net.ts request(): `if (!app.isReady()) throw new Error(...)`.
  it('net.request throws Error("net module can only be used after app is ready"), not a TypeError, and nothing reaches the server', async () => {
    const server = await record();
    const early = createElectronDouble({ userData: '/nonexistent' });
    onTestFinished(() => early.control.dispose());
    let thrown: unknown;
    try {
      early.main.net.request(server.url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toBe('net module can only be used after app is ready');
    expect(server.requests).toHaveLength(0);
  });

  // lib/browser/api/net.ts fetch() is session.defaultSession.fetch; the defaultSession getter
  // throws a TypeError before ready (shell/browser/api/electron_api_session.cc FromPartition).
  it('net.fetch throws TypeError("Session can only be received when app is ready") at once, before any promise, and nothing reaches the server', async () => {
    const server = await record();
    const early = createElectronDouble({ userData: '/nonexistent' });
    onTestFinished(() => early.control.dispose());
    expect(() => early.main.net.fetch(server.url)).toThrow(
      new TypeError('Session can only be received when app is ready'),
    );
    expect(() => early.main.net.fetch(server.url)).toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('restricted request headers', () => {
  // Chromium services/network/public/cpp/header_util.cc IsRequestHeaderSafe (kUnsafeHeaders,
  // Connection: upgrade, any "Proxy-"), reached through CorsURLLoaderFactory: the request fails
  // with net::ERR_INVALID_ARGUMENT (electron/electron#21091; electron.d.ts ClientRequest.setHeader).
  it.each([
    ['Content-Length', '5'],
    ['Host', 'example.com'],
    ['Trailer', 'Expires'],
    ['Te', 'trailers'],
    ['Upgrade', 'websocket'],
    ['Cookie2', '$Version=1'],
    ['Keep-Alive', 'timeout=5'],
    ['Transfer-Encoding', 'chunked'],
    ['Connection', 'upgrade'],
    ['Connection', 'Upgrade'],
    ['Proxy-Authorization', 'Basic Zm9vOmJhcg=='],
    ['Proxy-Connection', 'keep-alive'],
    ['Set-Cookie', 'a=1'],
  ])(
    'net.request refuses %s: %s: the request fails with net::ERR_INVALID_ARGUMENT and nothing reaches the server',
    async (name, value) => {
      const server = await record();
      const r = net.request({ url: server.url, method: 'POST' });
      r.setHeader(name, value);
      const outcome = await settle(r, 'hello');
      expect(outcome.error).toBeInstanceOf(Error);
      expect(outcome.error?.message).toBe('net::ERR_INVALID_ARGUMENT');
      expect(outcome.status).toBeUndefined();
      expect(server.requests).toHaveLength(0);
    },
  );

  // header_util.cc: only the listed names are unsafe; Authorization is "deliberately not
  // included", and Connection is unsafe only with the value upgrade.
  it('net.request passes X-API-KEY, Authorization, Cookie, Connection: keep-alive and custom headers to the server as given', async () => {
    const server = await record();
    const r = net.request(server.url);
    r.setHeader('X-API-KEY', 'ffsk_test');
    r.setHeader('Authorization', 'Bearer abc');
    r.setHeader('Cookie', 'session=1');
    r.setHeader('Connection', 'keep-alive');
    r.setHeader('X-Trace', 'one');
    const outcome = await settle(r);
    expect(outcome.status).toBe(200);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers).toMatchObject({
      'x-api-key': 'ffsk_test',
      authorization: 'Bearer abc',
      cookie: 'session=1',
      'x-trace': 'one',
    });
  });

  // lib/browser/api/net-fetch.ts copies every header with setHeader and rejects with the
  // ClientRequest's own error: `r.on('error', (err) => { p.reject(err); })`.
  it('net.fetch with a restricted header rejects with a plain Error("net::ERR_INVALID_ARGUMENT"), not a TypeError, and nothing reaches the server', async () => {
    const server = await record();
    const error = await net
      .fetch(server.url, { method: 'POST', body: 'x', headers: { 'Content-Length': '1' } })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('net::ERR_INVALID_ARGUMENT');
    expect(server.requests).toHaveLength(0);
  });
});

describe('ClientRequest refusals', () => {
  // lib/common/api/net-client-request.ts validateHeader: isValidHeaderName / isValidHeaderValue,
  // thrown at once by setHeader and by the constructor's `headers`.
  it('setHeader throws at once for an invalid header name or a value with CR/LF, and so do the options headers', () => {
    const r = net.request('http://127.0.0.1:9/');
    expect(() => r.setHeader('Bad Header', 'x')).toThrow("Invalid header name: 'Bad Header'");
    expect(() => r.setHeader('X-Ok', 'a\r\nInjected: 1')).toThrow(
      "Invalid value for header 'X-Ok': 'a\r\nInjected: 1'",
    );
    expect(() => net.request({ url: 'http://127.0.0.1:9/', headers: { 'a:b': 'x' } })).toThrow(
      "Invalid header name: 'a:b'",
    );
    r.abort();
  });

  // net-client-request.ts setHeader / removeHeader: `if (this._started || this._firstWrite)`.
  it('setHeader and removeHeader throw "Can\'t set headers after they are sent" after the first write', async () => {
    const server = await record();
    const r = net.request({ url: server.url, method: 'POST' });
    r.setHeader('X-Before', '1');
    r.write('part one');
    expect(() => r.setHeader('X-After', '1')).toThrow("Can't set headers after they are sent");
    expect(() => r.removeHeader('X-Before')).toThrow("Can't remove headers after they are sent");
    const outcome = await settle(r, ' and two');
    expect(outcome.status).toBe(200);
    expect(server.requests[0]!.headers['x-after']).toBeUndefined();
    expect(server.requests[0]!.headers['x-before']).toBe('1');
  });

  // net-client-request.ts `set chunkedEncoding`: "can only be set once".
  it('chunkedEncoding set twice throws "chunkedEncoding can only be set once"', () => {
    const r = net.request('http://127.0.0.1:9/');
    r.chunkedEncoding = false;
    expect(() => {
      r.chunkedEncoding = true;
    }).toThrow('chunkedEncoding can only be set once');
    expect(r.chunkedEncoding).toBe(false);
    r.abort();
  });

  // net-client-request.ts `set chunkedEncoding`: "can only be set before the request is started".
  it('chunkedEncoding set after the request started throws "chunkedEncoding can only be set before the request is started"', async () => {
    const server = await record();
    const r = net.request(server.url);
    const response = once(r, 'response');
    r.end();
    await response;
    expect(() => {
      r.chunkedEncoding = true;
    }).toThrow('chunkedEncoding can only be set before the request is started');
  });
});

describe('request bodies', () => {
  // net-client-request.ts: without chunkedEncoding, _write goes to a SlurpStream that keeps
  // everything until end(); the loader then sends it with its length.
  it('without chunkedEncoding the body is collected whole: peakBufferedUploadBytes equals the body size and the server sees Content-Length', async () => {
    const double = readyDouble();
    onTestFinished(() => double.control.dispose());
    const server = await record();
    const r = double.main.net.request({ url: server.url, method: 'PUT' });
    const part = Buffer.alloc(64 * 1024, 7);
    r.write(part);
    r.write(part);
    expect(server.requests).toHaveLength(0);
    const outcome = await settle(r, part);
    expect(outcome.status).toBe(200);
    expect(double.control.network.stats.peakBufferedUploadBytes).toBe(3 * part.length);
    expect(double.control.network.stats.chunkedUploads).toBe(0);
    expect(server.requests[0]!.headers['content-length']).toBe(String(3 * part.length));
    expect(server.requests[0]!.headers['transfer-encoding']).toBeUndefined();
    expect(server.requests[0]!.bodyBytes).toBe(3 * part.length);
  });

  // net-client-request.ts ChunkedBodyStream: the first write starts the request; each chunk
  // goes down the data pipe as it comes (a chunked upload).
  it('with chunkedEncoding the body is sent chunked: the server sees Transfer-Encoding: chunked and nothing is buffered', async () => {
    const double = readyDouble();
    onTestFinished(() => double.control.dispose());
    const server = await record();
    const r = double.main.net.request({ url: server.url, method: 'PUT' });
    r.chunkedEncoding = true;
    const part = Buffer.alloc(64 * 1024, 7);
    r.write(part);
    r.write(part);
    const outcome = await settle(r, part);
    expect(outcome.status).toBe(200);
    expect(double.control.network.stats.peakBufferedUploadBytes).toBe(0);
    expect(double.control.network.stats.chunkedUploads).toBe(1);
    expect(server.requests[0]!.headers['transfer-encoding']).toBe('chunked');
    expect(server.requests[0]!.headers['content-length']).toBeUndefined();
    expect(server.requests[0]!.bodyBytes).toBe(3 * part.length);
  });

  // net/http/http_stream_parser.cc: ReadResponseHeaders comes after STATE_SEND_REQUEST_COMPLETE,
  // so an answer the server sends while the body is still going out (a refused upload) is read
  // only once the body is sent.
  it('an answer sent while a chunked body is still going out is read only once the body is sent', async () => {
    // A plain server answering from the head, then reading (and dropping) the body.
    const server = await serve((req, res) => {
      res.writeHead(507, { 'Content-Type': 'application/json' });
      res.end('{"detail":"full"}');
      req.resume();
    });
    onTestFinished(() => server.close());
    const r = net.request({ url: server.url, method: 'POST' });
    r.chunkedEncoding = true;
    let answered = false;
    r.on('response', () => (answered = true));
    r.write(Buffer.alloc(64 * 1024, 1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    const outcome = await settle(r, Buffer.alloc(64 * 1024, 2));
    expect(outcome.status).toBe(507);
    expect(outcome.body?.toString()).toBe('{"detail":"full"}');
  });

  // http_stream_parser.cc: DoSendBodyComplete stashes an upload error it may read after
  // (ShouldTryReadingOnUploadError), and DoReadHeadersComplete lets a 1xx/4xx/5xx answer
  // override it; any other answer gives way to the error.
  it('when sending the body fails after an answer came, a 4xx/5xx answer is delivered and a 2xx gives way to the error', async () => {
    // A plain server: it answers from the head, reads nothing, and cuts the connection.
    const cut = async (status: number) => {
      const server = await serve((req, res) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end('{"detail":"said"}');
        setTimeout(() => req.socket.destroy(), 50);
      });
      onTestFinished(() => server.close());
      return server;
    };
    for (const [status, expected] of [
      [507, { status: 507 }],
      [200, { error: true }],
    ] as const) {
      const server = await cut(status);
      const r = net.request({ url: server.url, method: 'POST' });
      r.chunkedEncoding = true;
      const outcome = new Promise<Outcome>((resolve) => {
        r.on('error', (error: Error) => resolve({ error }));
        r.on('response', (res: IncomingMessageDouble) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        });
      });
      // Written on after the cut (the body is never ended): the cut is what ends it.
      for (let i = 0; i < 30; i++) {
        r.write(Buffer.alloc(256 * 1024, 3));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const got = await outcome;
      if ('status' in expected) {
        expect(got.status).toBe(expected.status);
        expect(got.body?.toString()).toBe('{"detail":"said"}');
      } else {
        expect(got.error?.message).toMatch(/^net::ERR_/);
      }
    }
  });

  // lib/browser/api/net-fetch.ts: the body is piped into a ClientRequest that never sets
  // chunkedEncoding, so even a stream is collected whole before anything is sent.
  it('net.fetch collects a streamed body whole before sending it: peakBufferedUploadBytes equals its size and the server sees Content-Length', async () => {
    const double = readyDouble();
    onTestFinished(() => double.control.dispose());
    const server = await record();
    const part = new Uint8Array(256 * 1024).fill(3);
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ < 4) controller.enqueue(part);
        else controller.close();
      },
    });
    const response = await double.main.net.fetch(server.url, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await response.text()).toBe('ok');
    expect(double.control.network.stats.peakBufferedUploadBytes).toBe(4 * part.length);
    expect(double.control.network.stats.chunkedUploads).toBe(0);
    expect(server.requests[0]!.headers['content-length']).toBe(String(4 * part.length));
    expect(server.requests[0]!.headers['transfer-encoding']).toBeUndefined();
  });
});

describe('redirects', () => {
  const redirectTo =
    (status: number, location: string): Handler =>
    (_req, res) => {
      res.writeHead(status, { location });
      res.end();
    };

  // net-client-request.ts 'redirect' handler for 'manual': followRedirect() works only inside
  // the synchronous emit; otherwise `this._die(new Error('Redirect was cancelled'))`.
  it("redirect 'manual' without a listener dies with Error('Redirect was cancelled') and the target sees nothing", async () => {
    const target = await record();
    const origin = await record(redirectTo(302, target.url));
    const outcome = await settle(net.request({ url: origin.url, redirect: 'manual' }));
    expect(outcome.error?.message).toBe('Redirect was cancelled');
    expect(outcome.status).toBeUndefined();
    expect(target.requests).toHaveLength(0);
  });

  // Same rule: a followRedirect() after the 'redirect' event has returned is too late, and
  // throws "followRedirect() called, but was not waiting for a redirect".
  it("redirect 'manual' with a followRedirect() called later dies with 'Redirect was cancelled', and the late call throws", async () => {
    const target = await record();
    const origin = await record(redirectTo(302, target.url));
    const r = net.request({ url: origin.url, redirect: 'manual' });
    const late = new Promise<unknown>((resolve) => {
      r.on('redirect', () =>
        setImmediate(() => {
          try {
            r.followRedirect();
            resolve(null);
          } catch (error) {
            resolve(error);
          }
        }),
      );
    });
    const outcome = await settle(r);
    expect(outcome.error?.message).toBe('Redirect was cancelled');
    expect(((await late) as Error).message).toBe(
      'followRedirect() called, but was not waiting for a redirect',
    );
    expect(target.requests).toHaveLength(0);
  });

  // net-client-request.ts: followRedirect() inside the 'redirect' event lets the loader go on
  // (electron_api_url_loader.cc OnRedirect follows unless JS cancelled).
  it("redirect 'manual' with a synchronous followRedirect() follows, and the 'redirect' event tells status, method and URL", async () => {
    const target = await record();
    const origin = await record(redirectTo(307, `${target.url}/next`));
    const r = net.request({ url: origin.url, redirect: 'manual' });
    const seen: unknown[] = [];
    r.on('redirect', (status: number, method: string, url: string) => {
      seen.push({ status, method, url });
      r.followRedirect();
    });
    const outcome = await settle(r);
    expect(outcome.status).toBe(200);
    expect(outcome.body?.toString()).toBe('ok');
    expect(seen).toEqual([{ status: 307, method: 'GET', url: `${target.url}/next` }]);
    expect(target.requests.map((q) => q.url)).toEqual(['/next']);
  });

  // net-client-request.ts: policy 'error' → `new Error("Attempted to redirect, but redirect
  // policy was 'error'")`.
  it("redirect 'error' fails with \"Attempted to redirect, but redirect policy was 'error'\" and the target sees nothing", async () => {
    const target = await record();
    const origin = await record(redirectTo(301, target.url));
    const outcome = await settle(net.request({ url: origin.url, redirect: 'error' }));
    expect(outcome.error?.message).toBe("Attempted to redirect, but redirect policy was 'error'");
    expect(target.requests).toHaveLength(0);
  });

  // net-client-request.ts: redirect defaults to 'follow'; net/url_request/redirect_util.cc
  // UpdateHttpRequest keeps custom headers on a cross-origin redirect. This is why the app's
  // transport never lets Electron follow: the key would go to whatever origin the answer names.
  it("the default 'follow' sends X-API-KEY on to another origin", async () => {
    const elsewhere = await record();
    const origin = await record(redirectTo(302, `${elsewhere.url}/steal`));
    const r = net.request(origin.url);
    r.setHeader('X-API-KEY', 'ffsk_secret');
    const outcome = await settle(r);
    expect(outcome.status).toBe(200);
    expect(new URL(origin.url).port).not.toBe(new URL(elsewhere.url).port);
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.requests[0]!.headers['x-api-key']).toBe('ffsk_secret');
  });

  // net::RedirectUtil: a 303 makes the method GET and drops the body and, the method having
  // changed, the body's headers (redirect_util.cc UpdateHttpRequest).
  it('a 303 turns a POST into a GET without its body or Content-Type, keeping other headers', async () => {
    const target = await record();
    const origin = await record(redirectTo(303, `${target.url}/result`));
    const r = net.request({ url: origin.url, method: 'POST' });
    r.setHeader('Content-Type', 'application/json');
    r.setHeader('X-Trace', 'kept');
    const outcome = await settle(r, '{"a":1}');
    expect(outcome.status).toBe(200);
    expect(origin.requests[0]).toMatchObject({ method: 'POST', bodyBytes: 7 });
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]).toMatchObject({ method: 'GET', url: '/result', bodyBytes: 0 });
    expect(target.requests[0]!.headers['content-type']).toBeUndefined();
    expect(target.requests[0]!.headers['x-trace']).toBe('kept');
  });

  // lib/browser/api/net-fetch.ts registers no 'redirect' listener, so redirect 'manual' is
  // ClientRequest's 'manual' with nobody to follow: Error('Redirect was cancelled'), no 3xx.
  it("net.fetch with redirect 'manual' rejects with Error('Redirect was cancelled') instead of returning the 3xx", async () => {
    const target = await record();
    const origin = await record(redirectTo(302, target.url));
    const error = await net.fetch(origin.url, { redirect: 'manual' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('Redirect was cancelled');
    expect(target.requests).toHaveLength(0);
  });
});

describe('net.fetch responses', () => {
  // net-fetch.ts builds `new Response(body, { headers, status, statusText })`; electron.d.ts
  // net.fetch: "The .type and .url values of the returned Response object are incorrect".
  it("net.fetch's Response has type 'default' and url '', whatever was fetched", async () => {
    const server = await record((_req, res) => {
      res.writeHead(201, 'Made', { 'content-type': 'text/plain' });
      res.end('made');
    });
    const response = await net.fetch(`${server.url}/thing`);
    expect(response.type).toBe('default');
    expect(response.url).toBe('');
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(await response.text()).toBe('made');
  });
});

describe('failures', () => {
  // net-client-request.ts: the loader's 'error' becomes `new Error(netErrorString)`; net-fetch.ts
  // rejects with it (Chromium's net_error_list.h: CONNECTION_REFUSED).
  it("a refused port: net.fetch rejects with Error('net::ERR_CONNECTION_REFUSED'), not TypeError('fetch failed'), and net.request emits it", async () => {
    const server = await serve((_req, res) => res.end());
    await server.close();
    const error = await net.fetch(server.url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('net::ERR_CONNECTION_REFUSED');
    const outcome = await settle(net.request(server.url));
    expect(outcome.error?.message).toBe('net::ERR_CONNECTION_REFUSED');
  });

  // Chromium's HttpStreamParser: a body that ends before its Content-Length is
  // ERR_CONTENT_LENGTH_MISMATCH; net-client-request.ts destroys the response with that Error.
  it('a body shorter than its Content-Length errors the response with net::ERR_CONTENT_LENGTH_MISMATCH, for net.request and net.fetch', async () => {
    const server = await rawAnswer(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly this',
    );
    const outcome = await settle(net.request(server.url));
    expect(outcome.error?.message).toBe('net::ERR_CONTENT_LENGTH_MISMATCH');
    expect(outcome.status).toBeUndefined();

    const response = await net.fetch(server.url);
    expect(response.status).toBe(200);
    const bodyError = await response.arrayBuffer().then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((bodyError as Error)?.message)).toContain('net::ERR_CONTENT_LENGTH_MISMATCH');
  });

  /** An https server on 127.0.0.1:0 with the test CA's certificate for IP:127.0.0.1. */
  async function serveTls(): Promise<{ url: string; requests: () => number }> {
    let requests = 0;
    const server = createHttpsServer(
      { cert: readFileSync(join(TLS, 'server.crt')), key: readFileSync(join(TLS, 'server.key')) },
      (_req: IncomingMessage, res: ServerResponse) => {
        requests++;
        res.end('secret answer');
      },
    );
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `https://127.0.0.1:${port}/`, requests: () => requests };
  }

  // Chromium verifies with the OS store (net_error_list.h CERT_AUTHORITY_INVALID for an unknown
  // issuer); the double's "OS store" is Node's roots plus control.trustedCertificates.
  it('an untrusted certificate gives net::ERR_CERT_AUTHORITY_INVALID and the request never reaches the handler', async () => {
    const server = await serveTls();
    const r = net.request(server.url);
    r.setHeader('X-API-KEY', 'ffsk_secret');
    const outcome = await settle(r);
    expect(outcome.error?.message).toBe('net::ERR_CERT_AUTHORITY_INVALID');
    const error = await net.fetch(server.url).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('net::ERR_CERT_AUTHORITY_INVALID');
    expect(server.requests()).toBe(0);
  });

  // The same rule, the other way: once the OS trusts the issuer, Chromium accepts the server.
  it("the same server is accepted once its CA is in the double's trustedCertificates", async () => {
    const server = await serveTls();
    const trusting = readyDouble({
      trustedCertificates: [readFileSync(join(TLS, 'ca.crt'), 'utf8')],
    });
    onTestFinished(() => trusting.control.dispose());
    const outcome = await settle(trusting.main.net.request(server.url));
    expect(outcome.status).toBe(200);
    expect(outcome.body?.toString()).toBe('secret answer');
    const response = await trusting.main.net.fetch(server.url);
    expect(await response.text()).toBe('secret answer');
    expect(server.requests()).toBe(2);
  });
});

describe('responses', () => {
  // Chromium's network stack decodes Content-Encoding itself (the header stays), so Electron's
  // IncomingMessage and net.fetch give the decoded bytes.
  it('a gzip body arrives decoded, to net.request and to net.fetch', async () => {
    const text = 'decoded by the network stack\n'.repeat(200);
    const server = await record((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      res.end(gzipSync(text));
    });
    const outcome = await settle(net.request(server.url));
    expect(outcome.body?.toString()).toBe(text);
    expect(outcome.headers?.['content-encoding']).toBe('gzip');
    const response = await net.fetch(server.url);
    expect(await response.text()).toBe(text);
    expect(server.requests[0]!.headers['accept-encoding']).toContain('gzip');
  });

  // net-client-request.ts IncomingMessage: `headers` keeps the first value for Node's
  // discardable duplicates, joins the others with ', ', and keeps set-cookie as an array;
  // `trailers` and `rawTrailers` throw "HTTP trailers are not supported".
  it('IncomingMessage.headers: the first value for content-type and location, the others joined, set-cookie an array; trailers throw', async () => {
    const server = await record((_req, res) => {
      res.setHeader('Content-Type', ['text/plain', 'text/html']);
      res.setHeader('Location', ['/first', '/second']);
      res.setHeader('X-Multi', ['a', 'b']);
      res.setHeader('Set-Cookie', ['one=1', 'two=2']);
      res.end('ok');
    });
    const response = await responseOf(net.request(server.url));
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.headers.location).toBe('/first');
    expect(response.headers['x-multi']).toBe('a, b');
    expect(response.headers['set-cookie']).toEqual(['one=1', 'two=2']);
    expect(response.rawHeaders).toEqual(expect.arrayContaining(['X-Multi', 'a', 'X-Multi', 'b']));
    expect(() => response.trailers).toThrow('HTTP trailers are not supported');
    expect(() => response.rawTrailers).toThrow('HTTP trailers are not supported');
    response.resume();
    await once(response, 'end');
  });
});

describe('abort', () => {
  // net-client-request.ts abort(): emits 'abort' on the next tick and _die() with no error.
  it("abort() emits 'abort' and no 'error', on the request or its response", async () => {
    const server = await serveStalledBody(Buffer.from('first bytes'), 1000);
    const r = net.request(server.url);
    const errors: unknown[] = [];
    r.on('error', (e) => errors.push(e));
    const response = await responseOf(r);
    response.on('error', (e) => errors.push(e));
    // The request ended (end()), so autoDestroy already closed it: wait for 'abort' and for
    // the connection to be cut, then a turn of the loop for any late 'error'.
    const aborted = once(r, 'abort');
    r.abort();
    await aborted;
    await server.closed(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual([]);
  });

  // net-client-request.ts ChunkedBodyStream.startReading: `if (this._clientRequest._aborted)
  // return;` — the callback of the write pending when abort() came is dropped.
  it("after abort() a pending chunked write's callback is never called", async () => {
    const server = await record();
    const r = net.request({ url: server.url, method: 'POST' });
    r.chunkedEncoding = true;
    const calls: unknown[] = [];
    r.on('error', () => undefined);
    r.write(Buffer.alloc(1024, 1), (error) => calls.push(error ?? 'called'));
    r.abort();
    await once(r, 'abort');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.destroyed).toBe(true);
    expect(calls).toEqual([]);
  });
});
