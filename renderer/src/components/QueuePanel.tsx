import { lazy, Suspense, useRef, useState } from 'react';
import { pickAndAdd } from '../actions';
import { blockedEmptyHint, newJobsBlockOf } from '../lib/queueState';
import { selectCanAddFiles, useAppStore } from '../store/appStore';
import { Banners } from './Banners';
import { useChange } from './changeJobsState';
import { useDetails } from './jobDetailsState';
import { NoticeBar } from './NoticeBar';
import { QueueHeader } from './QueueHeader';
import { SelectionBar } from './SelectionBar';
import { VirtualJobList } from './VirtualJobList';

// The dialogs are loaded when first opened (the first paint does not parse them), then stay.
const ChangeJobsDialog = lazy(() =>
  import('./ChangeJobsDialog').then((m) => ({ default: m.ChangeJobsDialog })),
);
const JobDetailsDialog = lazy(() =>
  import('./JobDetailsDialog').then((m) => ({ default: m.JobDetailsDialog })),
);

/** True from the first render where `now` is, for good. */
function useOnceTrue(now: boolean): boolean {
  const [was, setWas] = useState(now);
  if (now && !was) setWas(true);
  return was || now;
}

export function QueuePanel({ onOpenAccount }: { onOpenAccount?: () => void }) {
  const count = useAppStore((s) => (s.queue.complete ? s.queue.order.length : s.queue.total));
  const hydrated = useAppStore((s) => s.hydrated);
  // New jobs go to this computer and it cannot convert: the empty state does not invite drops.
  const block = useAppStore((s) => newJobsBlockOf(s.engine, s.vault));
  const canPick = useAppStore(selectCanAddFiles);
  const heading = useRef<HTMLHeadingElement>(null);
  const details = useOnceTrue(useDetails((s) => s.id !== null));
  const change = useOnceTrue(useChange((s) => s.target !== null));

  return (
    <section className="panel queue-panel" aria-labelledby="queue-heading">
      <QueueHeader heading={heading} />
      <Banners onOpenAccount={onOpenAccount} />
      <NoticeBar />
      {count === 0 ? (
        <div className="empty">
          <p>{hydrated ? 'Nothing in the queue yet.' : 'Loading the queue…'}</p>
          {hydrated && (
            <p className="hint" id="queue-empty-hint">
              {blockedEmptyHint(block) ??
                'Drop files or folders anywhere in this window, or add them here; each file becomes a job.'}
            </p>
          )}
          {/* The Convert column's Add files… is below the fold in a small window: the same
              dialog, offered where this text points (not where every file would be refused). */}
          {hydrated && block !== 'refused' && (
            <button
              type="button"
              className="empty-add"
              aria-describedby="queue-empty-hint"
              disabled={!canPick}
              onClick={() => void pickAndAdd('files')}
            >
              Add files to the queue…
            </button>
          )}
        </div>
      ) : (
        <>
          <SelectionBar />
          <VirtualJobList />
        </>
      )}
      {details && (
        <Suspense fallback={null}>
          <JobDetailsDialog />
        </Suspense>
      )}
      {change && (
        <Suspense fallback={null}>
          <ChangeJobsDialog />
        </Suspense>
      )}
    </section>
  );
}
