import { describe, expect, it } from 'vitest';
import type { AggregateProgress } from '../../../../shared/jobs';
import { aggregateViewOf, overallFraction } from '../../../../renderer/src/lib/aggregateView';

const base: AggregateProgress = { total: 0, done: 0, failed: 0, active: 0, fraction: null };

describe('aggregateViewOf', () => {
  it('a queue of failed jobs only says so: no "0 of 0 done", an empty still bar, no percent', () => {
    const view = aggregateViewOf({ ...base, total: 1, failed: 1, share: null });
    expect(view).toMatchObject({
      summary: null,
      failed: '1 failed',
      fraction: 0,
      percent: null,
      finished: false,
      spoken: '1 failed',
    });
  });

  it('a big queue reads its counts grouped: "10,000", not "10000"', () => {
    const view = aggregateViewOf({ ...base, total: 12_000, done: 1_500, failed: 2_000, active: 0 });
    expect(view.summary).toBe('1,500 of 10,000 done');
    expect(view.failed).toBe('2,000 failed');
  });

  it('cancelled jobs alone are counted apart, with nothing else to finish', () => {
    const view = aggregateViewOf({ ...base, cancelled: 2, share: null });
    expect(view).toMatchObject({ summary: null, cancelled: '2 cancelled', fraction: 0 });
    expect(view.spoken).toBe('2 cancelled');
  });

  it('counts what can finish apart from the failed, and the bar and the text agree', () => {
    const view = aggregateViewOf({
      ...base,
      total: 5,
      done: 2,
      failed: 1,
      active: 1,
      fraction: 0.7,
      share: 0.625,
      etaSeconds: 30,
    });
    expect(view.summary).toBe('2 of 4 done');
    expect(view.failed).toBe('1 failed');
    expect(view.fraction).toBe(0.625);
    expect(view.percent).toBe('62%');
    expect(view.eta).not.toBeNull();
    expect(view.spoken.startsWith('62%, 2 of 4 done, 1 failed')).toBe(true);
    expect(view.finished).toBe(false);
  });

  it('says "a few seconds left" only near the end, as a row does', () => {
    const running = { ...base, total: 4, done: 2, active: 2, fraction: 0.56, etaSeconds: 3 };
    expect(aggregateViewOf({ ...running, share: 0.56 }).eta).toBeNull();
    expect(aggregateViewOf({ ...running, share: 0.92 }).eta).toBe('a few seconds left');
    // Longer times are said as soon as main gives them.
    expect(aggregateViewOf({ ...running, share: 0.2, etaSeconds: 95 }).eta).toMatch(/min left$/);
  });

  it('is finished when every job that can finish has, failures or not', () => {
    const view = aggregateViewOf({ ...base, total: 3, done: 2, failed: 1, share: 1 });
    expect(view).toMatchObject({ summary: '2 of 2 done', finished: true, percent: '100%' });
  });

  it('a running queue with no measure yet has an indeterminate bar', () => {
    const view = aggregateViewOf({ ...base, total: 2, active: 1, share: null });
    expect(view.fraction).toBeNull();
    expect(view.percent).toBeNull();
    expect(view.summary).toBe('0 of 2 done');
  });
});

describe('overallFraction (older cores without a share)', () => {
  it('takes failed jobs out of the running fraction and stays below 1 while a job runs', () => {
    expect(overallFraction({ ...base, total: 4, failed: 1, active: 1, fraction: 1 })).toBe(0.99);
    expect(
      overallFraction({ ...base, total: 4, done: 1, failed: 1, active: 1, fraction: 0.5 }),
    ).toBe((0.5 * 4 - 1) / 3);
    expect(overallFraction({ ...base, total: 2, done: 1, failed: 1 })).toBe(1);
  });
});
