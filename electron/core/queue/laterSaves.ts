/**
 * Steps whose journal line a restart does not need at once: stored, processing, downloading.
 * A restart from the step before polls and gets there again, sending nothing twice (QUEUE.md,
 * "Stages"). Such a line waits for the job's next one, which comes at once on a short job (the
 * submit's mark, an output's name) and holds the whole job, or for `delayMs`: three journal
 * writes and fdatasyncs a job fewer on a batch of short clips.
 */

export interface LaterSaves<J> {
  /** The job's step may wait for its next line (or the delay). */
  later(job: J): void;
  /** A line was written for this job, or for every job (a snapshot): nothing waits for it. */
  covered(job?: J): void;
  /** No more timed saves (the queue is closing and writes a snapshot). */
  cancel(): void;
}

export function createLaterSaves<J>(o: {
  delayMs: number;
  setTimer(ms: number, fn: () => void): () => void;
  /** Writes the job's line now, without waiting for it. */
  saveSoon(job: J): void;
}): LaterSaves<J> {
  const waiting = new Set<J>();
  let cancelTimer: (() => void) | null = null;
  return {
    later(job) {
      waiting.add(job);
      cancelTimer ??= o.setTimer(o.delayMs, () => {
        cancelTimer = null;
        const due = [...waiting];
        waiting.clear();
        for (const j of due) o.saveSoon(j);
      });
    },
    covered(job) {
      if (job === undefined) waiting.clear();
      else waiting.delete(job);
    },
    cancel() {
      cancelTimer?.();
      cancelTimer = null;
      waiting.clear();
    },
  };
}
