/**
 * nodeHttpFetch (the core's default transport in plain Node) against real servers on
 * 127.0.0.1: the parts of fetch's contract the core relies on (status, headers, bodies,
 * redirects never followed, failures as TypeError with a cause, aborts, streamed uploads,
 * cut bodies never ending short, gzip, null bodies, keep-alive) and takeNodeBody. The cases
 * plainHttpGet shares with it are registered from tests/support/fetchContract.ts.
 */
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  NODE_HTTP_UPLOAD_CHUNK_BYTES,
  nodeHttpFetch,
  takeNodeBody,
} from '../../../electron/core/client/nodeHttpFetch';
import { deferred } from '../../support/deferred';
import { causeOf, fetchContract, rejection } from '../../support/fetchContract';
import { rawAnswer, serve, serveStalledBody } from '../../support/loopbackServers';
import { digestRequest } from '../../support/requestDigest';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

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

async function drainNode(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const M = { redirect: 'manual' } as const;

const contract = fetchContract({
  fetch: nodeHttpFetch,
  ownBody: (response) => drainNode(takeNodeBody(response)!),
});

describe('nodeHttpFetch: requests and answers', () => {
  contract.answers();

  it('sends the method, the headers and a string body with its byte length', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: Buffer } = {};
    const { url } = await serve((req, res) => {
      void readAll(req).then((body) => {
        seen = { method: req.method, headers: req.headers, body };
        res.end('done');
      });
    });
    const body = 'héllo wörld ✓';
    const r = await nodeHttpFetch(`${url}/p?q=1`, {
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
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    expect(seen.body!.toString('utf8')).toBe(body);

    const bytes = randomBytes(1000);
    const r2 = await nodeHttpFetch(url, { ...M, method: 'POST', body: bytes });
    await r2.text();
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
    const r = await nodeHttpFetch(url, M);
    expect(await r.json()).toEqual(payload);
    const r2 = await nodeHttpFetch(url, { ...M, headers: { 'accept-encoding': 'gzip' } });
    const stream = takeNodeBody(r2);
    expect(stream).not.toBeNull();
    expect(JSON.parse((await drainNode(stream!)).toString('utf8'))).toEqual(payload);
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
      const r = await nodeHttpFetch(`${url}${path}`, { ...M, method });
      expect(r.status).toBe(status);
      expect(r.body).toBeNull();
      expect(takeNodeBody(r)).toBeNull();
      expect(await r.text()).toBe('');
    }
    // The connection is still good afterwards.
    const r = await nodeHttpFetch(`${url}/get`, M);
    expect((await r.arrayBuffer()).byteLength).toBe(1000);
  });

  it('keeps the connection alive for the next request once a body was read', async () => {
    const ports: number[] = [];
    const { url } = await serve((req, res) => {
      ports.push(req.socket.remotePort!);
      res.end('hello');
    });
    const r1 = await nodeHttpFetch(url, M);
    expect(await r1.text()).toBe('hello');
    const r2 = await nodeHttpFetch(url, M);
    expect((await drainNode(takeNodeBody(r2)!)).toString()).toBe('hello');
    const r3 = await nodeHttpFetch(url, M);
    expect(await r3.text()).toBe('hello');
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(1);
  });

  it('uploads in 64 KiB chunks', () => {
    expect(NODE_HTTP_UPLOAD_CHUNK_BYTES).toBe(65536);
    expect(nodeHttpFetch.uploadChunkBytes).toBe(NODE_HTTP_UPLOAD_CHUNK_BYTES);
  });
});

describe('nodeHttpFetch: redirects are never followed', () => {
  contract.redirects();
});

describe('nodeHttpFetch: failures', () => {
  contract.failures();

  it('rejects an invalid or non-http URL', async () => {
    await expect(nodeHttpFetch('not a url', M)).rejects.toBeInstanceOf(TypeError);
    await expect(nodeHttpFetch('/relative/path', M)).rejects.toBeInstanceOf(TypeError);
    await expect(nodeHttpFetch('ftp://127.0.0.1/file', M)).rejects.toBeInstanceOf(TypeError);
    await expect(nodeHttpFetch('file:///etc/passwd', M)).rejects.toThrow('fetch failed');
  });

  it('never ends a body short: a cut after half the content-length rejects on both paths', async () => {
    const body = randomBytes(256 * 1024);
    const gz = gzipSync(randomBytes(256 * 1024));
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
        const web = await nodeHttpFetch(url, M);
        const e = await rejection(web.arrayBuffer());
        expect(e, `web ${cut} gzip=${gzip}`).toBeInstanceOf(TypeError);
        causeOf(e, 'terminated');
        const node = await nodeHttpFetch(url, M);
        await expect(drainNode(takeNodeBody(node)!), `node ${cut} gzip=${gzip}`).rejects.toThrow();
      }
  });
});

describe('nodeHttpFetch: whatever a server sends', () => {
  it('keeps a latin-1 reason phrase, and an odd one never throws out of the transport', async () => {
    const latin = await nodeHttpFetch(
      (await rawAnswer('HTTP/1.1 418 I\u00e9m a teapot\r\ncontent-length: 2\r\n\r\nok')).url,
      M,
    );
    expect(latin.status).toBe(418);
    expect(latin.statusText).toBe('I\u00e9m a teapot');
    expect(await latin.text()).toBe('ok');
    // A control character: the parser refuses the answer, or the transport drops the phrase.
    const odd = await nodeHttpFetch(
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

  it("rejects a status fetch cannot represent with 'fetch failed'", async () => {
    await expect(
      nodeHttpFetch((await rawAnswer('HTTP/1.1 600 Nope\r\ncontent-length: 0\r\n\r\n')).url, M),
    ).rejects.toThrow('fetch failed');
  });
});

describe('nodeHttpFetch: aborts', () => {
  contract.aborts();

  it('breaks the body when aborted in the middle of it, on both paths, and closes the connection', async () => {
    const first = Buffer.alloc(64 * 1024, 7);
    const srv = await serveStalledBody(first, 10 * first.length);

    // The web body (the path of net.fetch / global fetch).
    const ac1 = new AbortController();
    const r1 = await nodeHttpFetch(srv.url, { ...M, signal: ac1.signal });
    const reader = r1.body!.getReader();
    const chunk = await reader.read();
    expect(chunk.done).toBe(false);
    expect(chunk.value!.byteLength).toBeGreaterThan(0);
    const webReason = new Error('cancel web');
    ac1.abort(webReason);
    const broken = reader.read();
    await expect(broken).rejects.toThrow();
    await expect(broken).rejects.toBe(webReason);
    await srv.closed(0);

    // The Node stream taken by the download path.
    const ac2 = new AbortController();
    const reason = new Error('cancel node');
    const r2 = await nodeHttpFetch(srv.url, { ...M, signal: ac2.signal });
    const stream = takeNodeBody(r2)!;
    const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    expect((await iterator.next()).done).toBe(false);
    ac2.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    await srv.closed(1);
  });
});

describe('nodeHttpFetch: streamed request bodies', () => {
  const data = randomBytes(8 * 1024 * 1024 + 123);

  async function hashingServer() {
    return serve((req, res) => {
      void digestRequest(req).then((digest) => res.end(JSON.stringify(digest)));
    });
  }

  it.each([
    { framing: 'with a content-length', method: 'PUT', length: true },
    { framing: 'chunked', method: 'POST', length: false },
  ])('sends an 8 MiB ReadableStream byte for byte, $framing', async ({ method, length }) => {
    const { url } = await hashingServer();
    const r = await nodeHttpFetch(url, {
      ...M,
      method,
      headers: length ? { 'content-length': String(data.length) } : {},
      body: streamOf(data, 64 * 1024),
      duplex: 'half',
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
    const e = await nodeHttpFetch(url, {
      ...M,
      method: 'PUT',
      headers: { 'content-length': String(data.length) },
      body: streamOf(data, 64 * 1024, data.length / 2),
      duplex: 'half',
    } as RequestInit).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TypeError);
    expect(((e as TypeError).cause as Error).message).toBe('the source broke');
    const server = await seen.promise;
    expect(server.complete).toBe(false);
    expect(server.bytes).toBeLessThan(data.length);
  });
});

describe('takeNodeBody', () => {
  it('gives the Node stream once, with the whole body; not after the web body was read', async () => {
    const body = randomBytes(300 * 1024);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const r = await nodeHttpFetch(url, M);
    const stream = takeNodeBody(r);
    expect(stream).not.toBeNull();
    expect(takeNodeBody(r)).toBeNull();
    expect(sha(await drainNode(stream!))).toBe(sha(body));
    // The web body is unusable once the Node one was taken.
    await expect(r.arrayBuffer()).rejects.toBeInstanceOf(TypeError);

    const read = await nodeHttpFetch(url, M);
    expect(sha(Buffer.from(await read.arrayBuffer()))).toBe(sha(body));
    expect(takeNodeBody(read)).toBeNull();

    expect(takeNodeBody(new Response('x'))).toBeNull();
  });
});
