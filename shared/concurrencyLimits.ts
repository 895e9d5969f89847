/**
 * How many uploads, conversions or downloads may run at once: what each setting may be.
 * Shared by main (the settings' schema) and the Settings panel, which says what is wrong in
 * the field's own words before asking main.
 */
export const CONCURRENCY_LIMITS = { low: 1, high: 32 } as const;

/** Why a typed value cannot be a limit, in plain words after the field's label; or null. */
export function describeConcurrencyProblem(typed: string): string | null {
  const n = Number(typed);
  const { low, high } = CONCURRENCY_LIMITS;
  if (typed.trim() === '' || !Number.isInteger(n) || n < low || n > high)
    return `enter a whole number from ${low} to ${high}.`;
  return null;
}
