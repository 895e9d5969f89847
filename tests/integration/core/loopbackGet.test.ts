/**
 * The CLI transport's variant for downloads (undiciFetch.downloadFetch: loopbackGet, with
 * undici behind it) against real servers on 127.0.0.1: node:http servers for ordinary answers,
 * raw TCP servers writing exact bytes for unusual ones. The fetch contract every shipped
 * transport keeps; the request it writes; Content-Length bodies by pump or web body, cut short,
 * aborted; what it leaves to undici (other requests, and answers it does not read as they are);
 * and takeBodyPump's rules.
 */
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { takeBodyPump, type BodyPump } from '../../../electron/core/client/bodyPump';
import { deferred } from '../../support/deferred';
import { causeOf, fetchContract, rejection } from '../../support/fetchContract';
import { rawAnswer, rawServe, serve, serveStalledBody } from '../../support/loopbackServers';

const downloadFetch = undiciFetch.downloadFetch!;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const KiB = 1024;
const MiB = 1024 * KiB;
const M = { redirect: 'manual' } as const;

/** The response's body pumped to its end (each chunk copied: it is valid during its call only). */
async function pumpAll(response: Response): Promise<Buffer> {
  const pump = takeBodyPump(response);
  expect(pump).not.toBeNull();
  return pumped(pump!);
}

async function pumped(pump: BodyPump): Promise<Buffer> {
  const copies: Buffer[] = [];
  await pump.pump((chunk) => void copies.push(Buffer.from(chunk)));
  return Buffer.concat(copies);
}

async function readWeb(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

/** Writes `pieces` one after another, `gapMs` apart, so that each arrives in a read of its own. */
async function dribble(socket: Socket, pieces: (string | Buffer)[], gapMs = 5): Promise<void> {
  for (const piece of pieces) {
    if (socket.destroyed) return;
    socket.write(typeof piece === 'string' ? latin1(piece) : piece);
    await sleep(gapMs);
  }
}

// Its own way is the pump, for the answers it reads itself (the contract's servers also send
// chunked ones, which undici reads: their web body is the way then).
const contract = fetchContract({
  fetch: downloadFetch,
  ownBody: (r) => {
    const pump = takeBodyPump(r);
    return pump === null ? readWeb(r) : pumped(pump);
  },
});

describe('downloads from this computer: the fetch contract', () => {
  contract.answers();
  contract.redirects();
  contract.failures();
  contract.aborts();
});

describe('downloads from this computer: the request and the answer', () => {
  it('writes one GET with the path, the query and the headers, on a connection of its own', async () => {
    const srv = await rawAnswer('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    const r = await downloadFetch(`${srv.url}/a%20b/c.webm?q=1&r=2`, {
      ...M,
      headers: { range: 'bytes=5-', 'x-api-key': 'k1' },
    });
    expect((await pumpAll(r)).toString()).toBe('ok');
    const head = srv.requests[0]!;
    expect(head.startsWith('GET /a%20b/c.webm?q=1&r=2 HTTP/1.1\r\n')).toBe(true);
    expect(head).toContain(`host: 127.0.0.1:${srv.port}\r\n`);
    expect(head).toContain('connection: close\r\n');
    expect(head).toContain('accept-encoding: identity\r\n');
    expect(head).toContain('range: bytes=5-\r\n');
    expect(head).toContain('x-api-key: k1\r\n');
    await srv.closed(0);
  });

  it('refuses a header value with a line break before connecting', async () => {
    const srv = await rawAnswer('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
    await expect(
      downloadFetch(srv.url, { ...M, headers: { 'x-h': 'a\r\nx-injected: 1' } }),
    ).rejects.toBeInstanceOf(TypeError);
    await sleep(20);
    expect(srv.connections).toBe(0);
  });

  it('reads a body whose head and bytes come split across reads, or all with the head', async () => {
    const body = randomBytes(600 * KiB);
    const head = `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\netag: "v1"\r\n\r\n`;
    const split = await rawServe((socket) =>
      dribble(socket, [head.slice(0, 7), head.slice(7), body.subarray(0, 3), body.subarray(3)]),
    );
    for (const read of [pumpAll, readWeb]) {
      const r = await downloadFetch(split.url, M);
      expect(r.headers.get('etag')).toBe('"v1"');
      expect(sha(await read(r))).toBe(sha(body));
    }
    const whole = await rawAnswer(Buffer.concat([latin1(head), body]));
    expect(sha(await pumpAll(await downloadFetch(whole.url, M)))).toBe(sha(body));
  });

  it('gives no body for 204 and 304, and an empty one for a length of 0', async () => {
    for (const [answer, status] of [
      ['HTTP/1.1 204 No Content\r\n\r\n', 204],
      ['HTTP/1.1 304 Not Modified\r\netag: "v1"\r\n\r\n', 304],
    ] as const) {
      const r = await downloadFetch((await rawAnswer(answer)).url, M);
      expect(r.status).toBe(status);
      expect(r.body).toBeNull();
    }
    const empty = await downloadFetch(
      (await rawAnswer('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n')).url,
      M,
    );
    expect(await empty.text()).toBe('');
  });

  it("rejects a body cut short as 'terminated', clean or reset, by pump or web body", async () => {
    const body = randomBytes(256 * KiB);
    let cut: 'clean' | 'reset' = 'clean';
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, body.length / 2), () => {
        if (cut === 'reset') res.socket?.resetAndDestroy();
        else res.socket?.end();
      });
    });
    for (const how of ['clean', 'reset'] as const) {
      cut = how;
      for (const read of [pumpAll, readWeb]) {
        const e = await rejection(read(await downloadFetch(url, M)));
        causeOf(e, 'terminated');
      }
    }
  });

  it('refuses a response head over 64 KiB', async () => {
    const filler = `x-filler: ${'a'.repeat(4 * KiB)}\r\n`;
    const endless = await rawServe((socket) =>
      dribble(socket, ['HTTP/1.1 200 OK\r\n', ...Array.from({ length: 40 }, () => filler)], 1),
    );
    const e = await rejection(downloadFetch(endless.url, M));
    expect(causeOf(e, 'fetch failed').message).toBe('response head too large');
    await endless.closed(0);
  });
});

describe('downloads from this computer: what undici reads instead', () => {
  it('asks undici again for an answer it does not read as it is: chunked, compressed, without a length', async () => {
    const text = 'hello '.repeat(1000);
    let requests = 0;
    const { url } = await serve((req, res) => {
      requests++;
      if (req.url === '/chunked') {
        res.write(text.slice(0, 100));
        res.end(text.slice(100));
      } else if (req.url === '/gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(text));
      } else {
        res.writeHead(200, { connection: 'close' });
        res.end(text);
      }
    });
    for (const path of ['/chunked', '/gzip', '/close']) {
      requests = 0;
      const r = await downloadFetch(`${url}${path}`, M);
      expect(takeBodyPump(r), path).toBeNull();
      expect(await r.text(), path).toBe(text);
      expect(requests, path).toBe(2);
    }
  });

  it("leaves a malformed or ambiguous head to undici, which refuses it with 'fetch failed'", async () => {
    for (const answer of [
      'hello there\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello!',
      'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    ]) {
      const srv = await rawAnswer(answer);
      causeOf(await rejection(downloadFetch(srv.url, M)), 'fetch failed');
      expect(srv.connections, answer).toBe(2);
    }
  });

  it('sends anything but a GET without a body to this computer through undici (kept alive)', async () => {
    const ports: number[] = [];
    const { url } = await serve((req, res) => {
      ports.push(req.socket.remotePort!);
      res.end(req.headers.connection ?? 'none');
    });
    const post = await downloadFetch(url, { ...M, method: 'POST', body: 'x' });
    expect(takeBodyPump(post)).toBeNull();
    expect(await post.text()).not.toBe('close');
    await sleep(1);
    const head = await downloadFetch(url, { ...M, method: 'HEAD' });
    expect(head.body).toBeNull();
    expect(new Set(ports).size).toBe(1);
    // https and other hosts too: a closed https port is refused by undici, as fetch would.
    causeOf(await rejection(downloadFetch('https://127.0.0.1:1/file', M)), 'fetch failed');
  });
});

describe('takeBodyPump', () => {
  it('gives the pump once; null for a body already read or started, a null body or a Response from elsewhere', async () => {
    const body = randomBytes(300 * KiB);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const r = await downloadFetch(url, M);
    const pump = takeBodyPump(r);
    expect(pump).not.toBeNull();
    expect(takeBodyPump(r)).toBeNull();

    const read = await downloadFetch(url, M);
    expect(sha(await readWeb(read))).toBe(sha(body));
    expect(takeBodyPump(read)).toBeNull();

    const started = await downloadFetch(url, M);
    const reader = started.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect(takeBodyPump(started)).toBeNull();
    await reader.cancel();

    expect(takeBodyPump(new Response('x'))).toBeNull();
    expect(takeBodyPump(new Response(null, { status: 204 }))).toBeNull();
    const copies: Buffer[] = [];
    await pump!.pump((chunk) => void copies.push(Buffer.from(chunk)));
    expect(sha(Buffer.concat(copies))).toBe(sha(body));
  });

  it('makes the web body unusable once taken, and refuses a second pump', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': 5 }).end('hello');
    });
    const r = await downloadFetch(url, M);
    const pump = takeBodyPump(r)!;
    await expect(r.arrayBuffer()).rejects.toBeInstanceOf(TypeError);
    const chunks: string[] = [];
    const first = pump.pump((chunk) => void chunks.push(Buffer.from(chunk).toString()));
    const e = await rejection(pump.pump(() => undefined));
    expect((e as TypeError).message).toBe('The body is already being read');
    await first;
    expect(chunks.join('')).toBe('hello');
  });

  it('rejects the pump with the reason when aborted in the middle of the body, and closes the connection', async () => {
    const first = randomBytes(64 * KiB);
    const srv = await serveStalledBody(first, 10 * first.length);
    const ac = new AbortController();
    const r = await downloadFetch(srv.url, { ...M, signal: ac.signal });
    const copies: Buffer[] = [];
    const gotAll = deferred();
    const pumping = takeBodyPump(r)!.pump((chunk) => {
      copies.push(Buffer.from(chunk));
      if (Buffer.concat(copies).length === first.length) gotAll.resolve();
    });
    await gotAll.promise;
    const reason = new Error('cancel the download');
    ac.abort(reason);
    await expect(pumping).rejects.toBe(reason);
    expect(sha(Buffer.concat(copies))).toBe(sha(first));
    await srv.closed(0);
  });

  it('rejects with the very error onChunk throws, and closes the connection', async () => {
    const srv = await serveStalledBody(Buffer.alloc(64 * KiB), 10 * MiB);
    const boom = new Error('the disk said no');
    let calls = 0;
    const pump = takeBodyPump(await downloadFetch(srv.url, M))!;
    await expect(
      pump.pump(() => {
        calls++;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
    await srv.closed(0);
  });

  it('rejects with the error onChunk throws when the whole body had already come with the head', async () => {
    const srv = await rawAnswer('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello');
    const r = await downloadFetch(srv.url, M);
    await srv.closed(0);
    await sleep(20);
    const boom = new Error('no space left');
    let calls = 0;
    await expect(
      takeBodyPump(r)!.pump(() => {
        calls++;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });
});
