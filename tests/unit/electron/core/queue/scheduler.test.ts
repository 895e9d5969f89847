/**
 * The scheduler's wake-ups under a clock whose timers fire early and late: a job waiting out a
 * back-off or a rate limit is always started once it is due, never forgotten (issue #15: Node's
 * timers fire a millisecond early by Date.now() about 1 % of the time, and the old scheduler then
 * skipped the job and armed nothing).
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../../../shared/jobs';
import { createLogger } from '../../../../../shared/redact';
import type { Clock } from '../../../../../electron/core/ports';
import { RenderioError } from '../../../../../electron/core/client/errors';
import { DEFAULT_SETTINGS } from '../../../../../electron/core/settings/appSettings';
import { QueueState } from '../../../../../electron/core/queue/queueState';
import { Scheduler, type Phase } from '../../../../../electron/core/queue/scheduler';
import { job } from '../../../renderer/jobFixture';

/** A clock the test moves by hand; its timers fire when the test says, at whatever time it says. */
function manualClock() {
  let now = 1_000_000;
  const timers: { due: number; fn: () => void; cancelled: boolean }[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async () => undefined,
    setTimer(ms, fn) {
      const timer = { due: now + ms, fn, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
  };
  return {
    clock,
    set: (t: number) => void (now = t),
    /** The live timers, earliest first. */
    armed: () => timers.filter((t) => !t.cancelled).sort((a, b) => a.due - b.due),
    /** Fires a timer with the clock at `at` (before its due time: early; after: late). */
    fire(timer: { due: number; fn: () => void; cancelled: boolean }, at: number) {
      timer.cancelled = true;
      now = at;
      timer.fn();
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function setUp(fail: (job: Job, phase: Phase, n: number) => Error | null) {
  const c = manualClock();
  const runs: { id: string; phase: Phase; at: number }[] = [];
  const running = { isRunning: (_id: string): boolean => false };
  const state = new QueueState({ clock: c.clock, isRunning: (id) => running.isRunning(id) });
  const scheduler = new Scheduler({
    state,
    clock: c.clock,
    logger: createLogger('test', () => undefined),
    settings: () => DEFAULT_SETTINGS,
    runPhase: async (j, phase) => {
      runs.push({ id: j.id, phase, at: c.clock.now() });
      const error = fail(j, phase, runs.filter((r) => r.id === j.id).length);
      if (error) throw error;
      state.setStage(j, 'done');
    },
    fail: (j) => state.setStage(j, 'failed'),
    saveSoon: () => undefined,
  });
  running.isRunning = (id) => scheduler.isRunning(id);
  return { c, state, scheduler, runs };
}

describe('the scheduler never loses a wake-up', () => {
  it('a back-off timer that fires early arms again for the rest; one that fires late starts the job', async () => {
    const { c, state, scheduler, runs } = setUp((_j, _p, n) =>
      n === 1 ? new RenderioError('network', 'Could not reach x') : null,
    );
    state.insert(job('a'));
    scheduler.start();
    await flush();
    expect(runs).toHaveLength(1);
    const retry = state.jobs.get('a')!.retry!;
    expect(retry.code).toBe('network');
    const [first] = c.armed();
    expect(first?.due).toBe(retry.at);

    // Early by a millisecond: not due yet, so nothing starts, and a timer is armed for the rest.
    c.fire(first!, retry.at - 1);
    await flush();
    expect(runs).toHaveLength(1);
    const [again] = c.armed();
    expect(again?.due).toBe(retry.at);

    // Late by ten seconds: it starts then, and the job finishes.
    c.fire(again!, retry.at + 10_000);
    await flush();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.at).toBe(retry.at + 10_000);
    expect(state.jobs.get('a')!.stage).toBe('done');
    expect(state.jobs.get('a')!.retry).toBeNull();
    expect(c.armed()).toHaveLength(0);
  });

  it('one timer for the earliest of many waits, re-armed for the next after each', async () => {
    const { c, state, scheduler, runs } = setUp((_j, _p, n) =>
      n === 1 ? new RenderioError('server', '502 from x', { status: 502 }) : null,
    );
    for (const id of ['a', 'b', 'c']) state.insert(job(id));
    scheduler.start();
    await flush();
    await flush();
    const waits = ['a', 'b', 'c'].map((id) => state.jobs.get(id)!.retry!.at);
    expect(c.armed()).toHaveLength(1);
    expect(c.armed()[0]!.due).toBe(Math.min(...waits));
    for (let i = 0; i < 3; i++) {
      const [timer] = c.armed();
      expect(c.armed()).toHaveLength(1);
      c.fire(timer!, timer!.due);
      await flush();
    }
    expect(['a', 'b', 'c'].map((id) => state.jobs.get(id)!.stage)).toEqual([
      'done',
      'done',
      'done',
    ]);
    expect(runs).toHaveLength(6);
  });

  it('a rate-limited job is released when its wait is over, even by a timer that fired early', async () => {
    const { c, state, scheduler, runs } = setUp((_j, _p, n) =>
      n === 1 ? new RenderioError('rate-limited', 'slow down', { retryAfterMs: 5000 }) : null,
    );
    state.insert(job('a'));
    scheduler.start();
    await flush();
    const held = state.jobs.get('a')!;
    expect(held.stage).toBe('rate-limited');
    const until = held.holdUntil!;
    const [timer] = c.armed();
    expect(timer!.due).toBe(until);
    c.fire(timer!, until - 3);
    await flush();
    expect(state.jobs.get('a')!.stage).toBe('rate-limited');
    c.fire(c.armed()[0]!, until);
    await flush();
    expect(runs).toHaveLength(2);
    expect(state.jobs.get('a')!.stage).toBe('done');
  });
});
