import { describe, expect, it } from 'vitest';
import { createLaterSaves } from '../../../../../electron/core/queue/laterSaves';

/** A timer the test fires by hand. */
function manualTimer() {
  let due: (() => void) | null = null;
  return {
    setTimer(_ms: number, fn: () => void) {
      due = fn;
      return () => {
        due = null;
      };
    },
    fire() {
      const fn = due;
      due = null;
      fn?.();
    },
    get pending() {
      return due !== null;
    },
  };
}

/** LaterSaves over a manual timer, recording each job saved. */
function laterSavesWithManualTimer() {
  const timer = manualTimer();
  const saved: string[] = [];
  const saves = createLaterSaves<string>({
    delayMs: 1000,
    setTimer: (ms, fn) => timer.setTimer(ms, fn),
    saveSoon: (job) => saved.push(job),
  });
  return { timer, saved, saves };
}

describe('laterSaves', () => {
  it("writes a waiting step only when the job's next line has not covered it by the delay", () => {
    const { timer, saved, saves } = laterSavesWithManualTimer();
    saves.later('a');
    saves.later('b');
    expect(saved).toEqual([]);
    saves.covered('a'); // a's next line was written: it holds the waiting step
    timer.fire();
    expect(saved).toEqual(['b']);
    expect(timer.pending).toBe(false);
  });

  it('lets a snapshot cover every waiting job, and a closing queue cancel the timer', () => {
    const { timer, saved, saves } = laterSavesWithManualTimer();
    saves.later('a');
    saves.covered();
    timer.fire();
    expect(saved).toEqual([]);
    saves.later('b');
    saves.cancel();
    expect(timer.pending).toBe(false);
    expect(saved).toEqual([]);
  });
});
