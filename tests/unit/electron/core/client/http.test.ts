import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  MAX_ERROR_BODY_BYTES,
  backoffDelay,
  errorFromResponse,
  parseRetryAfter,
  readBounded,
} from '../../../../../electron/core/client/http';
import { systemClock, type RequestBody } from '../../../../../electron/core/ports';

const key = `ffsk_${randomBytes(32).toString('hex')}`;

function streamOf(chunks: number, size: number, fill = 0x61): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= chunks) return controller.close();
      sent++;
      controller.enqueue(new Uint8Array(size).fill(fill));
    },
  });
}

const fail = (status: number, body: RequestBody | null, headers: Record<string, string> = {}) =>
  errorFromResponse(
    new Response(body, { status, headers }),
    'GET',
    'https://renderio.dev/api/v1/commands?limit=1',
    systemClock,
    4000,
  );

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(' 0 ', 0)).toBe(0);
    expect(parseRetryAfter('1.5', 0)).toBe(1500);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
  });
  it('ignores garbage and absence', () => {
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('-3', 0)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows exponentially within [cap/2, cap] and stops at the maximum', () => {
    expect(backoffDelay(1, 500, 30_000, () => 0)).toBe(250);
    expect(backoffDelay(1, 500, 30_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 30_000, () => 1)).toBe(2000);
    expect(backoffDelay(20, 500, 30_000, () => 1)).toBe(30_000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(4, 500, 30_000);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});

describe('readBounded', () => {
  it('reads a small body whole', async () => {
    const r = await readBounded(new Response('hello'), 100);
    expect(r.bytes.toString()).toBe('hello');
    expect(r.truncated).toBe(false);
  });
  it('stops at the limit and cancels a body that never ends', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const r = await readBounded(new Response(endless), 100_000);
    expect(r.truncated).toBe(true);
    expect(r.bytes.length).toBe(100_000);
    expect(pulled).toBeLessThan(20);
  });
  it('handles an empty body', async () => {
    const r = await readBounded(new Response(null, { status: 204 }), 10);
    expect(r.bytes.length).toBe(0);
  });
});

describe('errorFromResponse', () => {
  it('maps 507 to storage-full with the detail: not retried as a server error is', async () => {
    const detail =
      'Disk full: the disk this converter keeps its files on (/data) has no room left.';
    const e = await fail(507, JSON.stringify({ detail }));
    expect(e.kind).toBe('storage-full');
    expect(e.status).toBe(507);
    expect(e.detail).toBe(detail);
    expect(e.transient).toBe(false);
    expect((await fail(503, '{"detail":"busy"}')).kind).toBe('server');
  });
  it('maps 401 to auth with the detail', async () => {
    const e = await fail(401, JSON.stringify({ detail: 'Invalid or missing API key' }));
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.message).toContain('Invalid or missing API key');
  });
  it('maps 429 with Retry-After seconds, an HTTP date, or nothing (default)', async () => {
    expect((await fail(429, '{"detail":"slow down"}', { 'retry-after': '2' })).retryAfterMs).toBe(
      2000,
    );
    const date = new Date(Date.now() + 10_000).toUTCString();
    const d = (await fail(429, null, { 'retry-after': date })).retryAfterMs!;
    expect(d).toBeGreaterThan(8000);
    expect(d).toBeLessThanOrEqual(10_000);
    const none = await fail(429, '');
    expect(none.kind).toBe('rate-limited');
    expect(none.retryAfterMs).toBe(4000);
  });
  it('keeps the 422 issue list as detail', async () => {
    const body = {
      detail: [{ loc: ['input_files', 'in_video'], msg: 'not a URL', type: 'value_error' }],
    };
    const e = await fail(422, JSON.stringify(body));
    expect(e.kind).toBe('validation');
    expect(e.detail).toEqual(body.detail);
    expect(e.message).toContain('input_files.in_video: not a URL');
  });
  it('maps 404, 400, 413, 5xx and odd codes', async () => {
    expect((await fail(404, '{"detail":"Command not found"}')).kind).toBe('not-found');
    expect((await fail(400, '{"detail":"limit must be at most 100"}')).kind).toBe('validation');
    expect((await fail(413, '{"detail":"too big"}')).kind).toBe('validation');
    expect((await fail(503, 'down')).kind).toBe('server');
    expect((await fail(418, 'teapot')).kind).toBe('protocol');
  });
  it('survives HTML, empty, huge and broken bodies', async () => {
    const html = await fail(502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(html.kind).toBe('server');
    expect(html.message).toContain('HTML page');
    expect((await fail(500, null)).message).toContain('empty body');
    const huge = await fail(500, streamOf(10_000, 64 * 1024));
    expect(huge.kind).toBe('server');
    expect(huge.message.length).toBeLessThan(1000);
    const broken = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"detail": "cut'));
        c.error(new Error('socket hang up'));
      },
    });
    const b = await fail(500, broken);
    expect(b.kind).toBe('server');
    expect(MAX_ERROR_BODY_BYTES).toBe(64 * 1024);
  });
  it('never repeats a key found in the body or the detail', async () => {
    const e1 = await fail(401, JSON.stringify({ detail: `key ${key} is revoked` }));
    const e2 = await fail(500, `upstream said X-API-KEY: ${key}`);
    const e3 = await fail(422, JSON.stringify({ detail: [{ loc: [key], msg: key, type: 'x' }] }));
    for (const e of [e1, e2, e3]) {
      expect(`${e.message} ${JSON.stringify(e.detail)} ${e.stack}`).not.toContain(key.slice(5, 20));
    }
  });
});
