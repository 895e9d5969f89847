/**
 * Held answers: `GET /files/:id` and `GET /commands/:id` take the engine's own query parameter
 * `wait_ms`. While the object's status is the one it had when the request came, the answer is
 * held until that status changes, `wait_ms` passes or the client leaves; then the current object
 * is sent as usual. The app polls its own engine this way: it sees a command finish the moment
 * it finishes instead of up to a poll interval later, with fewer requests (docs/ENGINE.md).
 * The RenderIO cloud does not take the parameter and answers at once: a client must not rely on
 * the hold, only gain from it.
 */
import { badRequest } from './errors';
import type { RequestContext } from './context';

/** The longest hold: below the client's 30 s per-attempt limit, so a held poll never times out. */
export const MAX_WAIT_MS = 25_000;

/** `wait_ms`: a whole number 0..MAX_WAIT_MS (0 when absent); 400 otherwise. */
export function parseWaitMs(query: URLSearchParams): number {
  const raw = query.get('wait_ms');
  if (raw === null || raw === '') return 0;
  if (!/^\d+$/.test(raw.trim())) throw badRequest('wait_ms must be a whole number of milliseconds');
  const value = Number(raw);
  if (value > MAX_WAIT_MS) throw badRequest(`wait_ms must be at most ${MAX_WAIT_MS}`);
  return value;
}

/** What a hold waits on: the engine's state store tells every change. */
export interface ChangeSource {
  onChange(listener: () => void): () => void;
}

/** Statuses that never change again: an answer in one of them is never held. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCESS', 'FAILED', 'STORED']);

/**
 * Waits while `statusOf()` keeps the value it has now, at most `waitMs`; returns early when the
 * client's connection closes. `statusOf()` returns null once the object is gone. A final status
 * is answered at once: nothing can change it.
 */
export function holdWhileUnchanged(
  c: RequestContext,
  changes: ChangeSource,
  statusOf: () => string | null,
  waitMs: number,
): Promise<void> {
  const start = statusOf();
  if (waitMs <= 0 || start === null || FINAL_STATUSES.has(start) || c.res.destroyed)
    return Promise.resolve();
  return new Promise<void>((resolve) => {
    const end = (): void => {
      clearTimeout(timer);
      unsubscribe();
      c.res.off('close', end);
      resolve();
    };
    const timer = setTimeout(end, waitMs);
    const unsubscribe = changes.onChange(() => {
      if (statusOf() !== start) end();
    });
    c.res.once('close', end);
  });
}

/**
 * A held `GET` of one object: 404 when it is absent, then held while its status is unchanged
 * (`wait_ms`), then the object as it is at the end of the hold (404 if it went meanwhile).
 */
export async function heldObject<T extends { status: string }>(
  c: RequestContext,
  changes: ChangeSource,
  get: () => T | undefined,
  missing: () => Error,
): Promise<T> {
  const waitMs = parseWaitMs(c.query);
  if (!get()) throw missing();
  await holdWhileUnchanged(c, changes, () => get()?.status ?? null, waitMs);
  const record = get();
  if (!record) throw missing();
  return record;
}
