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

/** How each bound is named in a refusal (main's and the Settings panel's alike). */
const BOUND_NAMES = {
  min: 'The shortest poll interval',
  max: 'The longest poll interval',
} as const;

/** Why one bound cannot be used (not a number, out of its range), or null. */
export function describePollBoundProblem(which: 'min' | 'max', value: number): string | null {
  const name = BOUND_NAMES[which];
  if (!Number.isFinite(value)) return `${name} must be a number of seconds`;
  const { low, high } = POLL_BOUNDS_LIMITS[which];
  if (value < low || value > high) return `${name} must be between ${low} and ${high} seconds`;
  return null;
}

/**
 * Why a pair typed as a whole cannot be used: each bound's range, then their order. The Settings
 * panel checks with it before asking main, so its words are these and not main's error text.
 */
export function describePollIntervalProblem(bounds: PollIntervalBounds): string | null {
  return (
    describePollBoundProblem('min', bounds.min) ??
    describePollBoundProblem('max', bounds.max) ??
    describePollBoundsProblem(bounds)
  );
}

/** Why a pair of bounds cannot be used (min above max), or null. Ranges are checked apart. */
export function describePollBoundsProblem(bounds: PollIntervalBounds): string | null {
  if (bounds.min > bounds.max)
    return `the shortest poll interval (${bounds.min} s) is longer than the longest (${bounds.max} s)`;
  return null;
}
