import { useRef } from 'react';
import { useAppStore } from '../store/appStore';
import { Banners } from './Banners';
import { ChangeJobsDialog } from './ChangeJobsDialog';
import { NoticeBar } from './NoticeBar';
import { JobDetailsDialog } from './JobDetailsDialog';
import { QueueHeader } from './QueueHeader';
import { SelectionBar } from './SelectionBar';
import { VirtualJobList } from './VirtualJobList';

export function QueuePanel({ onOpenAccount }: { onOpenAccount?: () => void }) {
  const count = useAppStore((s) => (s.queue.complete ? s.queue.order.length : s.queue.total));
  const hydrated = useAppStore((s) => s.hydrated);
  const heading = useRef<HTMLHeadingElement>(null);

  return (
    <section className="panel queue-panel" aria-labelledby="queue-heading">
      <QueueHeader heading={heading} />
      <Banners onOpenAccount={onOpenAccount} />
      <NoticeBar />
      {count === 0 ? (
        <div className="empty">
          <p>{hydrated ? 'Nothing in the queue yet.' : 'Loading the queue…'}</p>
          {hydrated && (
            <p className="hint">
              Drop files or folders anywhere in this window, or use Add files…; each file becomes a
              job here.
            </p>
          )}
        </div>
      ) : (
        <>
          <SelectionBar />
          <VirtualJobList />
        </>
      )}
      <JobDetailsDialog />
      <ChangeJobsDialog />
    </section>
  );
}
