/**
 * The one rule for sending changes in batches at most every `intervalMs` (the queue's change
 * stream, then the IPC router's pushes to the window): the first change after a quiet interval
 * goes at once, on the next turn, so changes made together still go as one batch; a change
 * within an interval of the last batch waits for that interval's end. A clock that went back
 * waits no longer than one interval.
 */
export function batchDelay(lastSentAt: number, intervalMs: number, now = Date.now()): number {
  return Math.min(intervalMs, Math.max(0, lastSentAt + intervalMs - now));
}
