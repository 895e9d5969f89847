import { formatPercent } from '../lib/format';
import { useAppStore } from '../store/appStore';
import { ProgressBar } from './ProgressBar';

/** The whole queue's progress: the text above the bar and the bar say the same thing. */
export function AggregateBar() {
  const aggregate = useAppStore((s) => s.queue.aggregate);
  if (aggregate.total === 0) return null;
  const summary = `${aggregate.done} of ${aggregate.total} done${aggregate.failed ? `, ${aggregate.failed} failed` : ''}`;
  const finished = aggregate.active === 0 && aggregate.done + aggregate.failed === aggregate.total;
  // Nothing running (paused, stopped, waiting): the share of finished jobs, not a busy bar.
  const fraction =
    aggregate.fraction ??
    (aggregate.active === 0 ? (aggregate.done + aggregate.failed) / aggregate.total : null);
  return (
    <div className="aggregate">
      <div className="aggregate-text">
        <span>{summary}</span>
        {fraction !== null && !finished && (
          <span className="numeric">{formatPercent(fraction)}</span>
        )}
      </div>
      <ProgressBar
        label="Overall progress"
        tone={finished ? (aggregate.failed > 0 ? 'failed' : 'done') : 'active'}
        fraction={fraction}
        valueText={fraction !== null ? `${formatPercent(fraction)}, ${summary}` : summary}
      />
    </div>
  );
}
