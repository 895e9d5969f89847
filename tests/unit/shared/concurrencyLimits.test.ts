import { describe, expect, it } from 'vitest';
import { CONCURRENCY_LIMITS, describeConcurrencyProblem } from '../../../shared/concurrencyLimits';
import { settingsPatch } from '../../../electron/core/settings/settingsSchema';

describe('concurrency limits (Settings: "Work at once")', () => {
  it('takes a whole number in range, and says what to type otherwise', () => {
    for (const ok of ['1', '4', ' 32 ']) expect(describeConcurrencyProblem(ok)).toBeNull();
    for (const bad of ['0', '33', '2.5', '', '  ', 'two', '-1'])
      expect(describeConcurrencyProblem(bad)).toBe('enter a whole number from 1 to 32.');
  });

  it("is main's rule too: what the panel lets through, the settings' schema takes", () => {
    const { low, high } = CONCURRENCY_LIMITS;
    for (const n of [low, high])
      expect(settingsPatch.safeParse({ concurrency: { uploads: n } }).success).toBe(true);
    for (const n of [low - 1, high + 1, 1.5])
      expect(settingsPatch.safeParse({ concurrency: { uploads: n } }).success).toBe(false);
  });
});
