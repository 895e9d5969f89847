import { describe, expect, it } from 'vitest';
import {
  adaptivePollPolicy,
  boundedPollPolicy,
  fixedPollPolicy,
  LOCAL_HOLD_MS,
  LOCAL_QUEUED_HOLD_MS,
  localPollPolicy,
  pollHeld,
  predictRemainingMs,
  type PollObservation,
} from '../../../../../electron/core/queue/pollPolicy';
import { MAX_HOLD_MS } from '../../../../../electron/core/client/client';

/** Simulates a command that runs `durationMs` (progress linear after `startupMs`), returns poll times. */
function simulate(
  durationMs: number,
  withProgress: boolean,
  startupMs = 150,
): { polls: number[]; seenAt: number } {
  const policy = adaptivePollPolicy();
  const observations: PollObservation[] = [];
  const polls: number[] = [];
  let t = policy.first();
  for (let i = 0; i < 1000; i++) {
    polls.push(t);
    const done = t >= durationMs;
    const fraction = Math.min(1, Math.max(0, (t - startupMs) / (durationMs - startupMs)));
    observations.push({
      at: t,
      status: done ? 'SUCCESS' : 'PROCESSING',
      progress: withProgress && !done ? fraction : null,
    });
    if (done) return { polls, seenAt: t };
    t += policy.next(0, observations, t);
  }
  throw new Error('never finished');
}

describe('adaptive polling', () => {
  it('uses fewer calls than a fixed 2-second poll for 5 s, 30 s and 120 s commands, and sees the end within 2 s', () => {
    for (const seconds of [5, 30, 120]) {
      const ms = seconds * 1000;
      const { polls, seenAt } = simulate(ms, true);
      const fixed = Math.ceil(ms / 2000);
      expect(polls.length, `${seconds} s`).toBeLessThan(fixed);
      expect(seenAt - ms, `${seconds} s`).toBeLessThanOrEqual(2000);
    }
  });

  it('without a progress field the wait grows with the elapsed time (doubling, capped)', () => {
    const { polls } = simulate(120_000, false);
    expect(polls.length).toBeLessThan(60);
    const gaps = polls.slice(1).map((t, i) => t - (polls[i] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(15_000);
    expect(gaps.every((g, i) => i === 0 || g >= (gaps[i - 1] ?? 0))).toBe(true);
  });

  it('predicts the remaining time from the rate between two samples', () => {
    const obs: PollObservation[] = [
      { at: 2000, status: 'PROCESSING', progress: 0.1 },
      { at: 4000, status: 'PROCESSING', progress: 0.2 },
    ];
    expect(predictRemainingMs(0, obs)).toBeCloseTo(16_000);
    expect(predictRemainingMs(0, [{ at: 1000, status: 'QUEUED', progress: null }])).toBeNull();
    expect(fixedPollPolicy(2000).next(0, obs, 5000)).toBe(2000);
  });
});

describe('poll interval bounds', () => {
  it('clamps every wait of the adaptive policy, and reads the bounds at each wait', () => {
    const bounds = { minMs: 5000, maxMs: 8000 };
    const policy = boundedPollPolicy(adaptivePollPolicy(), () => bounds);
    expect(policy.first()).toBe(5000); // 2 s asked, 5 s at least
    expect(policy.resume?.()).toBe(5000); // 0.5 s after a restart, 5 s at least
    // Near the predicted end the inner policy asks for ~1 s: the shortest bound holds.
    const nearEnd: PollObservation[] = [
      { at: 4000, status: 'PROCESSING', progress: 0.8 },
      { at: 5000, status: 'PROCESSING', progress: 0.9 },
    ];
    expect(adaptivePollPolicy().next(0, nearEnd, 5000)).toBeLessThan(5000);
    expect(policy.next(0, nearEnd, 5000)).toBe(5000);
    // Long blind commands: 15 s asked, 8 s at most.
    const blind: PollObservation[] = [{ at: 60_000, status: 'PROCESSING', progress: null }];
    expect(adaptivePollPolicy().next(0, blind, 60_000)).toBe(15_000);
    expect(policy.next(0, blind, 60_000)).toBe(8000);
    // A change applies at the next wait.
    bounds.maxMs = 20_000;
    expect(policy.next(0, blind, 60_000)).toBe(15_000);
    bounds.minMs = 1000;
    expect(policy.first()).toBe(2000);
  });

  it('with min = max every wait is that interval, whatever the command reports', () => {
    const policy = boundedPollPolicy(adaptivePollPolicy(), () => ({ minMs: 3000, maxMs: 3000 }));
    const { polls } = (() => {
      const observations: PollObservation[] = [];
      const polls: number[] = [];
      let t = policy.first();
      for (let i = 0; i < 10; i++) {
        polls.push(t);
        observations.push({ at: t, status: 'PROCESSING', progress: Math.min(1, t / 40_000) });
        t += policy.next(0, observations, t);
      }
      return { polls };
    })();
    expect(polls).toEqual([
      3000, 6000, 9000, 12_000, 15_000, 18_000, 21_000, 24_000, 27_000, 30_000,
    ]);
  });

  it('the default bounds (0.25 s to 60 s) leave the adaptive policy as it is', () => {
    const plain = adaptivePollPolicy();
    const bounded = boundedPollPolicy(adaptivePollPolicy(), () => ({ minMs: 250, maxMs: 60_000 }));
    const observations: PollObservation[] = [];
    for (let t = 2000; t < 200_000; t += 3000) {
      observations.push({ at: t, status: 'PROCESSING', progress: t / 250_000 });
      expect(bounded.next(0, observations, t)).toBe(plain.next(0, observations, t));
      expect(bounded.next(0, [{ at: t, status: 'QUEUED', progress: null }], t)).toBe(
        plain.next(0, [{ at: t, status: 'QUEUED', progress: null }], t),
      );
    }
    expect(bounded.first()).toBe(plain.first());
  });
});

/** A clock the test moves: sleeps and held answers advance it. */
function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    slept,
  };
}

describe("held polls (this computer's engine)", () => {
  it('the local policy holds: a running command a second, a queued one until it starts; bounding keeps the hold', () => {
    const local = localPollPolicy();
    expect(local.held).toBe(true);
    const obs: PollObservation[] = [
      { at: 1000, status: 'PROCESSING', progress: 0.01 },
      { at: 2000, status: 'PROCESSING', progress: 0.02 },
    ];
    // A far finish (about 98 s away) is not waited for: the wait only sets the progress pace.
    expect(local.next(0, obs, 2000)).toBe(LOCAL_HOLD_MS);
    expect(LOCAL_HOLD_MS).toBeLessThanOrEqual(1000);
    // Nor is a near one cut short at its predicted finish: the held answer comes at the end
    // itself, so a wait that ran out just before it would only cost one more round trip.
    const near: PollObservation[] = [
      { at: 1000, status: 'PROCESSING', progress: 0.5 },
      { at: 1100, status: 'PROCESSING', progress: 0.8 },
    ];
    expect(predictRemainingMs(0, near)).toBeLessThan(LOCAL_HOLD_MS / 2);
    expect(local.next(0, near, 1100)).toBe(LOCAL_HOLD_MS);
    // A queued command shows nothing new until it starts: held longer, answered as it starts.
    expect(local.next(0, [{ at: 50, status: 'QUEUED', progress: null }], 50)).toBe(
      LOCAL_QUEUED_HOLD_MS,
    );
    expect(LOCAL_QUEUED_HOLD_MS).toBeLessThanOrEqual(MAX_HOLD_MS);
    expect(local.next(0, [...near, { at: 1200, status: 'QUEUED', progress: null }], 1200)).toBe(
      LOCAL_QUEUED_HOLD_MS,
    );
    expect(boundedPollPolicy(local, () => ({ minMs: 0, maxMs: 500 })).held).toBe(true);
    expect(adaptivePollPolicy().held).toBeUndefined();
  });

  it('asks a holding server to hold the wait, and sleeps nothing when it did', async () => {
    const time = fakeTime();
    const asked: (number | undefined)[] = [];
    const answer = await pollHeld(
      { held: true },
      800,
      'PROCESSING',
      time.sleep,
      time.now,
      (hold) => {
        asked.push(hold);
        time.sleep(hold ?? 0); // the server held it all
        return Promise.resolve({ status: 'PROCESSING' });
      },
    );
    expect(answer.status).toBe('PROCESSING');
    expect(asked).toEqual([800]);
    expect(time.now()).toBe(800);
  });

  it('a change answered early is taken at once', async () => {
    const time = fakeTime();
    const answer = await pollHeld({ held: true }, 800, 'PROCESSING', time.sleep, time.now, () => {
      time.sleep(120); // ffmpeg ended 120 ms into the hold
      return Promise.resolve({ status: 'SUCCESS' });
    });
    expect(answer.status).toBe('SUCCESS');
    expect(time.now()).toBe(120);
  });

  it('a server that ignores the hold is not polled in a tight loop: the rest is slept', async () => {
    const time = fakeTime();
    await pollHeld({ held: true }, 800, 'QUEUED', time.sleep, time.now, () => {
      time.sleep(5);
      return Promise.resolve({ status: 'QUEUED' });
    });
    expect(time.now()).toBe(800);
  });

  it('the first look (status unknown) is at once and unheld; a policy that does not hold sleeps first', async () => {
    // Held, a command already running and done within the hold would never be seen processing.
    const time = fakeTime();
    const asked: (number | undefined)[] = [];
    const get = (hold: number | undefined): Promise<{ status: string }> => {
      asked.push(hold);
      return Promise.resolve({ status: 'QUEUED' });
    };
    await pollHeld({ held: true }, 150, null, time.sleep, time.now, get);
    expect(time.now()).toBe(0);
    await pollHeld({}, 2000, 'QUEUED', time.sleep, time.now, get);
    expect(time.slept).toEqual([2000]);
    expect(asked).toEqual([undefined, undefined]);
  });
});
