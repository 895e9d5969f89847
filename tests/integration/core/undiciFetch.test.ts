/**
 * undiciFetch (the core's transport in plain Node: the CLI, tests, benchmarks) against real
 * servers on 127.0.0.1: the fetch contract every shipped transport keeps (shared with the app's,
 * tests/support/fetchContract.ts), and what is its own: request bodies and their framing,
 * compression, null bodies, keep-alive, bodies cut short, odd answers, aborts. Its variant for
 * downloads from this computer: loopbackGet.test.ts; TLS: undiciFetchTls.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { deferred } from '../../support/deferred';
import { causeOf, fetchContract, rejection } from '../../support/fetchContract';
import { rawAnswer, serve, serveStalledBody } from '../../support/loopbackServers';
import { digestRequest } from '../../support/requestDigest';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const KiB = 1024;
const MiB = 1024 * KiB;
const M = { redirect: 'manual' } as const;

/** The request body as the server received it. */
function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `data` as a web stream of `chunk`-byte pieces; with `failAt`, it errors at that offset. */
function streamOf(data: Buffer, chunk: number, failAt?: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAt !== undefined && offset >= failAt) {
        controller.error(new Error('the source broke'));
        return;
      }
      if (offset >= data.length) {
        controller.close();
        return;
      }
      const n = Math.min(chunk, data.length - offset);
      controller.enqueue(new Uint8Array(data.buffer, data.byteOffset + offset, n));
      offset += n;
    },
  });
}

async function readWeb(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

const contract = fetchContract({ fetch: undiciFetch, ownBody: readWeb });

describe('undiciFetch: requests and answers', () => {
  contract.answers();

  it('sends the method, the headers and a string or byte body with its byte length', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: Buffer } = {};
    const { url } = await serve((req, res) => {
      void readAll(req).then((body) => {
        seen = { method: req.method, headers: req.headers, body };
        res.end('done');
      });
    });
    const body = 'héllo wörld ✓';
    const r = await undiciFetch(`${url}/p?q=1`, {
      ...M,
      method: 'put',
      headers: { 'X-Api-Key': 'k1', 'content-type': 'text/plain' },
      body,
    });
    expect(await r.text()).toBe('done');
    expect(seen.method).toBe('PUT');
    expect(seen.headers!['x-api-key']).toBe('k1');
    expect(seen.headers!['content-type']).toBe('text/plain');
    expect(seen.headers!['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(seen.body!.toString('utf8')).toBe(body);

    const bytes = randomBytes(1000);
    await (await undiciFetch(url, { ...M, method: 'POST', body: bytes })).text();
    expect(seen.method).toBe('POST');
    expect(seen.headers!['content-length']).toBe('1000');
    expect(sha(seen.body!)).toBe(sha(bytes));
  });

  it("sends accept-encoding 'identity' unless told otherwise, and decodes a gzip answer", async () => {
    const payload = { text: 'x'.repeat(10_000), list: [1, 2, 3] };
    const encodings: (string | undefined)[] = [];
    const { url } = await serve((req, res) => {
      encodings.push(req.headers['accept-encoding']);
      const gz = gzipSync(JSON.stringify(payload));
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': gz.length,
      });
      res.end(gz);
    });
    expect(await (await undiciFetch(url, M)).json()).toEqual(payload);
    const r2 = await undiciFetch(url, { ...M, headers: { 'accept-encoding': 'gzip' } });
    expect(JSON.parse((await readWeb(r2)).toString('utf8'))).toEqual(payload);
    expect(encodings).toEqual(['identity', 'gzip']);
  });

  it('gives a null body for 204, 304 and HEAD, without hanging', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/204') return void res.writeHead(204).end();
      if (req.url === '/304') return void res.writeHead(304, { etag: '"v1"' }).end();
      res.writeHead(200, { 'content-length': 1000, 'content-type': 'video/webm' });
      res.end(req.method === 'HEAD' ? undefined : Buffer.alloc(1000));
    });
    for (const [path, method, status] of [
      ['/204', 'GET', 204],
      ['/304', 'GET', 304],
      ['/head', 'HEAD', 200],
    ] as const) {
      const r = await undiciFetch(`${url}${path}`, { ...M, method });
      expect(r.status).toBe(status);
      expect(r.body).toBeNull();
      expect(await r.text()).toBe('');
    }
    const r = await undiciFetch(`${url}/get`, M);
    expect((await r.arrayBuffer()).byteLength).toBe(1000);
  });

  it('keeps connections alive once a body was read', async () => {
    const ports: number[] = [];
    const { url } = await serve((req, res) => {
      ports.push(req.socket.remotePort!);
      res.end('hello');
    });
    const read = async () => (await undiciFetch(url, M)).text();
    // As polling does, with a wait between calls (here one turn of the event loop): one
    // connection serves them all.
    for (let i = 0; i < 4; i++) {
      expect(await read()).toBe('hello');
      await setImmediate();
    }
    expect(ports).toHaveLength(4);
    expect(new Set(ports).size).toBe(1);
    // Back to back, undici may open a second one before it sees the first is free: no more.
    ports.length = 0;
    for (let i = 0; i < 6; i++) expect(await read()).toBe('hello');
    expect(ports).toHaveLength(6);
    expect(new Set(ports).size).toBeLessThanOrEqual(2);
  });
});

describe('undiciFetch: redirects are never followed', () => {
  contract.redirects();
});

describe('undiciFetch: failures', () => {
  contract.failures();

  it('rejects an invalid or non-http URL before sending anything', async () => {
    await expect(undiciFetch('not a url', M)).rejects.toBeInstanceOf(TypeError);
    await expect(undiciFetch('/relative/path', M)).rejects.toBeInstanceOf(TypeError);
    await expect(undiciFetch('ftp://127.0.0.1/file', M)).rejects.toThrow('fetch failed');
    await expect(undiciFetch('file:///etc/passwd', M)).rejects.toThrow('fetch failed');
  });

  it("never ends a body short: a cut after half the content-length rejects as 'terminated'", async () => {
    const body = randomBytes(256 * KiB);
    const gz = gzipSync(randomBytes(256 * KiB));
    let mode: { cut: 'clean' | 'reset'; gzip: boolean } = { cut: 'clean', gzip: false };
    const { url } = await serve((_req, res) => {
      const payload = mode.gzip ? gz : body;
      const headers: Record<string, string | number> = { 'content-length': payload.length };
      if (mode.gzip) headers['content-encoding'] = 'gzip';
      res.writeHead(200, headers);
      res.write(payload.subarray(0, payload.length / 2), () => {
        if (mode.cut === 'reset') res.socket?.resetAndDestroy();
        else res.socket?.end();
      });
    });
    for (const cut of ['clean', 'reset'] as const)
      for (const gzip of [false, true]) {
        mode = { cut, gzip };
        causeOf(await rejection(readWeb(await undiciFetch(url, M))), 'terminated');
      }
  });

  it('rejects a chunked body cut inside a chunk, or before its last chunk', async () => {
    for (const answer of [
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n10\r\nhalf',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nwhol\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nwhol\r\n0\r\n',
    ]) {
      const srv = await rawAnswer(answer);
      causeOf(await rejection(readWeb(await undiciFetch(srv.url, M))), 'terminated');
    }
  });
});

describe('undiciFetch: whatever a server sends', () => {
  it('keeps a latin-1 reason phrase, and an odd one never throws out of the transport', async () => {
    const latin = await undiciFetch(
      (await rawAnswer('HTTP/1.1 418 I\u00e9m a teapot\r\ncontent-length: 2\r\n\r\nok')).url,
      M,
    );
    expect(latin.status).toBe(418);
    expect(await latin.text()).toBe('ok');
    const odd = await undiciFetch(
      (await rawAnswer('HTTP/1.1 200 O\u0001K\r\ncontent-length: 2\r\n\r\nok')).url,
      M,
    ).then(
      (r) => ({ statusText: r.statusText }),
      (e: unknown) => ({ error: (e as Error).message }),
    );
    expect(odd).toSatisfy(
      (o: { statusText?: string; error?: string }) =>
        o.statusText === '' || o.error === 'fetch failed',
    );
  });

  it("rejects a status fetch cannot represent, or a malformed or ambiguous head, with 'fetch failed'", async () => {
    for (const answer of [
      'HTTP/1.1 600 Nope\r\ncontent-length: 0\r\n\r\n',
      'hello there\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello!',
      // Both framings at once: how a body is smuggled past one of two parsers.
      'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    ]) {
      const e = await rejection(undiciFetch((await rawAnswer(answer)).url, M));
      causeOf(e, 'fetch failed');
    }
  });
});

describe('undiciFetch: aborts', () => {
  contract.aborts();

  it('rejects a body not yet read with the reason when aborted after the answer', async () => {
    const { url } = await serveStalledBody(Buffer.alloc(1000), 1_000_000);
    const ac = new AbortController();
    const r = await undiciFetch(url, { ...M, signal: ac.signal });
    await sleep(20);
    const reason = new Error('not wanted any more');
    ac.abort(reason);
    await expect(readWeb(r)).rejects.toBe(reason);
  });
});

describe('undiciFetch: streamed request bodies', () => {
  const data = randomBytes(8 * MiB + 123);

  it.each([
    { framing: 'with a content-length (bodyLength)', method: 'PUT', length: true },
    { framing: 'chunked', method: 'POST', length: false },
  ])('sends an 8 MiB ReadableStream byte for byte, $framing', async ({ method, length }) => {
    const { url } = await serve((req, res) => {
      void digestRequest(req).then((digest) => res.end(JSON.stringify(digest)));
    });
    const r = await undiciFetch(url, {
      ...M,
      method,
      body: streamOf(data, 64 * KiB),
      duplex: 'half',
      ...(length ? { bodyLength: data.length } : {}),
    } as RequestInit);
    expect(await r.json()).toEqual({
      sha: sha(data),
      bytes: data.length,
      length: length ? String(data.length) : null,
      te: length ? null : 'chunked',
    });
  });

  it('rejects when the body stream errors half way, and the server sees an incomplete request', async () => {
    const seen = deferred<{ complete: boolean; bytes: number }>();
    const { url } = await serve((req) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('error', () => undefined);
      req.once('close', () => seen.resolve({ complete: req.complete, bytes }));
    });
    const e = await rejection(
      undiciFetch(url, {
        ...M,
        method: 'PUT',
        body: streamOf(data, 64 * KiB, data.length / 2),
        duplex: 'half',
        bodyLength: data.length,
      } as RequestInit),
    );
    expect(causeOf(e, 'fetch failed').message).toBe('the source broke');
    const server = await seen.promise;
    expect(server.complete).toBe(false);
    expect(server.bytes).toBeLessThan(data.length);
  });

  it('refuses a body it does not send (FormData) before sending anything', async () => {
    await expect(
      undiciFetch('http://127.0.0.1:1/', { ...M, method: 'POST', body: new FormData() }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});
