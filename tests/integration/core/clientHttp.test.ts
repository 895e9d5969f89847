/**
 * The client against small recording servers: where the key goes (and does not), redirects,
 * odd bodies, retries, time limits. Each server records exactly what it received.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { truncateSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RenderioClient, RenderioError, type ClientOptions } from '../../../electron/core/client';
import { forgetGate } from '../../../electron/core/client/rateGate';
import { LocalFileError } from '../../../electron/core/transfers';
import type { Clock, FetchLike } from '../../../electron/core/ports';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { createNetRequestFetch } from '../../../electron/core/client/netRequestFetch';
import { createElectronDouble } from '../../support/electron';
import {
  everythingReceived,
  startRecordingServer,
  type RecordingServer,
} from '../../support/recordingServer';
import { tempDir } from '../../support/media';

const newKey = () => `ffsk_${randomBytes(32).toString('hex')}`;

let api: RecordingServer;
let other: RecordingServer;
let key: string;
let tmp: { path: string; cleanup(): Promise<void> };

beforeEach(async () => {
  api = await startRecordingServer();
  other = await startRecordingServer();
  key = newKey();
  tmp = await tempDir('client-http-');
});
afterEach(async () => {
  forgetGate(key);
  await api.close();
  await other.close();
  await tmp.cleanup();
});

function clientOf(o: Partial<ClientOptions> = {}): RenderioClient {
  return new RenderioClient({
    baseUrl: api.url,
    withKey: (fn) => fn(key),
    fetch: undiciFetch,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    ...o,
  });
}

const client = clientOf;

// The app's transport (Electron's net.request, under the strict double) beside the CLI's.
const electron = createElectronDouble({ userData: '/nonexistent' });
electron.control.emitReady();
const transports: [string, FetchLike][] = [
  ["the CLI's transport (undici)", undiciFetch],
  ['the app transport', createNetRequestFetch((o) => electron.main.net.request(o))],
];

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }) as Parameters<RecordingServer['handle']>[0];

/** Runs fn, expects a RenderioError, and checks its text carries no part of the key. */
async function failure(fn: () => Promise<unknown>): Promise<RenderioError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RenderioError);
    const e = error as RenderioError;
    const text = `${e.message}\n${e.stack}\n${JSON.stringify(e)}\n${String(e.cause)}`;
    expect(text).not.toContain(key.slice(5, 17));
    return e;
  }
  throw new Error('expected a failure');
}

describe.each(transports)('where the key goes, over %s', (_name, transport) => {
  const client = (o: Partial<ClientOptions> = {}) => clientOf({ fetch: transport, ...o });

  it('sends X-API-KEY to the API origin, with the documented paths and bodies', async () => {
    api.handle(json(200, { command_id: 'c1' }));
    await client().runCommand({
      input_files: { in_a: 'https://x/a.mp4' },
      output_files: { out_a: 'a.webm' },
      ffmpeg_command: '-i {{in_a}} {{out_a}}',
    });
    const r = api.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/api/v1/run-ffmpeg-command');
    expect(r.headers['x-api-key']).toBe(key);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.bodyHead.toString()).output_files).toEqual({ out_a: 'a.webm' });
  });

  it('drops the key on a redirect to another origin, keeps it on the same origin', async () => {
    api.handle((req, res) => {
      if (req.url?.startsWith('/api/v1/commands/same')) {
        res.writeHead(302, { location: '/api/v1/commands/moved' });
        return res.end();
      }
      if (req.url === '/api/v1/commands/moved')
        return json(200, { command_id: 'moved', status: 'QUEUED' })(req, res, api.requests.at(-1)!);
      res.writeHead(307, { location: `${other.url}/api/v1/commands/elsewhere` });
      res.end();
    });
    other.handle(json(200, { command_id: 'elsewhere', status: 'QUEUED' }));
    expect((await client().getCommand('same')).command_id).toBe('moved');
    expect(api.requests.map((r) => r.headers['x-api-key'])).toEqual([key, key]);
    expect((await client().getCommand('cross')).command_id).toBe('elsewhere');
    expect(other.requests).toHaveLength(1);
    expect(everythingReceived(other.requests)).not.toContain(key);
    expect(everythingReceived(other.requests)).not.toContain(key.slice(5, 20));
  });

  it('does not follow a redirect with a streamed upload (and the other origin gets nothing)', async () => {
    const path = join(tmp.path, 'clip.mp4');
    await writeFile(path, randomBytes(300_000));
    api.handle((_req, res) => {
      res.writeHead(307, { location: `${other.url}/upload-here` });
      res.end();
    });
    other.handle(json(200, { file_id: 'f1' }));
    const e = await failure(() => client().uploadFile(path));
    expect(e.kind).toBe('protocol');
    expect(e.message).toMatch(/redirect/);
    expect(other.requests).toHaveLength(0);
    expect(api.requests[0]!.bodyBytes).toBeGreaterThan(300_000);
  });

  it('refuses a base URL that would send the key in clear over a network', () => {
    expect(() => client({ baseUrl: 'http://renderio.dev' })).toThrow(/https/);
    expect(() => client({ baseUrl: 'https://user:pw@renderio.dev' })).toThrow();
    expect(client({ baseUrl: 'https://renderio.dev/api/v1/' }).baseUrl).toBe(
      'https://renderio.dev',
    );
  });

  it('gives storage URLs on another origin no key, and same-origin ones the key', async () => {
    other.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '5' });
      res.end('hello');
    });
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '5' });
      res.end('world');
    });
    const c = client();
    await c.download({
      url: `${other.url}/storage/f/out.webm?expires=1&signature=ab`,
      dir: tmp.path,
      fileName: 'a.webm',
    });
    await c.download({ url: `${api.url}/storage/f/out.webm`, dir: tmp.path, fileName: 'b.webm' });
    expect(everythingReceived(other.requests)).not.toContain(key);
    expect(api.requests[0]!.headers['x-api-key']).toBe(key);
  });
});

describe('answers', () => {
  it('accepts 200 and 202 on submit', async () => {
    api.handle(json(202, { command_id: 'c202' }));
    expect(
      (
        await client().runChained({
          input_files: {},
          output_files: {},
          ffmpeg_commands: ['-version'],
        })
      ).command_id,
    ).toBe('c202');
  });

  it('turns an HTML page, an empty body, truncated JSON and a body without the field into protocol errors', async () => {
    const cases: [string, Parameters<RecordingServer['handle']>[0]][] = [
      [
        'HTML page',
        (_q, s) =>
          s
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<html>Sign in to the Wi-Fi</html>'),
      ],
      ['without a command_id', (_q, s) => s.writeHead(200).end('')],
      [
        'not JSON',
        (_q, s) =>
          s.writeHead(200, { 'content-type': 'application/json' }).end('{"command_id": "abc'),
      ],
      ['without a command_id (command_id: missing)', json(200, { id: 'x' })],
      [
        'without a command_id (command_id: expected string, got number)',
        json(200, { command_id: 7 }),
      ],
    ];
    for (const [text, handler] of cases) {
      api.handle(handler);
      const e = await failure(() =>
        client().runCommand({ input_files: {}, output_files: {}, ffmpeg_command: 'x' }),
      );
      expect(e.kind).toBe('protocol');
      expect(e.message).toContain(text);
    }
  });

  it('reads only a bounded prefix of a huge error body', async () => {
    let sent = 0;
    api.handle((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(1024 * 1024, '<p>x</p>');
      const pump = (): void => {
        while (sent < 1024 && res.write(chunk)) sent++;
        if (sent < 1024) res.once('drain', pump);
        else res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
    const e = await failure(() =>
      client().runCommand({ input_files: {}, output_files: {}, ffmpeg_command: 'x' }),
    );
    expect(e.kind).toBe('server');
    expect(sent).toBeLessThan(1024);
  });

  it('maps 401 to auth without retrying, and keeps the 422 detail', async () => {
    api.handle(json(401, { detail: 'Invalid or missing API key' }));
    const e = await failure(() => client().getCommand('x'));
    expect(e.kind).toBe('auth');
    expect(api.requests).toHaveLength(1);
    const detail = [
      { loc: ['body', 'ffmpeg_command'], msg: 'unknown placeholder {{in_b}}', type: 'value_error' },
    ];
    api.handle(json(422, { detail }));
    const v = await failure(() =>
      client().runCommand({ input_files: {}, output_files: {}, ffmpeg_command: '{{in_b}}' }),
    );
    expect(v.kind).toBe('validation');
    expect(v.detail).toEqual(detail);
  });

  it('retries 5xx for idempotent calls with back-off, not for submits', async () => {
    let n = 0;
    api.handle((req, res) => {
      n++;
      if (n < 3)
        return void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
      json(200, { commands: [], limit: 1, offset: 0 })(req, res, api.requests.at(-1)!);
    });
    expect((await client().listCommands({ limit: 1 })).commands).toEqual([]);
    expect(api.requests).toHaveLength(3);
    expect(api.requests[0]!.url).toBe('/api/v1/commands?limit=1');
    api.requests.length = 0;
    api.handle((_q, s) => s.writeHead(500).end());
    const e = await failure(() =>
      client().runCommand({ input_files: {}, output_files: {}, ffmpeg_command: 'x' }),
    );
    expect(e.kind).toBe('server');
    expect(api.requests).toHaveLength(1);
  });

  it('waits out a 429 for at least its Retry-After (seconds, HTTP date, or the default) and retries even a submit', async () => {
    // A test clock: time moves only when the client sleeps, so each request's arrival is read
    // on the clock the client waited with, and the bound is exact whatever the machine's load.
    let now = Date.now();
    const clock: Clock = {
      now: () => now,
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        now += Math.max(0, ms);
      },
      setTimer: () => {
        throw new Error('the client sets no timers on its clock');
      },
    };
    const arrivals: number[] = [];
    const c = client({ clock, retry: { defaultRateLimitMs: 300 } });
    const submit = () => c.runCommand({ input_files: {}, output_files: {}, ffmpeg_command: 'x' });
    const limitedOnce = (headers: Record<string, string>) => {
      arrivals.length = 0;
      api.handle((req, res) => {
        arrivals.push(now);
        const first = arrivals.length === 1;
        json(
          first ? 429 : 200,
          first ? { detail: 'slow down' } : { command_id: 'after-wait' },
          first ? headers : {},
        )(req, res, api.requests.at(-1)!);
      });
    };

    limitedOnce({ 'retry-after': '2' });
    expect((await submit()).command_id).toBe('after-wait');
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(2000);

    // An HTTP date (whole seconds): nothing is sent again before the time it names.
    const until = new Date(now + 5000).toUTCString();
    limitedOnce({ 'retry-after': until });
    expect((await submit()).command_id).toBe('after-wait');
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]!).toBeGreaterThanOrEqual(Date.parse(until));
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThan(0);

    // No Retry-After at all: the default wait applies.
    limitedOnce({});
    expect((await submit()).command_id).toBe('after-wait');
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(300);
  });

  it('gives up on a long Retry-After and reports it', async () => {
    api.handle(json(429, { detail: 'quota' }, { 'retry-after': '3600' }));
    const e = await failure(() => client().getCommand('x'));
    expect(e.kind).toBe('rate-limited');
    expect(e.retryAfterMs).toBe(3_600_000);
    expect(api.requests).toHaveLength(1);
  });
});

describe('failures of the connection', () => {
  it('reports an unreachable server as network', async () => {
    const port = Number(new URL(other.url).port);
    await other.close();
    const c = client({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
    });
    const e = await failure(() => c.getCommand('x'));
    expect(e.kind).toBe('network');
    // Words for a person; the code for the log.
    expect(e.message).toBe(`Could not reach http://127.0.0.1:${port}: the connection was refused`);
    expect(e.code).toBe('ECONNREFUSED');
    other = await startRecordingServer();
  });

  it('times out a server that never answers', async () => {
    api.handle(() => undefined);
    const e = await failure(() =>
      client({ retry: { attempts: 1 } }).getCommand('x', { timeoutMs: 300 }),
    );
    expect(e.kind).toBe('timeout');
  });

  it('stops when the caller aborts, also during a rate-limit wait', async () => {
    api.handle(() => undefined);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    expect((await failure(() => client().getCommand('x', { signal: ac.signal }))).kind).toBe(
      'aborted',
    );
    api.handle(json(429, { detail: 'wait' }, { 'retry-after': '30' }));
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 200);
    const e = await failure(() => client().getCommand('x', { signal: ac2.signal }));
    expect(e.kind).toBe('aborted');
  });

  it('reports a source file that vanishes or shrinks as a local error, not a network one', async () => {
    api.handle(json(200, { file_id: 'f' }));
    const missing = await client()
      .uploadFile(join(tmp.path, 'nope.mp4'))
      .catch((x: unknown) => x);
    expect(missing).toBeInstanceOf(LocalFileError);
    expect((missing as LocalFileError).code).toBe('ENOENT');
    const path = join(tmp.path, 'shrinking.mp4');
    await writeFile(path, randomBytes(8 * 1024 * 1024));
    let cut = false;
    const e = await client()
      .uploadFile(path, {
        onProgress: () => {
          if (!cut) {
            cut = true;
            truncateSync(path, 0);
          }
        },
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LocalFileError);
    expect((e as LocalFileError).message).toMatch(/shrinking\.mp4/);
  });

  it('times out an upload only when it stalls, not for its length', async () => {
    const path = join(tmp.path, 'clip.mp4');
    await writeFile(path, randomBytes(200_000));
    api.handle(() => undefined); // reads the body, never answers
    const e = await failure(() => client({ idleTimeoutMs: 300 }).uploadFile(path));
    expect(e.kind).toBe('timeout');

    // Longer than the limit in all, but never idle for it: the upload goes through.
    api.handle(json(200, { file_id: 'f1' }));
    const slowPath = join(tmp.path, 'slow.mp4');
    await writeFile(slowPath, randomBytes(1024 * 1024));
    const slowBody = (body: RequestInit['body']) =>
      (body as ReadableStream<Uint8Array>).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          async transform(chunk, controller) {
            await new Promise((resolve) => setTimeout(resolve, 40));
            controller.enqueue(chunk);
          },
        }),
      );
    const slowFetch: FetchLike = Object.assign(
      (input: string, init?: RequestInit) =>
        undiciFetch(input, { ...init, body: slowBody(init?.body) }),
      { uploadChunkBytes: 64 * 1024 }, // 16 chunks, 40 ms apart
    );
    const started = performance.now();
    const up = await client({ idleTimeoutMs: 300, fetch: slowFetch }).uploadFile(slowPath);
    expect(up.file_id).toBe('f1');
    expect(performance.now() - started).toBeGreaterThan(300);
    expect(api.requests.at(-1)!.bodyBytes).toBeGreaterThan(1024 * 1024);
  });
});
