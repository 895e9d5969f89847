/**
 * Speed and ETA from measured throughput over a sliding window, so the numbers follow the
 * connection as it is now rather than averaging the whole transfer (the "ETA climbing to 2
 * days" complaint comes from whole-run averages and stalls).
 */

export class ThroughputMeter {
  private samples: { at: number; value: number }[] = [];

  constructor(private readonly windowMs = 3000) {}

  reset(): void {
    this.samples = [];
  }

  /** Records the cumulative amount (bytes, or a 0..1 fraction) at a time. */
  add(at: number, value: number): void {
    const last = this.samples.at(-1);
    if (last && value < last.value) this.samples = []; // restarted (retry, resume from 0)
    this.samples.push({ at, value });
    const cutoff = at - this.windowMs;
    while (this.samples.length > 2 && (this.samples[1]?.at ?? at) <= cutoff) this.samples.shift();
  }

  /** Units per second, or null until there is a span to measure over. */
  rate(): number | null {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < 200) return null;
    return ((last.value - first.value) * 1000) / (last.at - first.at);
  }

  /** Seconds left to reach total at the current rate, or null. */
  etaSeconds(total: number | null): number | null {
    const rate = this.rate();
    const last = this.samples.at(-1);
    if (total === null || rate === null || rate <= 0 || !last) return null;
    return Math.max(0, (total - last.value) / rate);
  }
}
