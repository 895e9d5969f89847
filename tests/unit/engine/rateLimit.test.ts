import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../engine/rateLimit';

describe('RateLimiter', () => {
  it('allows a burst, then refuses with a Retry-After that is exactly enough', () => {
    let now = 0;
    const limiter = new RateLimiter(0.5, 2, () => now);
    expect(limiter.take('k')).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
    expect(limiter.take('k')).toMatchObject({ allowed: true, remaining: 0 });
    const refused = limiter.take('k');
    expect(refused).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 2,
      resetSeconds: 4,
    });
    now += refused.retryAfterSeconds * 1000 - 1;
    expect(limiter.take('k').allowed).toBe(false);
    now += 1;
    expect(limiter.take('k').allowed).toBe(true);
  });

  it('keeps buckets per key and never says "retry after 0"', () => {
    let now = 0;
    const limiter = new RateLimiter(100, 1, () => now);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('b').allowed).toBe(true);
    const refused = limiter.take('a');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
    now += 10;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('forgets full buckets when pruned, and only those', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 1, () => now);
    limiter.take('a');
    now += 5000;
    limiter.prune();
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    // A bucket still refilling survives a prune: were it dropped, the next take would find a
    // fresh full bucket (remaining 1) instead of the half-refilled one.
    const slow = new RateLimiter(1, 2, () => now);
    slow.take('b');
    slow.take('b');
    now += 500;
    slow.prune();
    expect(slow.take('b')).toMatchObject({ allowed: false, remaining: 0 });
  });
});
