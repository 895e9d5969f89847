import { aggregateViewOf } from '../lib/aggregateView';
import { useAppStore } from '../store/appStore';
import { ProgressBar } from './ProgressBar';

/**
 * The whole queue's progress: the text above the bar and the bar say the same number, and
 * the counts add up to the queue's (done of those that can finish, failed and cancelled
 * apart). The queue's time left is main's, damped, shown only while jobs run.
 */
export function AggregateBar() {
  const aggregate = useAppStore((s) => s.queue.aggregate);
  if (aggregate.total === 0 && (aggregate.cancelled ?? 0) === 0) return null;
  const view = aggregateViewOf(aggregate);
  // The first count shown leads without a separator ("1 failed", not "· 1 failed").
  const parts = [view.summary, view.failed, view.cancelled];
  const lead = parts.findIndex(Boolean);
  const sep = (i: number) => (i === lead ? '' : ' · ');
  return (
    <div className="aggregate">
      <div className="aggregate-text">
        <span data-testid="queue-counts">
          {view.summary}
          {view.failed && <span className="aggregate-failed">{sep(1) + view.failed}</span>}
          {view.cancelled && <span className="aggregate-cancelled">{sep(2) + view.cancelled}</span>}
        </span>
        <span className="aggregate-numbers">
          {view.eta && (
            <span className="aggregate-eta" data-testid="queue-eta">
              {view.eta}
            </span>
          )}
          {view.percent && <span className="numeric">{view.percent}</span>}
        </span>
      </div>
      <ProgressBar
        label="Overall progress"
        tone={view.finished ? 'done' : 'active'}
        fraction={view.fraction}
        valueText={view.spoken}
      />
    </div>
  );
}
