/**
 * The selection's bar above the rows: select all (every job of the queue, not only the rows
 * drawn; mixed when some are), how many are ticked, and what can be done to them, each
 * button with the number of jobs it applies to ("Cancel 3"). A button that applies to none
 * stays in place and in the tab order, marked disabled (aria-disabled), so pressing it last
 * does not drop the focus to the page when it stops applying. In a narrow queue the bar is
 * one line until something is selected ("None selected" is then said, not shown), and the
 * buttons keep one line under the count (`selection.css`).
 */
import { useEffect, useRef, type MouseEvent } from 'react';
import { formatCount } from '../lib/format';
import { kindsOf, idsFor, type SelectionAction } from '../lib/selection';
import {
  cancelSelected,
  clearSelection,
  removeSelected,
  retrySelected,
  SELECT_ALL_ID,
  toggleSelectAll,
} from '../selectionActions';
import { useAppStore } from '../store/appStore';
import { useSelection } from '../store/selectionStore';
import { openChangeJobs } from './changeJobsState';
import './selection.css';

const HINTS: Record<SelectionAction, string> = {
  cancel: 'Stop the selected jobs that have not finished; they stay in the list',
  retry: 'Run the selected failed or cancelled jobs again',
  remove: 'Take the selected jobs off the list (running ones must be cancelled first)',
  change: 'Change the preset, folder or name of the selected jobs that have not started',
};

function ActionButton(props: {
  action: SelectionAction;
  label: string;
  count: number;
  run(button: HTMLButtonElement): void;
}) {
  const { action, label, count, run } = props;
  const off = count === 0;
  return (
    <button
      type="button"
      className="secondary small"
      data-selection-action={action}
      aria-disabled={off || undefined}
      title={HINTS[action]}
      onClick={(e: MouseEvent<HTMLButtonElement>) => {
        if (!off) run(e.currentTarget);
      }}
    >
      {label}
      {count > 0 ? ` ${formatCount(count)}` : ''}
      {action === 'change' ? '…' : ''}
    </button>
  );
}

export function SelectionBar() {
  const total = useAppStore((s) => (s.queue.complete ? s.queue.order.length : s.queue.total));
  const size = useSelection((s) => s.briefs.size);
  const counts = useSelection((s) => s.counts);
  const box = useRef<HTMLInputElement>(null);
  const all = size > 0 && size >= total;
  const some = size > 0 && !all;
  useEffect(() => {
    if (box.current) box.current.indeterminate = some;
  }, [some]);

  const change = (button: HTMLButtonElement) => {
    const briefs = [...useSelection.getState().briefs.values()];
    const ids = idsFor('change', briefs);
    const wanted = new Set(ids);
    const changeable = briefs.filter((b) => wanted.has(b.id));
    openChangeJobs({ ids, kinds: kindsOf(changeable), current: null }, button);
  };

  return (
    <div className="selection-bar" role="group" aria-label="Selected jobs">
      <label className="select-all">
        <input
          ref={box}
          id={SELECT_ALL_ID}
          type="checkbox"
          checked={all}
          onChange={() => void toggleSelectAll()}
        />
        <span>Select all</span>
      </label>
      <span className={size > 0 ? 'selection-count' : 'selection-count none'}>
        {size > 0 ? `${formatCount(size)} of ${formatCount(total)} selected` : 'None selected'}
      </span>
      {size > 0 && (
        <button
          type="button"
          className="ghost small clear-selection"
          aria-label="Clear selection"
          onClick={() => {
            clearSelection();
            // The button goes with the selection: the focus goes to the checkbox beside it.
            box.current?.focus();
          }}
        >
          Clear
        </button>
      )}
      <div className="selection-actions">
        <ActionButton
          action="cancel"
          label="Cancel"
          count={counts.cancel}
          run={() => void cancelSelected()}
        />
        <ActionButton
          action="retry"
          label="Retry"
          count={counts.retry}
          run={() => void retrySelected()}
        />
        <ActionButton
          action="remove"
          label="Remove"
          count={counts.remove}
          run={() => void removeSelected()}
        />
        <ActionButton action="change" label="Change" count={counts.change} run={change} />
      </div>
    </div>
  );
}
