import { describe, expect, it } from 'vitest';
import { ThroughputMeter } from '../../../../../electron/core/queue/throughput';

describe('ThroughputMeter', () => {
  it('measures the rate over the recent window and derives an ETA', () => {
    const meter = new ThroughputMeter(3000);
    expect(meter.rate()).toBeNull();
    // 1 MB/s for 10 s, then 4 MB/s: the window follows the new speed.
    for (let t = 0; t <= 10_000; t += 500) meter.add(t, t * 1000);
    expect(meter.rate()).toBeCloseTo(1_000_000, -3);
    for (let t = 10_500, b = 10_000_000; t <= 16_000; t += 500, b += 2_000_000) meter.add(t, b);
    expect(meter.rate()).toBeCloseTo(4_000_000, -4);
    // 32 MB done of 50 MB at 4 MB/s (the window's 20 MB at 13 s to 32 MB at 16 s): 4.5 s left.
    expect(meter.etaSeconds(40_000_000 + 10_000_000)).toBeCloseTo(4.5, 3);
  });

  it('starts over when the count goes backwards (a transfer restarted)', () => {
    const meter = new ThroughputMeter();
    meter.add(0, 0);
    meter.add(1000, 5000);
    meter.add(1100, 0);
    expect(meter.rate()).toBeNull();
  });
});
