/**
 * What the queue's overall bar and the line above it say, from main's aggregate. Pure, so it
 * is unit-tested: the counts add up to the queue's, and the bar never claims work that is not
 * there (a queue of failed jobs has nothing left to finish, so no "0 of 0 done" and no busy bar).
 */
import type { AggregateProgress } from '../../../shared/jobs';
import { etaBeside, formatCount, formatPercent } from './format';

export interface AggregateView {
  /** "2 of 5 done"; null when no job can still finish (all failed or cancelled). */
  summary: string | null;
  failed: string | null;
  cancelled: string | null;
  /** The bar, 0..1; null while running without a measure (an indeterminate bar). */
  fraction: number | null;
  /** The percent shown beside the bar, null when it would say nothing true. */
  percent: string | null;
  eta: string | null;
  /** Every job that can finish has: the bar takes the "done" colour. */
  finished: boolean;
  /** The bar's aria-valuetext: the same words as the text above it. */
  spoken: string;
}

/**
 * The share of the work that can still finish: failed jobs are counted apart (they are not
 * progress), and the bar never reads 100 % while a job still runs (a download, say).
 */
export function overallFraction(a: AggregateProgress): number | null {
  // Main's own (it holds when a job fails or is cancelled, so the bar never goes back).
  if (a.share !== undefined) return a.share;
  const countable = a.total - a.failed;
  if (countable <= 0) return null;
  if (a.active === 0) return a.done / countable;
  if (a.fraction === null) return null;
  // Main's fraction counts each failed job as a finished one; take them out.
  const share = (a.fraction * a.total - a.failed) / countable;
  return Math.min(0.99, Math.max(0, share));
}

export function aggregateViewOf(a: AggregateProgress): AggregateView {
  const cancelledCount = a.cancelled ?? 0;
  const countable = a.total - a.failed;
  const summary = countable > 0 ? `${formatCount(a.done)} of ${formatCount(countable)} done` : null;
  const failed = a.failed > 0 ? `${formatCount(a.failed)} failed` : null;
  const cancelled = cancelledCount > 0 ? `${formatCount(cancelledCount)} cancelled` : null;
  // Nothing can finish: the bar stays empty and still (an indeterminate bar would say "busy").
  const fraction = countable > 0 ? overallFraction(a) : 0;
  const percent = countable > 0 && fraction !== null ? formatPercent(fraction) : null;
  // Said as a row says it: "a few seconds left" only near the end (format.etaBeside).
  const eta = a.active > 0 ? etaBeside(fraction, a.etaSeconds ?? null) : null;
  const spoken = [percent, summary, failed, cancelled, eta].filter(Boolean).join(', ');
  return {
    summary,
    failed,
    cancelled,
    fraction,
    percent,
    eta,
    finished: countable > 0 && a.active === 0 && a.done === countable,
    spoken: spoken || 'Nothing to do',
  };
}
