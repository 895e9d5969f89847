import { describe, expect, it } from 'vitest';
import { RenderioError } from '../../../../../electron/core/client/errors';
import { VaultError } from '../../../../../electron/core/vault/index';
import {
  answerMayBeLost,
  backoffMs,
  classifyError,
  JobFailure,
  toJobError,
} from '../../../../../electron/core/queue/jobErrors';

const KEY = `ffsk_${'ab'.repeat(32)}`;

describe('what the queue does with a failure', () => {
  it('holds for a key, waits out a 429, backs off on network and 5xx, fails the rest', () => {
    expect(
      classifyError(new RenderioError('auth', 'Invalid or missing API key', { status: 401 })),
    ).toEqual({ action: 'auth' });
    expect(classifyError(new VaultError('no-key', 'No API key is set'))).toEqual({
      action: 'auth',
    });
    expect(
      classifyError(new RenderioError('rate-limited', 'slow down', { retryAfterMs: 3000 })),
    ).toEqual({ action: 'rate-limited', waitMs: 3000 });
    expect(classifyError(new RenderioError('rate-limited', 'slow down'))).toEqual({
      action: 'rate-limited',
      waitMs: 5000,
    });
    expect(classifyError(new RenderioError('network', 'ECONNREFUSED'))).toEqual({
      action: 'transient',
      limited: false,
    });
    expect(classifyError(new RenderioError('server', '502'))).toEqual({
      action: 'transient',
      limited: true,
    });
    expect(classifyError(new RenderioError('validation', '422'))).toEqual({ action: 'fail' });
    expect(classifyError(new JobFailure('ffmpeg', 'Invalid data'))).toEqual({ action: 'fail' });
    const controller = new AbortController();
    controller.abort();
    expect(classifyError(new RenderioError('network', 'x'), controller.signal)).toEqual({
      action: 'aborted',
    });
  });

  it('gives failures that repeat alike until someone acts a few tries, not an endless wait', () => {
    const stuck = { action: 'transient', limited: 'stuck' };
    expect(classifyError(new RenderioError('not-sent', 'refused before it left'))).toEqual(stuck);
    expect(classifyError(new RenderioError('tls', 'certificate not trusted'))).toEqual(stuck);
    expect(classifyError(new VaultError('store-unavailable', 'try again'))).toEqual(stuck);
    expect(classifyError(new RenderioError('protocol', '405', { status: 405 }))).toEqual(stuck);
    // An HTML page from a captive portal, a 3xx loop: they may clear.
    expect(classifyError(new RenderioError('protocol', 'HTML', { status: 200 }))).toEqual({
      action: 'transient',
      limited: true,
    });
    // 408 is a timeout: the network, retried and shown as such.
    expect(classifyError(new RenderioError('timeout', '408', { status: 408 }))).toEqual({
      action: 'transient',
      limited: false,
    });
  });

  it('fails a full disk at once with its words and Retry, on this computer and on RenderIO', () => {
    const detail =
      'Disk full: the disk this converter keeps its files on (/home/a/.config/RenderIO/engine) has no room left. Free some space on it, then try again.';
    const full = new RenderioError(
      'storage-full',
      `POST http://127.0.0.1:41234/api/v1/files/upload has no room to store it (507): ${detail}`,
      { status: 507, detail },
    );
    expect(classifyError(full)).toEqual({ action: 'fail' });
    // The engine's words alone: no request line, no status, no "RenderIO" (the folder's name
    // is a path, kept as it is).
    expect(toJobError(full, { local: true })).toEqual({
      code: 'storage-full',
      message: detail,
      retryable: true,
    });
    expect(
      toJobError(new RenderioError('storage-full', '507', { status: 507 }), { local: true }),
    ).toEqual({
      code: 'storage-full',
      message: "This computer's disk is full. Free some space, then try again.",
      retryable: true,
    });
    expect(
      toJobError(
        new RenderioError('storage-full', '507', { status: 507, detail: 'Quota reached' }),
      ),
    ).toEqual({
      code: 'storage-full',
      message: 'RenderIO has no room to store the file: Quota reached Try again later.',
      retryable: true,
    });
  });

  it('reconciles a submit only when its answer may have been lost', () => {
    expect(answerMayBeLost(new RenderioError('network', 'reset'))).toBe(true);
    expect(answerMayBeLost(new RenderioError('server', '500'))).toBe(true);
    expect(answerMayBeLost(new RenderioError('timeout', 'no answer'))).toBe(true);
    expect(answerMayBeLost(new RenderioError('validation', '422'))).toBe(false);
    expect(answerMayBeLost(new RenderioError('rate-limited', '429'))).toBe(false);
    expect(answerMayBeLost(new RenderioError('auth', '401'))).toBe(false);
  });

  it('stores errors redacted, with a code and whether retry may help', () => {
    const error = toJobError(new JobFailure('ffmpeg', `bad input (key ${KEY})`, false));
    expect(error).toEqual({
      code: 'ffmpeg',
      message: 'bad input (key ffsk_[REDACTED])',
      retryable: false,
    });
    expect(toJobError(new RenderioError('validation', 'alias'))).toMatchObject({
      code: 'validation',
      retryable: false,
    });
    expect(toJobError(Object.assign(new Error(`disk full ${KEY}`), { code: 'ENOSPC' }))).toEqual({
      code: 'disk',
      message: 'disk full ffsk_[REDACTED]',
      retryable: true,
    });
  });

  it('backs off exponentially with jitter, capped', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const ms = backoffMs(attempt, 30_000);
      const base = Math.min(30_000, 1000 * 2 ** attempt);
      expect(ms).toBeGreaterThanOrEqual(base * 0.75);
      expect(ms).toBeLessThanOrEqual(base * 1.25);
    }
  });
});
