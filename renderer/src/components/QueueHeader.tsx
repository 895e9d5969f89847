/**
 * The top of the queue, always in view: its name and count, what the queue is doing in one
 * word (Running, Paused, Stopping after current, Stopped, Offline, Cannot convert, Converter
 * not running), the one control that moves it on first, then the rest of the toolbar, and
 * the overall bar.
 */
import { useLayoutEffect, useRef, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { intent } from '../actions';
import { formatCount } from '../lib/format';
import {
  converterDownOf,
  newJobsBlockOf,
  queueStateOf,
  type QueueStateView,
} from '../lib/queueState';
import { useConverterStart } from '../lib/converterStart';
import { useAppStore, type AppState } from '../store/appStore';
import { AggregateBar } from './AggregateBar';
import '../styles/queueHeader.css';

/**
 * The queue's state, recomputed only when a flag, a stage, the engine or the active profile
 * changes (not on progress ticks). `converterStarting`: the person's "Start converter again"
 * is under way; its jobs still wait for it (not "Offline", as a converter merely starting
 * would read).
 */
export function selectQueueState(s: AppState, converterStarting = false): QueueStateView {
  const { paused, stopAfterRunning, offline, aggregate } = s.queue;
  // Main's counts: the window holds only the jobs of the rows on screen.
  return queueStateOf({
    paused,
    stopAfterRunning,
    offline,
    byStage: aggregate.byStage ?? {},
    // This computer without a working ffmpeg, while new jobs go to it: not "Ready".
    newJobs: newJobsBlockOf(s.engine, s.vault),
    converterDown: converterDownOf(s.engine) || converterStarting,
  });
}

function useQueueState(): QueueStateView {
  const converterStarting = useConverterStart((s) => s.starting);
  return useAppStore(useShallow((s) => selectQueueState(s, converterStarting)));
}

function QueueToolbar({ state }: { state: QueueStateView }) {
  const counts = useAppStore(
    useShallow((s) => {
      // Main's counts: the replica holds only the jobs of the rows on screen. Failed jobs are
      // not cleared (they wait for Retry or Remove), so they do not count as finished.
      const { failed, done, cancelled } = s.queue.aggregate;
      return { failed, finished: done + (cancelled ?? 0) };
    }),
  );
  // A control that goes away or is disabled once main answers (Pause all → Resume, Retry
  // failed with none left) would drop the focus to the page: it moves to the toolbar's
  // first control that still works instead.
  const group = useRef<HTMLDivElement>(null);
  const refocusUntil = useRef(0);
  useLayoutEffect(() => {
    if (Date.now() > refocusUntil.current) return;
    const active = document.activeElement;
    const lost =
      !active ||
      active === document.body ||
      (active instanceof HTMLButtonElement && active.disabled);
    if (!lost) return;
    group.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    refocusUntil.current = 0;
  });
  const act = (run: Parameters<typeof intent>[0]) => {
    refocusUntil.current = Date.now() + 3000;
    void intent(run);
  };
  const resume = () => act((a) => a.queue.resumeAll());
  return (
    <div ref={group} className="toolbar" role="group" aria-label="Queue controls">
      {state.move === 'resume' && (
        <button type="button" onClick={resume}>
          Resume
        </button>
      )}
      {state.move === 'start' && (
        <button type="button" onClick={resume}>
          Start
        </button>
      )}
      {state.move === 'pause' && (
        // Offered with nothing to pause too (Ready, All finished): files added next wait until
        // Resume, and the button says so in its description.
        <button
          type="button"
          className="secondary"
          title={state.moveNote}
          aria-describedby={state.moveNote ? 'queue-move-note' : undefined}
          onClick={() => act((a) => a.queue.pauseAll())}
        >
          Pause all
        </button>
      )}
      {state.move === 'pause' && state.moveNote && (
        <span id="queue-move-note" className="visually-hidden">
          {state.moveNote}
        </span>
      )}
      {(state.kind === 'running' || state.kind === 'offline' || state.kind === 'waiting') && (
        <button
          type="button"
          className="secondary"
          onClick={() => act((a) => a.queue.stopAfterRunning())}
        >
          Stop after current
        </button>
      )}
      <button
        type="button"
        className="secondary"
        disabled={counts.failed === 0}
        onClick={() => act((a) => a.queue.retryAllFailed())}
      >
        Retry failed{counts.failed > 0 ? ` (${formatCount(counts.failed)})` : ''}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={counts.finished === 0}
        onClick={() => act((a) => a.queue.clearFinished())}
      >
        Clear finished
      </button>
    </div>
  );
}

export function QueueHeader({ heading }: { heading: RefObject<HTMLHeadingElement | null> }) {
  const count = useAppStore((s) => (s.queue.complete ? s.queue.order.length : s.queue.total));
  const state = useQueueState();
  return (
    <div className="queue-header">
      <div className="queue-title">
        <h2 id="queue-heading" ref={heading} tabIndex={-1}>
          Queue <span className="count">{count > 0 ? formatCount(count) : ''}</span>
        </h2>
        <p className={`queue-state state-${state.kind}`} data-testid="queue-state">
          <span className="queue-state-label">{state.label}</span>
          {state.detail && <span className="queue-state-detail">{state.detail}</span>}
        </p>
      </div>
      <QueueToolbar state={state} />
      <AggregateBar />
    </div>
  );
}
