/**
 * Per-key token bucket. Each request takes one token; tokens come back at `ratePerSecond` up
 * to `burst`. A refused request learns, in whole seconds rounded up, when one token will be
 * there again (`Retry-After`), so a client that waits exactly that long succeeds.
 */

export interface RateDecision {
  allowed: boolean;
  /** X-RateLimit-Limit: the bucket size. */
  limit: number;
  /** X-RateLimit-Remaining: whole tokens left after this request. */
  remaining: number;
  /** X-RateLimit-Reset: whole seconds until the bucket is full again. */
  resetSeconds: number;
  /** Retry-After (only when refused): whole seconds until one token is available. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): RateDecision {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, updatedAt: now };
      this.buckets.set(key, bucket);
    } else {
      const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
      bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.ratePerSecond);
      bucket.updatedAt = now;
    }
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const missingForOne = Math.max(0, 1 - bucket.tokens);
    return {
      allowed,
      limit: this.burst,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((this.burst - bucket.tokens) / this.ratePerSecond),
      // Never 0: "retry after 0 s" invites a hot loop.
      retryAfterSeconds: Math.max(1, Math.ceil(missingForOne / this.ratePerSecond)),
    };
  }

  /** Forgets buckets that have been full for a while (bounded memory). */
  prune(): void {
    const now = this.now();
    for (const [key, b] of this.buckets) {
      const tokens = b.tokens + ((now - b.updatedAt) / 1000) * this.ratePerSecond;
      if (tokens >= this.burst) this.buckets.delete(key);
    }
  }
}
