/**
 * Writes of one file, coalesced in time: after a change the write waits `delayMs` for others
 * and then writes the newest state once; changes during a write make one more. `flush()` cuts
 * the wait short and resolves once everything changed so far is written (answers that hand
 * out an id, quitting). Used where a file changes several times a job and losing the last
 * fraction of a second to a crash costs nothing a restart does not redo: each immediate write
 * was a temp file, an fsync, a rename and a folder fsync, eight calls into the file system and
 * back, most of what the engine did beside ffmpeg on a batch of short clips
 * (docs/PERFORMANCE-CHANGELOG.md, 2026-12-07 "night").
 */

export interface DelayedWrites {
  /** Something changed: a write follows within the delay. */
  changed(): void;
  /** Writes now whatever waits; resolves once every change so far is written. */
  flush(): Promise<void>;
}

/** `write` writes the newest state and handles its own errors (it should not throw). */
export function delayedWrites(write: () => Promise<void>, delayMs: number): DelayedWrites {
  let dirty = false;
  /** flush() calls waiting: every write until they are done starts at once. */
  let flushers = 0;
  let wake: (() => void) | null = null;
  let writing: Promise<void> | null = null;

  const wait = async (): Promise<void> => {
    if (flushers > 0) {
      // Still one turn, so the synchronous changes around the flush's caller join it.
      await new Promise((r) => setImmediate(r));
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      // A waiting write does not keep the process alive; whoever ends it flushes first.
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = null;
  };

  const loop = async (): Promise<void> => {
    try {
      while (dirty) {
        await wait();
        dirty = false;
        await write().catch(() => undefined);
      }
    } finally {
      writing = null;
    }
  };

  return {
    changed() {
      dirty = true;
      writing ??= loop();
    },
    async flush() {
      flushers++;
      try {
        wake?.();
        while (writing) await writing;
        if (dirty) {
          writing = loop();
          await writing;
        }
      } finally {
        flushers--;
      }
    },
  };
}
