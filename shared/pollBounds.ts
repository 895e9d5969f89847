/**
 * The bounds of the wait between status polls of a command running on RenderIO, in seconds:
 * what each may be, and the pair's rule. Shared by main (settings) and the Settings panel.
 */
export interface PollIntervalBounds {
  min: number;
  max: number;
}

/** What a bound may be: a poll more often than 4 a second is abuse, one an hour is forgetting. */
export const POLL_BOUNDS_LIMITS = {
  min: { low: 0.25, high: 300 },
  max: { low: 1, high: 3600 },
} as const;

/** Why a pair of bounds cannot be used (min above max), or null. Ranges are checked apart. */
export function describePollBoundsProblem(bounds: PollIntervalBounds): string | null {
  if (bounds.min > bounds.max)
    return `the shortest poll interval (${bounds.min} s) is longer than the longest (${bounds.max} s)`;
  return null;
}
