import type { AggregateProgress } from '../../../shared/jobs';
import { formatEta, formatPercent } from '../lib/format';
import { useAppStore } from '../store/appStore';
import { ProgressBar } from './ProgressBar';

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

/**
 * The whole queue's progress: the text above the bar and the bar say the same number, and
 * the counts add up to the queue's (done of those that can finish, failed and cancelled
 * apart). The queue's time left is main's, damped, shown only while jobs run.
 */
export function AggregateBar() {
  const aggregate = useAppStore((s) => s.queue.aggregate);
  const cancelledCount = aggregate.cancelled ?? 0;
  if (aggregate.total === 0 && cancelledCount === 0) return null;
  const countable = aggregate.total - aggregate.failed;
  const summary = `${aggregate.done} of ${countable} done`;
  const failed = aggregate.failed > 0 ? `${aggregate.failed} failed` : null;
  const cancelled = cancelledCount > 0 ? `${cancelledCount} cancelled` : null;
  const finished = aggregate.active === 0 && aggregate.done === countable;
  const fraction = overallFraction(aggregate);
  const eta = aggregate.active > 0 ? formatEta(aggregate.etaSeconds ?? null) : null;
  const spoken = [
    fraction !== null ? formatPercent(fraction) : null,
    summary,
    failed,
    cancelled,
    eta,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div className="aggregate">
      <div className="aggregate-text">
        <span>
          {summary}
          {failed && <span className="aggregate-failed"> · {failed}</span>}
          {cancelled && <span className="aggregate-cancelled"> · {cancelled}</span>}
        </span>
        <span className="aggregate-numbers">
          {eta && (
            <span className="aggregate-eta" data-testid="queue-eta">
              {eta}
            </span>
          )}
          {fraction !== null && <span className="numeric">{formatPercent(fraction)}</span>}
        </span>
      </div>
      <ProgressBar
        label="Overall progress"
        tone={finished && countable > 0 ? 'done' : 'active'}
        fraction={fraction}
        valueText={spoken}
      />
    </div>
  );
}
