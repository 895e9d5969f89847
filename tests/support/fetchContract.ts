/**
 * The parts of fetch's contract the core relies on that every transport that ships keeps the
 * same way, as `it` cases a transport's test file registers in its own describe blocks
 * (undiciFetch.test.ts for plain Node, the CLI's; netRequestFetch.test.ts for the app's, under
 * the Electron double): status, headers and a body by either path; redirects never followed; a
 * refused connection; aborts. Also the checks of a rejection both files use.
 */
import { expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FetchLike } from '../../electron/core/ports';
import { describeNetworkFailure } from '../../electron/core/client/networkFailure';
import { rawAnswer, rawServe, serve, serveStalledBody } from './loopbackServers';

export interface ContractTransport {
  fetch: FetchLike;
  /** The whole body read the transport's own way (its body pump), not through the web body. */
  ownBody(response: Response): Promise<Buffer>;
  /** false: a 3xx comes without its body (Chromium hands a redirect's body to nobody). */
  redirectBodies?: boolean;
}

const M = { redirect: 'manual' } as const;

/** What a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
}

/** Asserts `e` is TypeError(message) and returns its cause. */
export function causeOf(
  e: unknown,
  message: 'fetch failed' | 'terminated',
): Error & { code?: string } {
  expect(e).toBeInstanceOf(TypeError);
  expect((e as TypeError).message).toBe(message);
  expect((e as TypeError).cause).toBeInstanceOf(Error);
  return (e as TypeError).cause as Error & { code?: string };
}

/** The shared cases, by the describe block they belong in. */
export function fetchContract(t: ContractTransport) {
  return {
    answers(): void {
      it("gives status, statusText, headers (repeated ones combined) and a JSON body, by the web body or the transport's own", async () => {
        const { url } = await serve((_req, res) => {
          res.setHeader('x-multi', ['a', 'b']);
          res.writeHead(201, 'Made It', { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true, n: 3 }));
        });
        const r = await t.fetch(`${url}/x`, M);
        expect(r.status).toBe(201);
        expect(r.statusText).toBe('Made It');
        expect(r.ok).toBe(true);
        expect(r.headers.get('content-type')).toBe('application/json');
        expect(r.headers.get('x-multi')).toBe('a, b');
        expect(await r.json()).toEqual({ ok: true, n: 3 });

        const own = await t.ownBody(await t.fetch(`${url}/x`, M));
        expect(JSON.parse(own.toString('utf8'))).toEqual({ ok: true, n: 3 });
      });
    },

    redirects(): void {
      it("returns a 3xx (302, 307) as is with redirect 'manual'", async () => {
        const { url } = await serve((req, res) => {
          const status = req.url === '/a' ? 302 : 307;
          res.writeHead(status, { location: `/next${req.url}` }).end('moved');
        });
        for (const [path, status] of [
          ['/a', 302],
          ['/b', 307],
        ] as const) {
          const r = await t.fetch(`${url}${path}`, M);
          expect(r.status).toBe(status);
          expect(r.headers.get('location')).toBe(`/next${path}`);
          expect(await r.text()).toBe(t.redirectBodies === false ? '' : 'moved');
        }
      });

      it("rejects a redirect with redirect 'error', and refuses 'follow' (or none) before sending anything", async () => {
        let requests = 0;
        const { url } = await serve((req, res) => {
          requests++;
          if (req.url === '/ok') return void res.end('fine');
          res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
        });
        const e = await rejection(t.fetch(url, { redirect: 'error' }));
        expect(causeOf(e, 'fetch failed').message).toBe('unexpected redirect');
        expect(requests).toBe(1);
        expect(await (await t.fetch(`${url}/ok`, { redirect: 'error' })).text()).toBe('fine');
        expect(requests).toBe(2);

        for (const init of [undefined, {}, { redirect: 'follow' } as const]) {
          const refused = await rejection(t.fetch(url, init));
          expect(refused).toBeInstanceOf(TypeError);
          expect((refused as TypeError).message).toMatch(/does not follow redirects/);
        }
        await sleep(50);
        expect(requests).toBe(2);
      });
    },

    failures(): void {
      it("rejects a refused connection with TypeError 'fetch failed' and the transport's error as cause", async () => {
        const srv = await serve(() => undefined);
        await srv.close();
        const e = await rejection(t.fetch(`${srv.url}/`, M));
        // ECONNREFUSED from Node's socket (undici), net::ERR_CONNECTION_REFUSED from Electron's net: one meaning.
        expect(describeNetworkFailure(causeOf(e, 'fetch failed'))).toMatchObject({
          class: 'unreachable',
          words: 'the connection was refused',
        });
      });
    },

    aborts(): void {
      it("rejects at once with an already-aborted signal's reason, connecting to nothing", async () => {
        const srv = await rawAnswer('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
        const reason = new Error('stop now');
        await expect(t.fetch(srv.url, { ...M, signal: AbortSignal.abort(reason) })).rejects.toBe(
          reason,
        );
        const e = await rejection(t.fetch(srv.url, { ...M, signal: AbortSignal.abort() }));
        expect(e).toBeInstanceOf(DOMException);
        expect((e as DOMException).name).toBe('AbortError');
        await sleep(50);
        expect(srv.connections).toBe(0);
      });

      it('rejects with the reason when aborted while the server holds the head back, and closes the connection', async () => {
        const srv = await rawServe(); // reads the request, answers nothing
        const ac = new AbortController();
        const p = t.fetch(srv.url, { ...M, signal: ac.signal });
        while (srv.requests.length === 0) await sleep(5);
        const reason = new Error('user cancelled');
        ac.abort(reason);
        await expect(p).rejects.toBe(reason);
        await srv.closed(0);
      });

      // As Node's global fetch does: the reason itself, not TypeError('terminated').
      it("rejects the web body's read with the reason when aborted in the middle of it, and closes the connection", async () => {
        const srv = await serveStalledBody(Buffer.alloc(1000), 1_000_000);
        const ac = new AbortController();
        const r = await t.fetch(srv.url, { ...M, signal: ac.signal });
        const reader = r.body!.getReader();
        const chunk = await reader.read();
        expect(chunk.value!.byteLength).toBe(1000);
        const reason = new Error('cancel');
        ac.abort(reason);
        await expect(reader.read()).rejects.toBe(reason);
        await srv.closed(0);
      });
    },
  };
}
