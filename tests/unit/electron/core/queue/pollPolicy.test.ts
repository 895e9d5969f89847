import { describe, expect, it } from 'vitest';
import {
  adaptivePollPolicy,
  fixedPollPolicy,
  predictRemainingMs,
  type PollObservation,
} from '../../../../../electron/core/queue/pollPolicy';

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
