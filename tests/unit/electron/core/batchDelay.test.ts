import { describe, expect, it } from 'vitest';
import { batchDelay } from '../../../../electron/core/batchDelay';

describe('batchDelay', () => {
  it('sends at once after a quiet interval, or never having sent', () => {
    expect(batchDelay(-Infinity, 250, 1_000)).toBe(0);
    expect(batchDelay(700, 250, 1_000)).toBe(0);
    expect(batchDelay(750, 250, 1_000)).toBe(0);
  });

  it("within an interval of the last batch, waits for that interval's end", () => {
    expect(batchDelay(900, 250, 1_000)).toBe(150);
    expect(batchDelay(1_000, 250, 1_000)).toBe(250);
  });

  it('waits no longer than one interval when the clock went back', () => {
    expect(batchDelay(5_000, 250, 1_000)).toBe(250);
  });
});
