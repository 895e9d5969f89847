import { describe, expect, it } from 'vitest';
import { describePollIntervalProblem, POLL_BOUNDS_LIMITS } from '../../../shared/pollBounds';
import { settingsPatch } from '../../../electron/core/settings/settingsSchema';

/** Main's refusal of a pair, its issues' messages as the schema words them. */
function mainSays(pair: { min: number; max: number }): string[] | null {
  const parsed = settingsPatch.safeParse({ pollIntervalSeconds: pair });
  return parsed.success ? null : parsed.error.issues.map((i) => i.message);
}

describe('poll interval bounds (Settings: "Checking jobs on RenderIO")', () => {
  it('says what is wrong with a pair: each range first, then their order', () => {
    expect(describePollIntervalProblem({ min: 0.25, max: 60 })).toBeNull();
    expect(describePollIntervalProblem({ min: 4, max: 4 })).toBeNull();
    expect(describePollIntervalProblem({ min: 0.1, max: 60 })).toBe(
      'The shortest poll interval must be between 0.25 and 300 seconds',
    );
    expect(describePollIntervalProblem({ min: 1, max: 7200 })).toBe(
      'The longest poll interval must be between 1 and 3600 seconds',
    );
    expect(describePollIntervalProblem({ min: Number.NaN, max: 3 })).toBe(
      'The shortest poll interval must be a number of seconds',
    );
    expect(describePollIntervalProblem({ min: 8, max: 3 })).toBe(
      'the shortest poll interval (8 s) is longer than the longest (3 s)',
    );
  });

  it("is main's rule in main's words: the panel refuses what the schema refuses, as it says it", () => {
    const { min, max } = POLL_BOUNDS_LIMITS;
    const pairs = [
      { min: min.low, max: max.high },
      { min: min.high, max: max.high },
      { min: min.low - 0.01, max: 10 },
      { min: 1, max: max.low - 0.5 },
      { min: 1, max: max.high + 1 },
      { min: min.high + 1, max: max.high },
      { min: 9, max: 3 },
      { min: Number.POSITIVE_INFINITY, max: 3 },
    ];
    for (const pair of pairs) {
      const panel = describePollIntervalProblem(pair);
      const main = mainSays(pair);
      if (panel === null) expect(main, JSON.stringify(pair)).toBeNull();
      else expect(main, JSON.stringify(pair)).toContain(panel);
    }
  });
});
