/** Human formatting for sizes, speeds and durations. Pure, so it is unit-tested. */
import { formatBytes } from '../../../shared/byteSize';
import { formatClock } from '../../../shared/clockTime';

export { formatBytes, formatClock };

export function formatSpeed(bytesPerSecond: number | null): string | null {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0)
    return null;
  return `${formatBytes(bytesPerSecond)}/s`;
}

const COUNTS = new Intl.NumberFormat('en-US');

/** A count as a person reads it: "10,000 jobs", not "10000 jobs" (the app's words are English). */
export function formatCount(n: number): string {
  return COUNTS.format(n);
}

/**
 * How long a job took: seconds under a minute ("0.4 s", "12 s"; "took 0:00" read as no time at
 * all), a clock from there on ("1:05", "1:02:03").
 */
export function formatTook(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  if (seconds < 59.5) return `${Math.round(seconds)} s`;
  return formatClock(Math.round(seconds));
}

const FEW_SECONDS_LEFT = 'a few seconds left';

/**
 * Time left as a person says it, rounded so a damped estimate does not flicker: "a few
 * seconds left", "less than a minute left", "about 3 min left", "about 1 h 20 min left".
 * null when unknown. Never "almost done": near the end it is "a few seconds".
 */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 10) return FEW_SECONDS_LEFT;
  if (seconds < 60) return 'less than a minute left';
  if (seconds < 3600 - 30) return `about ${Math.max(1, Math.round(seconds / 60))} min left`;
  // Hours: to the nearest 5 minutes.
  const total = Math.round(seconds / 300) * 5;
  const h = Math.floor(total / 60);
  const m = total % 60;
  return m === 0 ? `about ${h} h left` : `about ${h} h ${m} min left`;
}

/** How far along a bar must be before "a few seconds left" may be said beside it. */
export const FEW_SECONDS_FROM = 0.9;

/**
 * The time left as a row and the queue's header both say it: "a few seconds left" only near
 * the end (`FEW_SECONDS_FROM`); at 56 % it reads as a promise the next stage or job breaks.
 */
export function etaBeside(fraction: number | null, seconds: number | null): string | null {
  const eta = formatEta(seconds);
  return eta === FEW_SECONDS_LEFT && (fraction ?? 0) < FEW_SECONDS_FROM ? null : eta;
}

/** A phrase as the start of a sentence: "the shortest…" → "The shortest…". */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatPercent(fraction: number): string {
  return `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}
