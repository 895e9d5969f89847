/**
 * The app's transport (electron/core/client/netRequestFetch.ts) over the strict double of
 * Electron's net.request, against real servers on 127.0.0.1: the fetch contract every
 * transport keeps, and what only this one has to get right inside Electron's rules.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IncomingMessage } from 'node:http';
import { createNetRequestFetch } from '../../../electron/core/client/netRequestFetch';
import { toRenderioError } from '../../../electron/core/client/http';
import { createElectronDouble } from '../../support/electron';
import { causeOf, fetchContract, rejection } from '../../support/fetchContract';
import { serve } from '../../support/loopbackServers';

const electron = createElectronDouble({ userData: '/nonexistent' });
electron.control.emitReady();
afterAll(() => electron.control.dispose());
const appFetch = createNetRequestFetch((o) => electron.main.net.request(o));
const stats = electron.control.network.stats;
const M = { redirect: 'manual' } as const;

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const contract = fetchContract({
  fetch: appFetch,
  ownBody: async (response) => Buffer.from(await response.arrayBuffer()),
  redirectBodies: false,
});

describe('the app transport: the fetch contract', () => {
  contract.answers();
  contract.redirects();
  contract.failures();
  contract.aborts();
});

describe('the app transport inside Electron rules', () => {
  it('streams a body chunked, never holding it whole, and the server gets every byte', async () => {
    let seen: { headers?: IncomingMessage['headers']; body?: Buffer } = {};
    const { url } = await serve((req, res) => {
      void readAll(req).then((body) => {
        seen = { headers: req.headers, body };
        res.end('ok');
      });
    });
    const data = randomBytes(8 * 1024 * 1024 + 123);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < data.length; i += 1024 * 1024)
          c.enqueue(data.subarray(i, i + 1024 * 1024));
        c.close();
      },
    });
    const before = stats.peakBufferedUploadBytes;
    const r = await appFetch(url, {
      ...M,
      method: 'POST',
      body,
      duplex: 'half',
      bodyLength: data.length,
    } as RequestInit);
    expect(await r.text()).toBe('ok');
    expect(seen.headers!['transfer-encoding']).toBe('chunked');
    // The length travels beside the headers; Chromium may not be told it.
    expect(seen.headers!['content-length']).toBeUndefined();
    expect(sha(seen.body!)).toBe(sha(data));
    expect(stats.peakBufferedUploadBytes).toBe(before);
  });

  it('keeps no chunk it has sent while the upload goes on (memory stays bounded)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const MiB = 1024 * 1024;
    const sent: WeakRef<Uint8Array>[] = [];
    let alive = -1;
    const { url } = await serve((req, res) => {
      let received = 0;
      req.on('data', (c: Buffer) => {
        received += c.length;
        if (alive >= 0 || received < 24 * MiB) return;
        // 24 MiB in: the first 16 chunks are long gone from the client unless it holds them.
        req.pause();
        setTimeout(() => {
          gc();
          setTimeout(() => {
            gc();
            alive = sent.slice(0, 16).filter((ref) => ref.deref() !== undefined).length;
            req.resume();
          }, 0);
        }, 0);
      });
      req.on('end', () => res.end('ok'));
    });
    let n = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          if (n++ === 32) return c.close();
          const chunk = new Uint8Array(MiB).fill(n);
          sent.push(new WeakRef(chunk));
          c.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    const r = await appFetch(url, { ...M, method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(await r.text()).toBe('ok');
    expect(sent).toHaveLength(32);
    // Before: all 16 were held by Promise.race reactions on a promise that lives as long as the
    // request, so a 1 GiB upload held 1 GiB.
    expect(alive).toBeGreaterThanOrEqual(0);
    expect(alive).toBeLessThanOrEqual(2);
  });

  it('hands a string body over whole, and Electron frames it with its length', async () => {
    let seen: IncomingMessage['headers'] = {};
    const { url } = await serve((req, res) => {
      seen = req.headers;
      void readAll(req).then(() => res.end());
    });
    await appFetch(url, {
      ...M,
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(seen['content-length']).toBe('7');
    expect(seen['transfer-encoding']).toBeUndefined();
  });

  it('a restricted header fails the request before it leaves, as the one kind that is never retried as offline', async () => {
    let requests = 0;
    const { url } = await serve((_req, res) => {
      requests++;
      res.end();
    });
    const e = await rejection(
      appFetch(url, { ...M, method: 'POST', body: 'x', headers: { 'Content-Length': '1' } }),
    );
    expect(causeOf(e, 'fetch failed').message).toBe('net::ERR_INVALID_ARGUMENT');
    expect(requests).toBe(0);
    const mapped = toRenderioError(e, { method: 'POST', url });
    expect(mapped.kind).toBe('not-sent');
    expect(mapped.code).toBe('net::ERR_INVALID_ARGUMENT');
  });

  it('answers a redirect with the 3xx itself and its headers (net.fetch would reject)', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(307, { location: '/next', 'x-extra': 'y' }).end();
    });
    const r = await appFetch(`${url}/here`, M);
    expect(r.status).toBe(307);
    expect(r.headers.get('location')).toBe('/next');
    expect(r.headers.get('x-extra')).toBe('y');
    // What the app would have got from net.fetch instead.
    await expect(electron.main.net.fetch(`${url}/here`, M)).rejects.toThrow(
      'Redirect was cancelled',
    );
  });

  it('reports a body cut short as terminated, with Chromium’s reason as the cause', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(100));
      setTimeout(() => res.destroy(), 20);
    });
    const r = await appFetch(url, M);
    const e = await rejection(r.arrayBuffer());
    expect(causeOf(e, 'terminated').message).toBe('net::ERR_CONTENT_LENGTH_MISMATCH');
  });

  it('reads a gzip body decoded, as Chromium gives it', async () => {
    const text = 'hello '.repeat(1000);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(text));
    });
    expect(await (await appFetch(url, M)).text()).toBe(text);
  });

  it('refuses bodies it would have to encode (FormData) before sending anything', async () => {
    const e = await rejection(
      appFetch('http://127.0.0.1:1/', { ...M, method: 'POST', body: new FormData() }),
    );
    expect(e).toBeInstanceOf(TypeError);
  });
});
