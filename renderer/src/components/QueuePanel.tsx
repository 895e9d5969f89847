import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { intent } from '../actions';
import { formatPercent } from '../lib/format';
import { canChangePreset } from '../lib/stageView';
import { selectDefaultPreset, useAppStore } from '../store/appStore';
import { JobDetailsDialog } from './JobDetailsDialog';
import { VirtualJobList } from './VirtualJobList';
import { OfflineBanner } from './OfflineBanner';
import { ProgressBar } from './ProgressBar';

function QueueToolbar() {
  const { paused, stopAfterRunning } = useAppStore(
    useShallow((s) => ({ paused: s.queue.paused, stopAfterRunning: s.queue.stopAfterRunning })),
  );
  // Main's counts: the replica holds only the jobs of the rows on screen.
  const counts = useAppStore(
    useShallow((s) => {
      const { failed, done, cancelled } = s.queue.aggregate;
      // Failed jobs are not cleared (they wait for Retry or Remove), so they do not count.
      const finished = done + (cancelled ?? 0);
      return {
        failed,
        finished,
        total: s.queue.complete ? s.queue.order.length : s.queue.total,
      };
    }),
  );
  return (
    <div className="toolbar" role="group" aria-label="Queue controls">
      {paused ? (
        <button type="button" onClick={() => void intent((a) => a.queue.resumeAll())}>
          Resume
        </button>
      ) : (
        // Allowed on an empty queue too: files added next wait until Resume.
        <button
          type="button"
          className="secondary"
          onClick={() => void intent((a) => a.queue.pauseAll())}
        >
          Pause all
        </button>
      )}
      <button
        type="button"
        className="secondary"
        aria-pressed={stopAfterRunning}
        disabled={counts.total === 0 && !stopAfterRunning}
        // Pressed again, it lets the queue carry on (resume also clears the stop).
        onClick={() =>
          void intent((a) => (stopAfterRunning ? a.queue.resumeAll() : a.queue.stopAfterRunning()))
        }
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

/** Re-applies the chosen preset to ticked jobs that have not started (settings frozen per job). */
function SelectionBar() {
  const ids = useAppStore(
    useShallow((s) =>
      s.selected.filter((id) => {
        const job = s.queue.jobsById[id];
        return job !== undefined && canChangePreset(job);
      }),
    ),
  );
  const preset = useAppStore(selectDefaultPreset);
  const clearSelection = useAppStore((s) => s.clearSelection);
  const setNotice = useAppStore((s) => s.setNotice);
  if (ids.length === 0) return null;
  const apply = async () => {
    if (!preset) return;
    const result = await intent((a) => a.jobs.applyPreset({ ids, presetId: preset.id }));
    if (!result) return;
    clearSelection();
    if (result.skipped.length > 0) {
      setNotice({
        tone: 'warning',
        text: `${preset.name} applied to ${result.applied.length}; ${result.skipped.length} kept their preset.`,
      });
    } else {
      useAppStore
        .getState()
        .say(
          `${preset.name} applied to ${result.applied.length} ${result.applied.length === 1 ? 'job' : 'jobs'}.`,
        );
    }
  };
  return (
    <div className="selection-bar" role="group" aria-label="Selected jobs">
      <span>{ids.length} selected</span>
      <button type="button" className="small" disabled={!preset} onClick={() => void apply()}>
        Apply {preset ? `“${preset.name}”` : 'preset'} to selected
      </button>
      <button type="button" className="ghost small" onClick={clearSelection}>
        Clear selection
      </button>
    </div>
  );
}

export function QueuePanel() {
  const count = useAppStore((s) => (s.queue.complete ? s.queue.order.length : s.queue.total));
  const hydrated = useAppStore((s) => s.hydrated);
  const heading = useRef<HTMLHeadingElement>(null);

  return (
    <section className="panel queue-panel" aria-labelledby="queue-heading">
      <div className="queue-header">
        <h2 id="queue-heading" ref={heading} tabIndex={-1}>
          Queue <span className="count">{count > 0 ? count : ''}</span>
        </h2>
        <QueueToolbar />
      </div>
      <OfflineBanner />
      <AggregateBar />
      <SelectionBar />
      {count === 0 ? (
        <div className="empty">
          <p>{hydrated ? 'Nothing in the queue yet.' : 'Loading the queue…'}</p>
          {hydrated && (
            <p className="hint">Add files or drop them on the left; each one becomes a job here.</p>
          )}
        </div>
      ) : (
        <VirtualJobList focusFallback={heading} />
      )}
      <JobDetailsDialog />
    </section>
  );
}
