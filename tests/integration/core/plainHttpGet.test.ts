/**
 * plainHttpGet (the download transport for plain-http origins) against real servers on
 * 127.0.0.1: node:http servers for ordinary answers, raw TCP servers writing exact bytes for
 * malformed, split or unusual ones. Covers the request it sends; every body framing
 * (Content-Length, chunked with extensions and trailers, the connection's end); bytes that come
 * with the head; the web body's backpressure; redirects never followed; failures as TypeError
 * with a cause; bodies cut short; aborts; compression; takeBodyPump's rules; what goes to
 * nodeHttpFetch instead; and downloadToFile through the default transport (a resume with Range,
 * a full disk). The cases it shares with nodeHttpFetch are registered from
 * tests/support/fetchContract.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { constants, open as openCb } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type * as plainHttpGetModule from '../../../electron/core/client/plainHttpGet';
import { plainHttpGet, takeBodyPump } from '../../../electron/core/client/plainHttpGet';
import { nodeFetch } from '../../../electron/core/ports';
import { LocalFileError, downloadToFile } from '../../../electron/core/transfers';
import { deferred } from '../../support/deferred';
import { causeOf, fetchContract, rejection } from '../../support/fetchContract';
import { rawAnswer, rawServe, serve, serveStalledBody } from '../../support/loopbackServers';
import { tempDir } from '../../support/media';
import { startRecordingServer, type RecordingServer } from '../../support/recordingServer';
import { digestRequest } from '../../support/requestDigest';
import { downloadWholeFile, fullDiskPart, serveStorageFile } from '../../support/storageFile';

// takeBodyPump is watched (and still does its work) so the download tests can tell that
// download.ts wrote the file from the pump, not from the web body.
vi.mock('../../../electron/core/client/plainHttpGet', async (importOriginal) => {
  const actual = await importOriginal<typeof plainHttpGetModule>();
  return { ...actual, takeBodyPump: vi.fn(actual.takeBodyPump) };
});

/** Writes `pieces` one after another, `gapMs` apart, so that each arrives in a read of its own. */
async function dribble(socket: Socket, pieces: (string | Buffer)[], gapMs = 5): Promise<void> {
  for (const piece of pieces) {
    if (socket.destroyed) return;
    socket.write(typeof piece === 'string' ? latin1(piece) : piece);
    await sleep(gapMs);
  }
}

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const KiB = 1024;
const MiB = 1024 * KiB;
const READ_BUFFER = 256 * KiB;
const M = { redirect: 'manual' } as const;
const CLOSED_EARLY = 'the connection closed before the body was complete';

/** The response's body pumped to its end: its bytes (copied) and each chunk's size and buffer. */
async function pumpAll(
  response: Response,
): Promise<{ bytes: Buffer; sizes: number[]; buffers: ArrayBufferLike[] }> {
  const pump = takeBodyPump(response);
  expect(pump).not.toBeNull();
  const copies: Buffer[] = [];
  const sizes: number[] = [];
  const buffers: ArrayBufferLike[] = [];
  await pump!.pump((chunk) => {
    copies.push(Buffer.from(chunk));
    sizes.push(chunk.byteLength);
    buffers.push(chunk.buffer);
  });
  return { bytes: Buffer.concat(copies), sizes, buffers };
}

/** The response's web body read to its end with a reader, as a Buffer. */
async function readWeb(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

const contract = fetchContract({
  fetch: plainHttpGet,
  ownBody: async (response) => (await pumpAll(response)).bytes,
});

describe('plainHttpGet: the request it sends', () => {
  it("sends one GET with host, connection: close, accept-encoding: identity and the caller's headers", async () => {
    const srv = await rawAnswer('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    const r = await plainHttpGet(`${srv.url}/a%20b/c.webm?q=1&r=2`, {
      ...M,
      headers: {
        'X-Api-Key': 'k1',
        // Replaced or dropped: the transport decides these.
        Host: 'elsewhere.example',
        Connection: 'keep-alive',
        'Content-Length': '5',
        'Transfer-Encoding': 'chunked',
      },
    });
    expect(await r.text()).toBe('ok');
    expect(srv.requests).toEqual([
      `GET /a%20b/c.webm?q=1&r=2 HTTP/1.1\r\nhost: 127.0.0.1:${srv.port}\r\nconnection: close\r\n` +
        'accept-encoding: identity\r\nx-api-key: k1\r\n\r\n',
    ]);
  });

  it("keeps the caller's accept-encoding, takes a lower-case method, and asks for / without a path", async () => {
    const srv = await rawAnswer('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    const r = await plainHttpGet(srv.url, {
      ...M,
      method: 'get',
      headers: new Headers([
        ['accept-encoding', 'gzip'],
        ['range', 'bytes=10-'],
      ]),
    });
    expect(await r.text()).toBe('ok');
    expect(srv.requests).toEqual([
      `GET / HTTP/1.1\r\nhost: 127.0.0.1:${srv.port}\r\nconnection: close\r\n` +
        'accept-encoding: gzip\r\nrange: bytes=10-\r\n\r\n',
    ]);
  });

  it('refuses a header value with CR or LF (a TypeError from Headers) before connecting', async () => {
    const srv = await rawAnswer('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
    for (const value of ['a\r\nx-injected: 1', 'a\nb', 'a\rb']) {
      const e = await rejection(plainHttpGet(srv.url, { ...M, headers: { 'x-h': value } }));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as TypeError).message).toMatch(/invalid header value/);
    }
    await sleep(50);
    expect(srv.connections).toBe(0);
  });
});

describe('plainHttpGet: answers and their bodies', () => {
  contract.answers();

  it('pumps an 8 MiB body byte for byte in chunks of at most 256 KiB from one reused buffer; arrayBuffer() gives the same', async () => {
    const big = randomBytes(8 * MiB + 123);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': big.length, 'content-type': 'video/webm' });
      res.end(big);
    });
    const pumped = await pumpAll(await plainHttpGet(url, M));
    expect(pumped.bytes.length).toBe(big.length);
    expect(sha(pumped.bytes)).toBe(sha(big));
    expect(Math.max(...pumped.sizes)).toBeLessThanOrEqual(READ_BUFFER);
    expect(Math.min(...pumped.sizes)).toBeGreaterThan(0);
    // Bytes that came with the head were copied once; every later chunk is the read buffer.
    const later = new Set(pumped.buffers.slice(1));
    expect(later.size).toBe(1);
    expect([...later][0]!.byteLength).toBe(READ_BUFFER);

    const web = await plainHttpGet(url, M);
    expect(sha(await readWeb(web))).toBe(sha(big));
  });

  it('reads a chunked body with extensions and trailers, ending at its last chunk, not the connection', async () => {
    const srv = await rawServe((socket) =>
      socket.write(
        latin1(
          'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntrailer: x-sum\r\n\r\n' +
            '5;name=value\r\nhello\r\n' +
            '6 ; ext="a;b"\r\n world\r\n' +
            'A\r\n0123456789\r\n' +
            '0;last\r\nx-sum: abc\r\nx-other: 1\r\n\r\n' +
            'garbage after the body',
        ),
      ),
    );
    // The server never closes: the client ends the exchange (and closes) at the terminator.
    const pumped = await pumpAll(await plainHttpGet(srv.url, M));
    expect(pumped.bytes.toString('latin1')).toBe('hello world0123456789');
    await srv.closed(0);
    const web = await plainHttpGet(srv.url, M);
    expect(await web.text()).toBe('hello world0123456789');
    await srv.closed(1);
  });

  it('reads exactly Content-Length bytes, ignoring what follows, and closes the connection', async () => {
    const srv = await rawServe((socket) =>
      socket.write(latin1('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello and more')),
    );
    expect((await pumpAll(await plainHttpGet(srv.url, M))).bytes.toString()).toBe('hello');
    await srv.closed(0);
    expect(await (await plainHttpGet(srv.url, M)).text()).toBe('hello');
    await srv.closed(1);
  });

  it('accepts a repeated Content-Length when the values agree', async () => {
    const srv = await rawAnswer(
      'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 5\r\n\r\nhello',
    );
    const r = await plainHttpGet(srv.url, M);
    // Shown as one value: the download checks what it received against it.
    expect(r.headers.get('content-length')).toBe('5');
    expect(await r.text()).toBe('hello');
  });

  it("reads a body without length or chunking to the connection's end, by pump or web body", async () => {
    const body = randomBytes(700 * KiB);
    const srv = await rawServe(async (socket) => {
      await dribble(socket, [
        'HTTP/1.1 200 OK\r\ncontent-type: video/webm\r\n\r\n',
        body.subarray(0, 1000),
        body.subarray(1000, 300 * KiB),
        body.subarray(300 * KiB),
      ]);
      socket.end();
    });
    const pumped = await pumpAll(await plainHttpGet(srv.url, M));
    expect(sha(pumped.bytes)).toBe(sha(body));
    expect(sha(await readWeb(await plainHttpGet(srv.url, M)))).toBe(sha(body));
  });

  it('gives a null body for 204, 304 and Content-Length: 0, without hanging', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/204') return void res.writeHead(204).end();
      if (req.url === '/304') return void res.writeHead(304, { etag: '"v1"' }).end();
      res.writeHead(200, { 'content-length': 0 }).end();
    });
    for (const [path, status] of [
      ['/204', 204],
      ['/304', 304],
      ['/empty', 200],
    ] as const) {
      const r = await plainHttpGet(`${url}${path}`, M);
      expect(r.status).toBe(status);
      expect(r.body).toBeNull();
      expect(takeBodyPump(r)).toBeNull();
      expect(await r.text()).toBe('');
      if (status === 304) expect(r.headers.get('etag')).toBe('"v1"');
    }
  });

  it('skips 1xx informational answers before the real one, whole or split', async () => {
    const answer =
      'HTTP/1.1 100 Continue\r\n\r\n' +
      'HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n' +
      'HTTP/1.1 200 OK\r\ncontent-length: 4\r\nx-final: yes\r\n\r\nbody';
    const whole = await rawAnswer(answer);
    const split = await rawServe(async (socket) => {
      // Cut inside a status line, inside the blank line ending the 100, and before the 200.
      const cuts = [0, 17, 24, 37, answer.indexOf('HTTP/1.1 200'), answer.length];
      await dribble(
        socket,
        cuts.slice(1).map((end, i) => answer.slice(cuts[i], end)),
      );
      socket.end();
    });
    for (const srv of [whole, split]) {
      const r = await plainHttpGet(srv.url, M);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-final')).toBe('yes');
      expect(r.headers.get('link')).toBeNull();
      expect(await r.text()).toBe('body');
    }
  });

  it('reads an answer split at awkward places: the head over several writes, chunk-size lines byte by byte', async () => {
    const parts = [randomBytes(1), randomBytes(300 * KiB), randomBytes(4097)];
    const body = Buffer.concat(parts);
    const pieces: (string | Buffer)[] = [
      'HTT',
      'P/1.1 2',
      '00 OK\r',
      '\ntransfer-enc',
      'oding: chun',
      'ked\r\n',
      '\r',
      '\n',
    ];
    for (const part of parts) {
      pieces.push(...`${part.length.toString(16)};x=1`.split(''), '\r', '\n');
      const cut = Math.floor(part.length / 3);
      pieces.push(part.subarray(0, cut), part.subarray(cut), '\r', '\n');
    }
    pieces.push('0', '\r', '\n', 'x-t: 1\r', '\n', '\r', '\n');
    const srv = await rawServe(async (socket) => {
      await dribble(socket, pieces, 2);
      // The connection stays open: the body ends at the terminator.
    });
    const pumped = await pumpAll(await plainHttpGet(srv.url, M));
    expect(sha(pumped.bytes)).toBe(sha(body));
    expect(sha(await readWeb(await plainHttpGet(srv.url, M)))).toBe(sha(body));
  });

  it('keeps body bytes that came in the same packet as the head, before the pump was attached, in order', async () => {
    const body = randomBytes(300 * KiB);
    const srv = await rawServe(async (socket) => {
      socket.write(
        Buffer.concat([
          latin1(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`),
          body.subarray(0, 100_000),
        ]),
      );
      await sleep(100);
      await dribble(socket, [body.subarray(100_000, 200_000), body.subarray(200_000)]);
    });
    const r = await plainHttpGet(srv.url, M);
    await sleep(50); // the first packet is in; nothing reads it yet
    const pumped = await pumpAll(r);
    expect(sha(pumped.bytes)).toBe(sha(body));

    const web = await plainHttpGet(srv.url, M);
    await sleep(50);
    expect(sha(await readWeb(web))).toBe(sha(body));
  });

  it('gives a whole body that came with the head, the server gone before the pump was attached', async () => {
    const body = randomBytes(50_000);
    const answer = Buffer.concat([
      latin1(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`),
      body,
    ]);
    const srv = await rawAnswer(answer);
    const r = await plainHttpGet(srv.url, M);
    await srv.closed(0);
    await sleep(20);
    expect(sha((await pumpAll(r)).bytes)).toBe(sha(body));

    // The same without a length: the body ends at the connection's end, read later.
    const unframed = await rawAnswer(Buffer.concat([latin1('HTTP/1.1 200 OK\r\n\r\n'), body]));
    const r2 = await plainHttpGet(unframed.url, M);
    await sleep(50); // the server has written everything and its end (the client reads no further)
    expect(sha(await readWeb(r2))).toBe(sha(body));
  });

  it("doesn't read a large web body ahead of a slow reader, and the reader still gets every byte", async () => {
    // Larger than the loopback socket buffers (up to 32 MiB received + 4 MiB sent here).
    const big = randomBytes(96 * MiB);
    const finished = deferred();
    let serverDone = false;
    const { url } = await serve((_req, res) => {
      res.once('finish', () => {
        serverDone = true;
        finished.resolve();
      });
      res.writeHead(200, { 'content-length': big.length });
      res.end(big);
    });
    const r = await plainHttpGet(url, M);
    const reader = r.body!.getReader();
    const hash = createHash('sha256');
    let received = 0;
    let largest = 0;
    let reads = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      received += value.byteLength;
      largest = Math.max(largest, value.byteLength);
      reads++;
      if (reads === 1) {
        // A reader that stops: the server cannot hand over the rest, nothing piles up here.
        await sleep(300);
        expect(serverDone).toBe(false);
      } else if (reads % 64 === 0) await sleep(1);
    }
    expect(received).toBe(big.length);
    expect(hash.digest('hex')).toBe(sha(big));
    expect(largest).toBeLessThanOrEqual(READ_BUFFER);
    await finished.promise;
  });
});

describe('plainHttpGet: a web body cancelled as it ends', () => {
  it('survives a reader that cancels after the read that carried the last bytes (an error page read in part)', async () => {
    // The head first, then the whole 70 KiB body in one write: the read that fulfils the
    // reader also ends the body, and the reader (like readBounded) cancels before the end is
    // seen by the web body.
    const page = Buffer.alloc(70 * KiB, 0x61);
    const srv = await rawServe(async (socket) => {
      socket.write(latin1(`HTTP/1.1 500 Oops\r\ncontent-length: ${page.length}\r\n\r\n`));
      await sleep(30);
      socket.end(page);
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const r = await plainHttpGet(srv.url, M);
      const reader = r.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      await reader.cancel();
      await sleep(50);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('plainHttpGet: compression', () => {
  const payload = JSON.stringify({ text: 'x'.repeat(50_000), list: [1, 2, 3] });

  it('decodes gzip, x-gzip and deflate answers on the web body; takeBodyPump gives null for them', async () => {
    const { url } = await serve((req, res) => {
      const encoding = req.url!.slice(1);
      const packed = encoding === 'deflate' ? deflateSync(payload) : gzipSync(payload);
      if (encoding === 'chunked-gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.write(packed.subarray(0, 100));
        res.end(packed.subarray(100));
        return;
      }
      res.writeHead(200, { 'content-encoding': encoding, 'content-length': packed.length });
      res.end(packed);
    });
    for (const encoding of ['gzip', 'x-gzip', 'deflate', 'chunked-gzip']) {
      const r = await plainHttpGet(`${url}/${encoding}`, M);
      expect(takeBodyPump(r), encoding).toBeNull();
      expect(await r.text(), encoding).toBe(payload);
    }
  });

  it('errors the web body of an unsupported content-encoding (br), and closes the connection', async () => {
    const packed = brotliCompressSync(payload);
    const closed = deferred();
    const { url } = await serve((req, res) => {
      req.socket.once('close', () => closed.resolve());
      res.writeHead(200, { 'content-encoding': 'br', 'content-length': packed.length });
      res.end(packed);
    });
    const r = await plainHttpGet(url, M);
    expect(r.status).toBe(200);
    expect(takeBodyPump(r)).toBeNull();
    const e = await rejection(r.text());
    expect(e).toBeInstanceOf(TypeError);
    expect((e as TypeError).message).toBe('unsupported content-encoding br');
    await closed.promise;
  });
});

describe('plainHttpGet: redirects are never followed', () => {
  contract.redirects();
});

describe('plainHttpGet: failures before an answer', () => {
  contract.failures();

  it('rejects when the server closes or resets the connection without answering', async () => {
    const closes = await rawServe((socket) => socket.end());
    const e = await rejection(plainHttpGet(closes.url, M));
    expect(causeOf(e, 'fetch failed').message).toBe('the connection closed before an answer');

    const resets = await rawServe((socket) => socket.resetAndDestroy());
    const e2 = await rejection(plainHttpGet(resets.url, M));
    expect(causeOf(e2, 'fetch failed').code).toBe('ECONNRESET');

    // Half a head, then the end.
    const half = await rawAnswer('HTTP/1.1 200 OK\r\ncontent-len');
    const e3 = await rejection(plainHttpGet(half.url, M));
    expect(causeOf(e3, 'fetch failed').message).toBe('the connection closed before an answer');
  });

  it.each([
    ['a status line of another version', 'HTTP/2 200 OK\r\n\r\n', 'malformed status line'],
    ['no status line', 'hello there\r\n\r\n', 'malformed status line'],
    [
      'a header line without a colon',
      'HTTP/1.1 200 OK\r\nno colon\r\n\r\n',
      'malformed header line',
    ],
    ['a header line without a name', 'HTTP/1.1 200 OK\r\n: v\r\n\r\n', 'malformed header line'],
    ['a folded header line', 'HTTP/1.1 200 OK\r\nx-a: 1\r\n  more\r\n\r\n', 'folded header line'],
    ['status 600', 'HTTP/1.1 600 Nope\r\ncontent-length: 0\r\n\r\n', 'invalid status 600'],
    ['status 101', 'HTTP/1.1 101 Switching Protocols\r\n\r\n', 'invalid status 101'],
    [
      'conflicting repeated Content-Length',
      'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello!',
      'invalid content-length',
    ],
    [
      'conflicting Content-Length in one header',
      'HTTP/1.1 200 OK\r\ncontent-length: 5, 6\r\n\r\nhello!',
      'invalid content-length',
    ],
    [
      'a negative Content-Length',
      'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n',
      'invalid content-length',
    ],
    [
      'Transfer-Encoding gzip',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\n',
      'unsupported transfer-encoding gzip',
    ],
    [
      'Transfer-Encoding and Content-Length together',
      'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      'both transfer-encoding and content-length',
    ],
    [
      'a space before the colon (not a header name)',
      'HTTP/1.1 200 OK\r\ntransfer-encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      'malformed header line',
    ],
    [
      'a Transfer-Encoding value fetch would refuse (NUL)',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chun\x00ked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      'invalid transfer-encoding header',
    ],
    [
      'a Content-Length value fetch would refuse (NUL)',
      'HTTP/1.1 200 OK\r\ncontent-length: 5\x00\r\n\r\nhello',
      'invalid content-length header',
    ],
    [
      'Transfer-Encoding gzip, chunked',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n',
      'unsupported transfer-encoding gzip, chunked',
    ],
  ])("rejects %s with 'fetch failed' and what was wrong as cause", async (_what, answer, cause) => {
    const srv = await rawAnswer(answer);
    const e = await rejection(plainHttpGet(srv.url, M));
    expect(causeOf(e, 'fetch failed').message).toBe(cause);
  });

  it('refuses a response head over 64 KiB, whether or not its end has come', async () => {
    const filler = (bytes: number): string => `x-filler: ${'a'.repeat(bytes)}\r\n`;
    // No end in sight: refused once more than 64 KiB has come; the server keeps writing.
    const endless = await rawServe(async (socket) => {
      const pieces = Array.from({ length: 40 }, () => filler(4 * KiB));
      await dribble(socket, ['HTTP/1.1 200 OK\r\n', ...pieces], 1);
    });
    const e = await rejection(plainHttpGet(endless.url, M));
    expect(causeOf(e, 'fetch failed').message).toBe('response head too large');
    await endless.closed(0);

    // A complete head of 65 KiB in one write.
    const whole = await rawAnswer(
      `HTTP/1.1 200 OK\r\n${filler(65 * KiB)}content-length: 0\r\n\r\n`,
    );
    const e2 = await rejection(plainHttpGet(whole.url, M));
    expect(causeOf(e2, 'fetch failed').message).toBe('response head too large');

    // 60 KiB is fine.
    const large = await rawAnswer(
      `HTTP/1.1 200 OK\r\n${filler(60 * KiB)}content-length: 2\r\n\r\nok`,
    );
    const r = await plainHttpGet(large.url, M);
    expect(r.headers.get('x-filler')).toHaveLength(60 * KiB);
    expect(await r.text()).toBe('ok');
  });
});

describe('plainHttpGet: bodies cut short reject, never end short', () => {
  it("rejects with TypeError 'terminated' when a Content-Length body is cut, clean or reset, by pump or web body", async () => {
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
      const pumped = await rejection(pumpAll(await plainHttpGet(url, M)));
      const web = await rejection(readWeb(await plainHttpGet(url, M)));
      for (const e of [pumped, web]) {
        const cause = causeOf(e, 'terminated');
        if (how === 'clean') expect(cause.message).toBe(CLOSED_EARLY);
        // Linux reports a reset after the data as an end of stream, or as ECONNRESET.
        else expect(cause.message === CLOSED_EARLY || cause.code === 'ECONNRESET').toBe(true);
      }
    }
  });

  it('rejects a chunked body cut inside a chunk, or before its last chunk', async () => {
    for (const answer of [
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n10\r\nhalf',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nwhol\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nwhol\r\n0\r\n',
    ]) {
      const srv = await rawAnswer(answer);
      for (const read of [pumpAll, readWeb] as const) {
        const e = await rejection(read(await plainHttpGet(srv.url, M)));
        expect(causeOf(e, 'terminated').message, answer).toBe(CLOSED_EARLY);
      }
    }
  });

  it.each([
    ['a size that is not hex', 'zz\r\nhello\r\n0\r\n\r\n', 'malformed chunk size'],
    ['an empty size line', '\r\nhello\r\n0\r\n\r\n', 'malformed chunk size'],
    ['a size of 13 digits', '1000000000000\r\nhello\r\n0\r\n\r\n', 'malformed chunk size'],
    ['a negative size', '-5\r\nhello\r\n0\r\n\r\n', 'malformed chunk size'],
    ['data longer than its size', '5\r\nhello!\r\n0\r\n\r\n', 'malformed chunk end'],
    [
      'a size line over 4 KiB',
      `5;${'e'.repeat(5000)}\r\nhello\r\n0\r\n\r\n`,
      'chunk line too long',
    ],
  ])("rejects a chunked body with %s as 'terminated'", async (_what, chunks, cause) => {
    const srv = await rawServe((socket) =>
      socket.write(latin1(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${chunks}`)),
    );
    for (const read of [pumpAll, readWeb] as const) {
      const e = await rejection(read(await plainHttpGet(srv.url, M)));
      expect(causeOf(e, 'terminated').message).toBe(cause);
    }
  });

  it('rejects a gzip body cut short on the web body', async () => {
    const packed = gzipSync(randomBytes(200 * KiB));
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': packed.length });
      res.write(packed.subarray(0, packed.length / 2), () => res.socket?.end());
    });
    const e = await rejection(readWeb(await plainHttpGet(url, M)));
    expect(causeOf(e, 'terminated').message).toBe(CLOSED_EARLY);
  });
});

describe('plainHttpGet: aborts', () => {
  contract.aborts();

  it('rejects the pump with the reason when aborted in the middle of the body, and closes the connection', async () => {
    const first = randomBytes(64 * KiB);
    const srv = await serveStalledBody(first, 10 * first.length);
    const ac = new AbortController();
    const r = await plainHttpGet(srv.url, { ...M, signal: ac.signal });
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

  it('rejects a body not yet read with the reason when aborted after the answer', async () => {
    const { url } = await serveStalledBody(Buffer.alloc(1000), 1_000_000);
    for (const read of [pumpAll, readWeb] as const) {
      const ac = new AbortController();
      const r = await plainHttpGet(url, { ...M, signal: ac.signal });
      await sleep(20);
      const reason = new Error('not wanted any more');
      ac.abort(reason);
      await expect(read(r)).rejects.toBe(reason);
    }
  });
});

describe('takeBodyPump', () => {
  it('gives the pump once; null for a body already read, a null body or a Response from elsewhere', async () => {
    const body = randomBytes(300 * KiB);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const r = await plainHttpGet(url, M);
    const pump = takeBodyPump(r);
    expect(pump).not.toBeNull();
    expect(takeBodyPump(r)).toBeNull();

    const read = await plainHttpGet(url, M);
    expect(sha(await readWeb(read))).toBe(sha(body));
    expect(takeBodyPump(read)).toBeNull();

    const started = await plainHttpGet(url, M);
    const reader = started.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect(takeBodyPump(started)).toBeNull();
    await reader.cancel();

    expect(takeBodyPump(new Response('x'))).toBeNull();
    expect(takeBodyPump(new Response(null, { status: 204 }))).toBeNull();
    await pump!.pump(() => undefined);
  });

  it('makes the web body unusable once taken, before and after pumping', async () => {
    const body = randomBytes(100 * KiB);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const r = await plainHttpGet(url, M);
    const pump = takeBodyPump(r)!;
    await expect(r.arrayBuffer()).rejects.toBeInstanceOf(TypeError);
    const copies: Buffer[] = [];
    await pump.pump((chunk) => void copies.push(Buffer.from(chunk)));
    expect(sha(Buffer.concat(copies))).toBe(sha(body));
    await expect(r.text()).rejects.toBeInstanceOf(TypeError);
  });

  it('rejects a second pump read', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': 5 }).end('hello');
    });
    const pump = takeBodyPump(await plainHttpGet(url, M))!;
    const chunks: string[] = [];
    const first = pump.pump((chunk) => void chunks.push(Buffer.from(chunk).toString()));
    const e = await rejection(pump.pump(() => undefined));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as TypeError).message).toBe('The body is already being read');
    await first;
    expect(chunks.join('')).toBe('hello');
    await expect(pump.pump(() => undefined)).rejects.toBeInstanceOf(TypeError);
  });

  it('rejects with the very error onChunk throws, and closes the connection', async () => {
    const srv = await serveStalledBody(Buffer.alloc(64 * KiB), 10 * MiB);
    const boom = new Error('the disk said no');
    let calls = 0;
    const pump = takeBodyPump(await plainHttpGet(srv.url, M))!;
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
    const r = await plainHttpGet(srv.url, M);
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
  }, 10_000);
});

describe('plainHttpGet: what goes to nodeHttpFetch', () => {
  it('sends a POST or PUT with a body through nodeHttpFetch (keep-alive, no pump)', async () => {
    const seen: { method?: string; connection?: string }[] = [];
    const { url } = await serve((req, res) => {
      seen.push({ method: req.method, connection: req.headers.connection });
      void digestRequest(req).then((digest) => res.end(JSON.stringify(digest)));
    });
    const data = randomBytes(100 * KiB);
    const r = await plainHttpGet(`${url}/up`, { ...M, method: 'POST', body: data });
    expect(takeBodyPump(r)).toBeNull();
    expect(await r.json()).toEqual({
      sha: sha(data),
      bytes: data.length,
      length: String(data.length),
      te: null,
    });
    const r2 = await plainHttpGet(`${url}/up`, { ...M, method: 'PUT', body: 'héllo' });
    expect(await r2.json()).toEqual({
      sha: sha(Buffer.from('héllo')),
      bytes: Buffer.byteLength('héllo'),
      length: String(Buffer.byteLength('héllo')),
      te: null,
    });
    expect(seen).toEqual([
      { method: 'POST', connection: 'keep-alive' },
      { method: 'PUT', connection: 'keep-alive' },
    ]);
  });

  it("sends https through nodeHttpFetch: a closed port rejects with 'fetch failed'", async () => {
    const srv = await rawServe();
    await srv.close();
    const e = await rejection(plainHttpGet(`https://127.0.0.1:${srv.port}/file`, M));
    expect(causeOf(e, 'fetch failed').code).toBe('ECONNREFUSED');
  });

  it('hands what is not a URL to nodeHttpFetch, which rejects it with a TypeError', async () => {
    await expect(plainHttpGet('not a url', M)).rejects.toBeInstanceOf(TypeError);
    await expect(plainHttpGet('/relative/path', M)).rejects.toBeInstanceOf(TypeError);
  });

  it("is the default transport's downloadFetch", () => {
    expect(nodeFetch.downloadFetch).toBe(plainHttpGet);
  });
});

describe('downloadToFile through the default transport (plainHttpGet and its pump)', () => {
  let storage: RecordingServer;
  let tmp: { path: string; cleanup(): Promise<void> };
  const data = randomBytes(3 * MiB + 17);
  const openFd = promisify(openCb);
  const taken = vi.mocked(takeBodyPump);
  /** How many times download.ts got a pump (not null) from takeBodyPump. */
  const pumpsTaken = (): number => taken.mock.results.filter((r) => r.value !== null).length;

  beforeEach(async () => {
    storage = await startRecordingServer();
    tmp = await tempDir('plain-download-');
    taken.mockClear();
  });
  afterEach(async () => {
    await storage.close();
    await tmp.cleanup();
  });

  it('writes the file byte for byte from the pump, one connection per request', async () => {
    storage.handle(serveStorageFile(data));
    await downloadWholeFile(storage, tmp.path, data);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]!.headers.connection).toBe('close');
    expect(storage.requests[0]!.headers['accept-encoding']).toBe('identity');
    expect(pumpsTaken()).toBe(1);
  });

  it('detects a cut-short body and resumes it with Range', async () => {
    for (const cut of ['reset', 'clean'] as const) {
      storage.requests.length = 0;
      taken.mockClear();
      storage.handle(serveStorageFile(data, { cutFirst: cut, etag: '"v1"' }));
      const r = await downloadToFile({
        url: `${storage.url}/s/out.webm`,
        dir: tmp.path,
        fileName: `${cut}.webm`,
      });
      expect(sha(await readFile(r.path)), cut).toBe(sha(data));
      expect(r.resumes).toBe(1);
      expect(storage.requests).toHaveLength(2);
      const range = storage.requests[1]!.headers.range ?? '';
      expect(range).toMatch(/^bytes=\d+-$/);
      expect(Number(/\d+/.exec(range)![0])).toBeGreaterThan(0);
      expect(storage.requests[1]!.headers['if-range']).toBe('"v1"');
      expect(storage.requests.map((q) => q.headers.connection)).toEqual(['close', 'close']);
      expect(pumpsTaken()).toBe(2);
    }
    expect((await readdir(tmp.path)).sort()).toEqual(['clean.webm', 'reset.webm']);
  });

  it('treats any failed write as a local file error, not a network one (EBADF: no retry)', async () => {
    storage.handle(serveStorageFile(data));
    const e = await rejection(
      downloadToFile({
        url: `${storage.url}/s`,
        dir: tmp.path,
        fileName: 'out.webm',
        // A descriptor open for reading only: every write fails with EBADF.
        openPart: async (path) => {
          await writeFile(path, '');
          return openFd(path, constants.O_RDONLY);
        },
      }),
    );
    expect(e).toBeInstanceOf(LocalFileError);
    expect((e as LocalFileError).kind).toBe('io');
    expect((e as LocalFileError).code).toBe('EBADF');
    expect(storage.requests).toHaveLength(1);
    expect(await readdir(tmp.path)).toEqual([]);
  });

  it('closes the connection when the .part cannot be opened', async () => {
    const srv = await rawServe((socket) => {
      // Headers, then the body trickles: the client must hang up, not wait on a paused socket.
      socket.write(latin1(`HTTP/1.1 200 OK\r\ncontent-length: ${8 * MiB}\r\n\r\n`));
      socket.write(Buffer.alloc(64 * KiB));
    });
    const e = await rejection(
      downloadToFile({
        url: `${srv.url}/s`,
        dir: tmp.path,
        fileName: 'out.webm',
        openPart: () =>
          Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })),
      }),
    );
    expect(e).toBeInstanceOf(LocalFileError);
    expect((e as LocalFileError).code).toBe('EACCES');
    await srv.closed(0);
  });

  it.each([
    ['a 3 MiB body', 3 * MiB + 17],
    ['a body that comes whole with the head', 1000],
  ])(
    'gives a clear error on a full disk and removes the .part (real ENOSPC from /dev/full), %s',
    async (_what, size) => {
      storage.handle(serveStorageFile(data.subarray(0, size)));
      const e = await rejection(
        downloadToFile({
          url: `${storage.url}/s`,
          dir: tmp.path,
          fileName: 'out.webm',
          openPart: fullDiskPart(tmp.path, 'out.webm'),
        }),
      );
      expect(e).toBeInstanceOf(LocalFileError);
      expect((e as LocalFileError).kind).toBe('disk-full');
      expect((e as LocalFileError).code).toBe('ENOSPC');
      expect(await readdir(tmp.path)).toEqual([]);
      expect(pumpsTaken()).toBe(1);
    },
    15_000,
  );
});
