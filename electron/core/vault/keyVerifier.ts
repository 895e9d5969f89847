/**
 * The key verifier: asks the API whether it accepts a key, with the cheap authenticated call
 * RenderIO's own integrations use (GET /api/v1/commands?limit=1), once, within a time limit.
 * The transport comes from outside (the FetchLike port), so the app checks keys through its
 * own transport and the tests through node:http.
 */
import { RenderioClient } from '../client/client';
import { RenderioError } from '../client/errors';
import type { Clock, FetchLike } from '../ports';

export type KeyCheckResult =
  | { result: 'valid' }
  /** The API refused the key (401/403). */
  | { result: 'invalid'; message: string }
  /** It could not be asked (offline, timeout, server error, rate limit...). */
  | { result: 'unverified'; message: string };

export interface KeyVerifier {
  verify(baseUrl: string, key: string, signal?: AbortSignal): Promise<KeyCheckResult>;
}

export interface KeyVerifierOptions {
  fetch: FetchLike;
  clock?: Clock;
  /** Limit for the check (default 10 s). */
  timeoutMs?: number;
}

export function createKeyVerifier(options: KeyVerifierOptions): KeyVerifier {
  return {
    async verify(baseUrl, key, signal) {
      const client = new RenderioClient({
        baseUrl,
        withKey: (fn) => fn(key),
        fetch: options.fetch,
        clock: options.clock,
        timeoutMs: options.timeoutMs ?? 10_000,
        retry: { attempts: 1, rateLimitAttempts: 1 },
      });
      try {
        const r = await client.checkKey({ signal });
        if (r.result === 'unverified') return { result: 'unverified', message: r.message };
        return r;
      } catch (error) {
        // A check the caller stopped has no answer: the caller hears of the abort.
        if (error instanceof RenderioError && error.kind !== 'aborted')
          return { result: 'unverified', message: error.message };
        throw error;
      }
    },
  };
}
