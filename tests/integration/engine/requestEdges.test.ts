/**
 * The edges of a request, spoken over a raw socket so every byte is ours: `Expect:
 * 100-continue` (the go-ahead only for a body the engine will read, a refusal otherwise) and
 * a client that disconnects halfway through its body (one log line, no stack trace).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../shared/redact';
import type { StoredFile } from '../../../shared/renderioApi';
import { startHarness, type Harness } from './engineHarness';

const JSON_LIMIT = 64 * 1024;
const UPLOAD_LIMIT = 1024 * 1024;
const BOUNDARY = 'EdGeBoUnDaRy';

let h: Harness;
const logLines: string[] = [];

beforeAll(async () => {
  h = await startHarness({
    jsonLimitBytes: JSON_LIMIT,
    uploadLimitBytes: UPLOAD_LIMIT,
    logger: createLogger('engine', (_level, line) => logLines.push(line), 'warn'),
  });
});
afterAll(async () => {
  await h.cleanup();
});

/** A connection to the engine that collects everything the engine sends back. */
async function openConnection(): Promise<{
  socket: Socket;
  received: () => string;
  waitFor: (text: string) => Promise<void>;
  closed: Promise<string>;
}> {
  const { port } = new URL(h.engine.url);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  const waiters: { needle: string; resolve: () => void }[] = [];
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const w of waiters.splice(0))
      if (text.includes(w.needle)) w.resolve();
      else waiters.push(w);
  });
  const closed = new Promise<string>((resolve) => {
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
  });
  return {
    socket,
    received: () => text,
    waitFor: (needle) =>
      text.includes(needle)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ needle, resolve })),
    closed,
  };
}

function head(
  method: string,
  path: string,
  headers: Record<string, string | number>,
  withKey = true,
): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  if (withKey) lines.push(`X-API-KEY: ${h.key}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Sends a request head that asks for the go-ahead and no body; what came back once closed. */
async function askToSend(requestHead: string): Promise<string> {
  const connection = await openConnection();
  connection.socket.write(requestHead);
  return connection.closed;
}

function statusLine(response: string): string {
  return response.split('\r\n')[0] ?? '';
}

function bodyOf(response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as unknown;
}

async function fileIds(): Promise<string[]> {
  const { body } = await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100');
  return body.files.map((f) => f.file_id);
}

describe('Expect: 100-continue', () => {
  it('refuses an oversized JSON body with 413 before asking for it', async () => {
    const response = await askToSend(
      head('POST', '/api/v1/run-ffmpeg-command', {
        'Content-Type': 'application/json',
        'Content-Length': 2 * 1024 * 1024,
        Expect: '100-continue',
      }),
    );
    expect(response).not.toContain('100 Continue');
    expect(statusLine(response)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(bodyOf(response)).toEqual({
      detail: `Request body is larger than the limit of ${JSON_LIMIT} bytes`,
    });
  });

  it('refuses an upload over the upload limit with 413 before asking for it, and keeps nothing', async () => {
    const before = await fileIds();
    const response = await askToSend(
      head('POST', '/api/v1/files/upload', {
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        'Content-Length': 3 * UPLOAD_LIMIT,
        Expect: '100-continue',
      }),
    );
    expect(response).not.toContain('100 Continue');
    expect(statusLine(response)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(bodyOf(response)).toEqual({
      detail: `The upload is larger than the limit of ${UPLOAD_LIMIT} bytes`,
    });
    expect(await fileIds()).toEqual(before);
  });

  it('answers what it can tell from the head alone (no key, no such route, not multipart) without asking for the body', async () => {
    const ask = { 'Content-Length': 100, Expect: '100-continue' };
    const noKey = await askToSend(
      head(
        'POST',
        '/api/v1/run-ffmpeg-command',
        { 'Content-Type': 'application/json', ...ask },
        false,
      ),
    );
    expect(statusLine(noKey)).toBe('HTTP/1.1 401 Unauthorized');
    const noRoute = await askToSend(head('POST', '/api/v1/no-such-thing', ask));
    expect(statusLine(noRoute)).toBe('HTTP/1.1 404 Not Found');
    const notMultipart = await askToSend(
      head('POST', '/api/v1/files/upload', { 'Content-Type': 'application/json', ...ask }),
    );
    expect(statusLine(notMultipart)).toBe('HTTP/1.1 422 Unprocessable Entity');
    expect(JSON.stringify(bodyOf(notMultipart))).toContain('multipart/form-data');
    for (const response of [noKey, noRoute, notMultipart])
      expect(response).not.toContain('100 Continue');
  });

  it('asks for a body it will read, then answers it', async () => {
    const body = JSON.stringify({ input_files: {} });
    const connection = await openConnection();
    connection.socket.write(
      head('POST', '/api/v1/run-ffmpeg-command', {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        Expect: '100-continue',
      }),
    );
    await connection.waitFor('\r\n\r\n');
    expect(connection.received()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    connection.socket.write(body);
    const response = (await connection.closed).slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
    expect(statusLine(response)).toBe('HTTP/1.1 422 Unprocessable Entity');
  });
});

describe('a body that grows past the limit as it arrives', () => {
  it('answers 413 to a chunked JSON body (no Content-Length) over the limit', async () => {
    const connection = await openConnection();
    connection.socket.write(
      head('POST', '/api/v1/run-ffmpeg-command', {
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
      }),
    );
    // Over the limit, and the rest still to come: the answer must not wait for it.
    const piece = `{"metadata": {"big": "${'x'.repeat(JSON_LIMIT)}`;
    connection.socket.write(`${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`);
    const response = await connection.closed;
    expect(statusLine(response)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(bodyOf(response)).toEqual({
      detail: `Request body is larger than the limit of ${JSON_LIMIT} bytes`,
    });
  });
});

describe('a client that disconnects halfway through its body', () => {
  /**
   * Sends the head and `sent` of the `declared` body bytes, then closes the connection; the
   * engine's log lines written for it, once a later request has been answered.
   */
  async function abandon(
    path: string,
    contentType: string,
    bodyStart: Buffer,
    declared: number,
    waitForGoAhead = true,
  ) {
    const connection = await openConnection();
    const from = logLines.length;
    const seen = h.engine.requestLog.length;
    const requestHead = head('POST', path, {
      'Content-Type': contentType,
      'Content-Length': declared,
      ...(waitForGoAhead ? { Expect: '100-continue' } : {}),
    });
    if (waitForGoAhead) {
      connection.socket.write(requestHead);
      // The go-ahead: the engine is reading the body from here on.
      await connection.waitFor('100 Continue');
    }
    const sent = waitForGoAhead ? bodyStart : Buffer.concat([Buffer.from(requestHead), bodyStart]);
    await new Promise<void>((resolve) => connection.socket.write(sent, () => resolve()));
    connection.socket.destroy();
    await connection.closed;
    // The request is logged once its answer is over; then one more full round trip.
    while (!h.engine.requestLog.slice(seen).some((e) => e.path === path))
      await new Promise((r) => setTimeout(r, 20));
    await h.json('/api/v1/commands?limit=1');
    return logLines.slice(from);
  }

  it('logs one line for an aborted JSON body', async () => {
    const lines = await abandon(
      '/api/v1/run-ffmpeg-command',
      'application/json',
      Buffer.from('{"input_file'),
      40,
    );
    expect(lines).toEqual([
      '[engine] request aborted: POST /api/v1/run-ffmpeg-command (client closed the connection after 12 of 40 bytes)',
    ]);
  });

  it('logs one line when the client leaves before the engine started reading', async () => {
    // Head and body start in one write, then gone: the body may arrive while the key is
    // being checked, before any reader listens.
    const lines = await abandon(
      '/api/v1/run-ffmpeg-command',
      'application/json',
      Buffer.from('{"input_file'),
      40,
      false,
    );
    expect(lines).toEqual([
      '[engine] request aborted: POST /api/v1/run-ffmpeg-command (client closed the connection after 12 of 40 bytes)',
    ]);
  });

  it('logs one line for an aborted upload', async () => {
    const start = Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="half.mp4"\r\n` +
          'Content-Type: video/mp4\r\n\r\n',
      ),
      Buffer.alloc(300, 1),
    ]);
    const lines = await abandon(
      '/api/v1/files/upload',
      `multipart/form-data; boundary=${BOUNDARY}`,
      start,
      5000,
    );
    expect(lines).toEqual([
      `[engine] request aborted: POST /api/v1/files/upload (client closed the connection after ${start.length} of 5000 bytes)`,
    ]);
  });
});

describe('a refusal answered before the body is read', () => {
  it('reads and drops the rest of the body, so the refusal arrives and the connection serves on', async () => {
    const connection = await openConnection();
    const declared = 8 * 1024 * 1024;
    const requestHead = head(
      'POST',
      '/api/v1/files/upload',
      { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': declared },
      false,
    ).replace('Connection: close', 'Connection: keep-alive');
    connection.socket.write(requestHead);
    await connection.waitFor('\r\n\r\n');
    expect(statusLine(connection.received())).toBe('HTTP/1.1 401 Unauthorized');
    // The client goes on sending what it declared, as one streaming an upload does: no reset.
    const piece = Buffer.alloc(256 * 1024, 7);
    for (let sent = 0; sent < declared; sent += piece.length)
      await new Promise<void>((resolve, reject) =>
        connection.socket.write(piece, (e) => (e ? reject(e) : resolve())),
      );
    // The body was framed by its length, not parsed as a request: the next one is answered.
    const answered = connection.received().length;
    connection.socket.write(head('GET', '/api/v1/commands?limit=1', {}));
    const rest = (await connection.closed).slice(answered);
    expect(statusLine(rest)).toBe('HTTP/1.1 200 OK');
  });
});
