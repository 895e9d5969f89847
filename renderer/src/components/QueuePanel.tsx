import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { intent } from '../actions';
import { canChangePreset } from '../lib/stageView';
import { selectDefaultPreset, useAppStore } from '../store/appStore';
import { Banners } from './Banners';
import { NoticeBar } from './NoticeBar';
import { JobDetailsDialog } from './JobDetailsDialog';
import { QueueHeader } from './QueueHeader';
import { VirtualJobList } from './VirtualJobList';

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

export function QueuePanel({ onOpenAccount }: { onOpenAccount?: () => void }) {
  const count = useAppStore((s) => (s.queue.complete ? s.queue.order.length : s.queue.total));
  const hydrated = useAppStore((s) => s.hydrated);
  const heading = useRef<HTMLHeadingElement>(null);

  return (
    <section className="panel queue-panel" aria-labelledby="queue-heading">
      <QueueHeader heading={heading} />
      <Banners onOpenAccount={onOpenAccount} />
      <NoticeBar />
      <SelectionBar />
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
        <VirtualJobList />
      )}
      <JobDetailsDialog />
    </section>
  );
}
