import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { intent } from '../actions';
import { formatPercent } from '../lib/format';
import { isFinished } from '../lib/stageView';
import { useAppStore } from '../store/appStore';
import { JobRow } from './JobRow';
import { ProgressBar } from './ProgressBar';

function QueueToolbar() {
  const { paused, stopAfterRunning } = useAppStore(
    useShallow((s) => ({ paused: s.queue.paused, stopAfterRunning: s.queue.stopAfterRunning })),
  );
  const counts = useAppStore(
    useShallow((s) => {
      let failed = 0;
      let finished = 0;
      for (const id of s.queue.order) {
        const stage = s.queue.jobsById[id]?.stage;
        if (stage === 'failed') failed++;
        if (stage && isFinished(stage)) finished++;
      }
      return { failed, finished, total: s.queue.order.length };
    }),
  );
  return (
    <div className="toolbar" role="group" aria-label="Queue controls">
      {paused ? (
        <button type="button" onClick={() => void intent((a) => a.queue.resumeAll())}>
          Resume
        </button>
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={counts.total === 0}
          onClick={() => void intent((a) => a.queue.pauseAll())}
        >
          Pause all
        </button>
      )}
      <button
        type="button"
        className="secondary"
        aria-pressed={stopAfterRunning}
        disabled={counts.total === 0}
        onClick={() => void intent((a) => a.queue.stopAfterRunning())}
      >
        Stop after current
      </button>
      <button
        type="button"
        className="secondary"
        disabled={counts.failed === 0}
        onClick={() => void intent((a) => a.queue.retryAllFailed())}
      >
        Retry failed{counts.failed > 0 ? ` (${counts.failed})` : ''}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={counts.finished === 0}
        onClick={() => void intent((a) => a.queue.clearFinished())}
      >
        Clear finished
      </button>
    </div>
  );
}

function AggregateBar() {
  const aggregate = useAppStore((s) => s.queue.aggregate);
  if (aggregate.total === 0) return null;
  const summary = `${aggregate.done} of ${aggregate.total} done${aggregate.failed ? `, ${aggregate.failed} failed` : ''}`;
  const fraction = aggregate.fraction;
  const finished = aggregate.active === 0 && aggregate.done + aggregate.failed === aggregate.total;
  return (
    <div className="aggregate">
      <div className="aggregate-text">
        <span>{summary}</span>
        {fraction !== null && <span className="numeric">{formatPercent(fraction)}</span>}
      </div>
      <ProgressBar
        label="Overall progress"
        tone={finished ? (aggregate.failed > 0 ? 'failed' : 'done') : 'active'}
        fraction={finished ? 1 : fraction}
        valueText={fraction !== null ? `${formatPercent(fraction)}, ${summary}` : summary}
      />
    </div>
  );
}

export function QueuePanel() {
  const order = useAppStore(useShallow((s) => s.queue.order));
  const hydrated = useAppStore((s) => s.hydrated);
  const heading = useRef<HTMLHeadingElement>(null);

  return (
    <section className="panel queue-panel" aria-labelledby="queue-heading">
      <div className="queue-header">
        <h2 id="queue-heading" ref={heading} tabIndex={-1}>
          Queue <span className="count">{order.length > 0 ? order.length : ''}</span>
        </h2>
        <QueueToolbar />
      </div>
      <AggregateBar />
      {order.length === 0 ? (
        <div className="empty">
          <p>{hydrated ? 'Nothing in the queue yet.' : 'Loading the queue…'}</p>
          {hydrated && (
            <p className="hint">Add files or drop them on the left; each one becomes a job here.</p>
          )}
        </div>
      ) : (
        <ol className="jobs" aria-labelledby="queue-heading">
          {order.map((id, index) => (
            <JobRow
              key={id}
              id={id}
              first={index === 0}
              last={index === order.length - 1}
              nextId={order[index + 1] ?? order[index - 1] ?? null}
              focusFallback={heading}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
