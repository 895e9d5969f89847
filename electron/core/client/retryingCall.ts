/**
 * One API call, whatever the endpoint: the key borrowed for its length and sent to the API's
 * origin only, a deadline per attempt, jittered retries of network, timeout and 5xx failures
 * (idempotent calls only), every call's 429 waited out through its key's rate-limit gate, and
 * the answer read bounded and checked against its schema (shared/renderioSchemas.ts).
 */
import type { z } from 'zod';
import { parseAnswer } from '../../../shared/renderioSchemas';
import type { Logger } from '../../../shared/redact';
import type { Clock, FetchLike, RequestBody } from '../ports';
import { RenderioError, describeEndpoint } from './errors';
import {
  Deadline,
  MAX_JSON_BODY_BYTES,
  backoffDelay,
  errorFromResponse,
  readBounded,
  sendWithRedirects,
  toRenderioError,
} from './http';
import { gateForKey } from './rateGate';

/** Lends the key for the length of fn; the vault's withKey is the only implementation in the app. */
export type KeyProvider = <T>(fn: (key: string) => Promise<T>) => Promise<T>;

export interface RetryPolicy {
  /** Attempts in all for network/timeout/5xx failures of idempotent calls (1 = no retry). */
  attempts: number;
  /** Attempts in all when the answer is 429 (any call). */
  rateLimitAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 asking for a longer wait than this is not slept through: the error goes to the caller. */
  maxRateLimitWaitMs: number;
  /** The wait after a 429 that has no readable Retry-After. */
  defaultRateLimitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  rateLimitAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRateLimitWaitMs: 120_000,
  defaultRateLimitMs: 5_000,
};

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** What every call of one client shares. */
export interface CallContext {
  fetch: FetchLike;
  clock: Clock;
  retry: RetryPolicy;
  /** The API origin: the only one the key goes to. */
  origin: string;
  withKey: KeyProvider;
  /** Per-attempt limit for JSON calls. */
  timeoutMs: number;
  /** For streamed bodies: the longest time without a byte moving. */
  idleTimeoutMs: number;
  random: () => number;
  logger?: Logger | undefined;
}

export interface CallSpec<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  json?: unknown;
  /**
   * A streamed body: called afresh for every attempt, with `touch` to call as its bytes move
   * (the attempt then times out only after idleTimeoutMs without one).
   */
  body?: (touch: () => void) => {
    body: RequestBody;
    headers: Record<string, string>;
    length?: number;
  };
  /** Safe to send twice: network, timeout and 5xx failures are retried. */
  idempotent: boolean;
  ok: readonly number[];
  /** What a good answer looks like. */
  answer: S;
  /** What the answer should have been, for the protocol error. */
  expected: string;
}

export function callApi<S extends z.ZodType>(
  ctx: CallContext,
  spec: CallSpec<S>,
  o: CallOptions,
): Promise<z.output<S>> {
  const endpoint = describeEndpoint(spec.url);
  // Serialized once for all attempts; a streamed body is made afresh for each.
  const json = spec.json === undefined ? undefined : JSON.stringify(spec.json);
  const idle = spec.body !== undefined;
  const timeoutMs = idle ? ctx.idleTimeoutMs : (o.timeoutMs ?? ctx.timeoutMs);
  const { retry } = ctx;
  const sleep = async (ms: number): Promise<void> => {
    try {
      await ctx.clock.sleep(ms, o.signal);
    } catch {
      throw new RenderioError('aborted', `${spec.method} ${endpoint} was cancelled`);
    }
  };
  return ctx.withKey(async (key) => {
    const gate = gateForKey(key, ctx.clock);
    // Counted apart: a run of 429s does not use up the retries for failures, and back-off
    // grows with each kind's own count.
    let failures = 0;
    let limited = 0;
    for (;;) {
      let deadline: Deadline | undefined;
      try {
        if (o.signal?.aborted)
          throw new RenderioError('aborted', `${spec.method} ${endpoint} was cancelled`);
        await gate.wait(o.signal).catch(() => {
          throw new RenderioError(
            'aborted',
            `${spec.method} ${endpoint} was cancelled while waiting out a rate limit`,
          );
        });
        ctx.logger?.debug(`${spec.method} ${endpoint}: sent (try ${failures + limited + 1})`);
        const d = new Deadline(timeoutMs, o.signal, idle ? 'idle' : 'total');
        deadline = d;
        const streamed = spec.body;
        const body =
          json !== undefined
            ? () => ({ body: json, headers: { 'content-type': 'application/json' } })
            : streamed === undefined
              ? undefined
              : () => streamed(() => d.touch());
        const { response, url: finalUrl } = await sendWithRedirects(ctx.fetch, spec.url, {
          method: spec.method,
          headers: { accept: 'application/json' },
          body,
          auth: { origin: ctx.origin, key },
          signal: d.signal,
        });
        if (!spec.ok.includes(response.status)) {
          // No Retry-After: the wait grows with each consecutive 429.
          const defaultWait = Math.min(retry.maxDelayMs, retry.defaultRateLimitMs * 2 ** limited);
          throw await errorFromResponse(response, spec.method, finalUrl, ctx.clock, defaultWait);
        }
        return await readAnswer(response, spec, finalUrl);
      } catch (error) {
        const e = toRenderioError(error, {
          method: spec.method,
          url: spec.url,
          outer: o.signal,
          deadline,
          timeoutMs,
        });
        if (e.kind === 'rate-limited') {
          const wait = e.retryAfterMs ?? retry.defaultRateLimitMs;
          gate.block(wait);
          limited++;
          if (limited < retry.rateLimitAttempts && wait <= retry.maxRateLimitWaitMs) {
            ctx.logger?.info(`${spec.method} ${endpoint}: rate limited, waiting ${wait} ms`);
            continue; // gate.wait at the top of the loop sleeps it out
          }
          throw e;
        }
        const transient = e.kind === 'network' || e.kind === 'timeout' || e.kind === 'server';
        if (transient) failures++;
        if (spec.idempotent && transient && failures < retry.attempts) {
          const delay = Math.max(
            backoffDelay(failures, retry.baseDelayMs, retry.maxDelayMs, ctx.random),
            Math.min(e.retryAfterMs ?? 0, retry.maxDelayMs),
          );
          ctx.logger?.info(
            `${spec.method} ${endpoint}: ${e.kind}, retry ${failures} in ${delay} ms`,
          );
          await sleep(delay);
          continue;
        }
        throw e;
      } finally {
        deadline?.dispose();
      }
    }
  });
}

/** The answer's JSON (at most MAX_JSON_BODY_BYTES; none reads as null), checked by its schema. */
async function readAnswer<S extends z.ZodType>(
  response: Response,
  spec: CallSpec<S>,
  url: string,
): Promise<z.output<S>> {
  const endpoint = describeEndpoint(url);
  const where = `${spec.method} ${endpoint}`;
  const init = { status: response.status, method: spec.method, endpoint };
  const { bytes, truncated } = await readBounded(response, MAX_JSON_BODY_BYTES);
  if (truncated) {
    throw new RenderioError(
      'protocol',
      `The answer from ${where} is larger than ${MAX_JSON_BODY_BYTES} bytes`,
      init,
    );
  }
  let json: unknown = null;
  if (bytes.length > 0) {
    try {
      json = JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      const type = response.headers.get('content-type') ?? 'no content type';
      const what = /^\s*</.test(bytes.subarray(0, 64).toString('utf8'))
        ? 'an HTML page'
        : `${bytes.length} bytes of ${type}`;
      throw new RenderioError(
        'protocol',
        `${where} answered ${what}, not JSON (a proxy or captive portal?)`,
        init,
      );
    }
  }
  const parsed = parseAnswer(spec.answer, json);
  if (!parsed.ok) {
    throw new RenderioError(
      'protocol',
      `${where} answered ${response.status} without ${spec.expected} (${parsed.problem})`,
      init,
    );
  }
  return parsed.value;
}
