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

/** What a hold waits on: the engine's state store signals every change. */
export interface ChangeSource {
  whenChanged(): Promise<void>;
}

/** Statuses that never change again: an answer in one of them is never held. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCESS', 'FAILED', 'STORED']);

/**
 * Waits while `statusOf()` keeps the value it has now, at most `waitMs`; returns early when the
 * client's connection closes. `statusOf()` returns null once the object is gone. A final status
 * is answered at once: nothing can change it.
 */
export async function holdWhileUnchanged(
  c: RequestContext,
  changes: ChangeSource,
  statusOf: () => string | null,
  waitMs: number,
): Promise<void> {
  if (waitMs <= 0) return;
  const start = statusOf();
  if (start === null || FINAL_STATUSES.has(start)) return;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  let onClose: (() => void) | undefined;
  const over = new Promise<void>((resolve) => {
    onClose = () => {
      ended = true;
      resolve();
    };
    timer = setTimeout(onClose, waitMs);
    c.res.once('close', onClose);
  });
  try {
    while (!ended && statusOf() === start && !c.res.destroyed) {
      await Promise.race([changes.whenChanged(), over]);
    }
  } finally {
    clearTimeout(timer);
    if (onClose) c.res.off('close', onClose);
  }
}
