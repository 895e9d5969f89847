/**
 * The History button in the top bar and the drawer it opens: every finished job (done, failed,
 * cancelled) main has kept, newest first, whatever was cleared from the queue. A search field
 * and a status filter ask main for one page at a time ("Show more" asks for the next), so the
 * window never holds the whole history. Rows offer Open and Show in folder while the output is
 * still on disk (main looks the path up by entry id), and Remove; "Clear history" asks first.
 * Escape or Close returns focus to the button. Loaded when it first opens (HistoryMenu.tsx).
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { HistoryPage, HistoryRow, HistoryStatus } from '../../../shared/history';
import { errorMessage, requireApi, type Api } from '../api';
import { formatBytes, formatCount, formatTook } from '../lib/format';
import { useAppStore } from '../store/appStore';
import { baseName } from './JobActions';

const PAGE = 50;
const STATUS_WORD: Record<HistoryStatus, string> = {
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * Done, failed or cancelled; a done job that made nothing reads "Skipped" (its reason says
 * which file was there), and one whose result is worth a look carries a ⚠ beside "Done".
 */
function StatusBadge({ entry }: { entry: HistoryRow }) {
  const skipped = entry.status === 'done' && entry.outputPaths.length === 0 && entry.reason;
  if (skipped) return <span className="history-status skipped">Skipped</span>;
  const warned = entry.status === 'done' && entry.reason !== null;
  return (
    <span className={`history-status ${entry.status}${warned ? ' caution' : ''}`}>
      {warned ? '⚠ Done' : STATUS_WORD[entry.status]}
    </span>
  );
}

function finishedOn(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function HistoryEntryRow(props: {
  entry: HistoryRow;
  act(run: (api: Api) => Promise<unknown>, after?: () => void): void;
  onRemoved(id: string): void;
}) {
  const { entry, act, onRemoved } = props;
  const output = entry.outputPaths[0];
  const there = entry.outputsExist[0] === true;
  const headingId = useId();
  return (
    <li className={`history-row status-${entry.status}`} aria-labelledby={headingId}>
      <div className="history-main">
        <span className="history-name" id={headingId} title={entry.sourcePath}>
          {entry.sourceName}
        </span>
        <StatusBadge entry={entry} />
      </div>
      <div className="history-facts">
        <span className="history-preset">{entry.presetName}</span>
        <span>on {entry.ranOn.label}</span>
        <span className="history-sizes">
          {formatBytes(entry.sourceSize)}
          {/* A skipped job made nothing: its reason says so, no "→ —" beside the size. */}
          {entry.status === 'done' &&
            entry.outputPaths.length > 0 &&
            ` → ${entry.outputBytes !== null ? formatBytes(entry.outputBytes) : '—'}`}
        </span>
        {entry.tookMs !== null && (
          <span className="history-took">took {formatTook(entry.tookMs)}</span>
        )}
        <span className="history-when">
          <time dateTime={new Date(entry.finishedAt).toISOString()}>
            {finishedOn(entry.finishedAt)}
          </time>
        </span>
      </div>
      {entry.reason && (
        <p
          className={
            // Done with a file and a reason: the result is worth a look (a warning).
            entry.status === 'done' && entry.outputPaths.length > 0
              ? 'history-reason caution'
              : 'history-reason'
          }
        >
          {entry.reason}
        </p>
      )}
      {output && (
        <p className="history-output">
          → {baseName(output)}
          {entry.outputPaths.length > 1 && ` and ${entry.outputPaths.length - 1} more`}
          {!there && <span className="history-gone"> (moved or deleted since)</span>}
        </p>
      )}
      <div className="history-actions">
        {output && there && (
          <>
            <button
              type="button"
              className="small"
              aria-label={`Open ${baseName(output)}`}
              title="Open the converted file in its default app"
              onClick={() => act((a) => a.history.open({ id: entry.id }))}
            >
              Open
            </button>
            <button
              type="button"
              className="small secondary"
              aria-label={`Show in folder: ${baseName(output)}`}
              title="Show the converted file in its folder"
              onClick={() => act((a) => a.history.reveal({ id: entry.id }))}
            >
              Show in folder
            </button>
          </>
        )}
        <button
          type="button"
          className="small ghost"
          aria-label={`Remove ${entry.sourceName} from the history`}
          title="Forget this entry; its files stay where they are"
          onClick={() =>
            act(
              (a) => a.history.remove({ id: entry.id }),
              () => onRemoved(entry.id),
            )
          }
        >
          Remove
        </button>
      </div>
    </li>
  );
}

export function HistoryDrawer({ onClose }: { onClose(): void }) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<HistoryStatus | ''>('');
  const [page, setPage] = useState<HistoryPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [said, setSaid] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const clearButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const request = useRef(0);
  // A job finishing while the drawer is open shows up in it.
  const finishedCount = useAppStore((s) => {
    const a = s.queue.aggregate;
    return a.done + a.failed + (a.cancelled ?? 0);
  });

  const load = useCallback(
    async (offset: number) => {
      const mine = ++request.current;
      try {
        const next = await requireApi().history.list({
          ...(text.trim() ? { text: text.trim() } : {}),
          ...(status ? { status } : {}),
          offset,
          limit: PAGE,
        });
        if (mine !== request.current) return;
        setError(null);
        setPage((before) =>
          offset === 0 || !before
            ? next
            : { ...next, entries: [...before.entries, ...next.entries] },
        );
      } catch (e) {
        if (mine === request.current) setError(errorMessage(e));
      }
    },
    [text, status],
  );

  useEffect(() => {
    // Typing waits a moment; the first page comes at once.
    const timer = setTimeout(() => void load(0), page ? 200 : 0);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the page itself is not a trigger
  }, [load, finishedCount]);
  useEffect(() => search.current?.focus(), []);
  // The question takes the focus on its safe answer.
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
  }, [confirming]);

  const act = (run: (api: Api) => Promise<unknown>, after?: () => void) => {
    void run(requireApi()).then(
      () => after?.(),
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  const removed = (id: string) => {
    setPage((p) =>
      p
        ? {
            ...p,
            entries: p.entries.filter((e) => e.id !== id),
            matching: p.matching - 1,
            total: p.total - 1,
          }
        : p,
    );
    setSaid('Removed from the history.');
  };
  const clearAll = () =>
    act(
      (a) => a.history.clear(),
      () => {
        setConfirming(false);
        setSaid('The history was cleared. Converted files stay where they are.');
        setPage((p) => (p ? { ...p, entries: [], matching: 0, total: 0 } : p));
        search.current?.focus();
      },
    );

  const filtered = text.trim() !== '' || status !== '';
  const total = page?.total ?? 0;
  return (
    <div
      id="history-drawer"
      className="history-drawer"
      role="dialog"
      aria-labelledby="history-heading"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        if (confirming) {
          setConfirming(false);
          clearButton.current?.focus();
        } else onClose();
      }}
    >
      <div className="history-head">
        <h2 id="history-heading">History</h2>
        <span className="history-count">
          {page ? `${formatCount(total)} finished ${total === 1 ? 'job' : 'jobs'}` : ''}
        </span>
        {total > 0 && (
          <button
            ref={clearButton}
            type="button"
            className="ghost danger small"
            aria-expanded={confirming}
            onClick={() => setConfirming(true)}
          >
            Clear history…
          </button>
        )}
        <button type="button" className="secondary small" onClick={onClose}>
          Close
        </button>
      </div>
      {confirming && (
        <div className="history-confirm" role="alertdialog" aria-labelledby="history-confirm-text">
          <p id="history-confirm-text">
            Clear the whole history ({formatCount(total)} {total === 1 ? 'entry' : 'entries'})? The
            converted files stay where they are; only this list is forgotten.
          </p>
          <button type="button" className="danger-solid small" onClick={clearAll}>
            Clear history
          </button>
          <button
            type="button"
            className="secondary small"
            ref={keepButton}
            onClick={() => setConfirming(false)}
          >
            Keep it
          </button>
        </div>
      )}
      <form className="history-search" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input
            ref={search}
            type="search"
            value={text}
            placeholder="File name or preset"
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as HistoryStatus | '')}>
            <option value="">All</option>
            <option value="done">Done</option>
            <option value="failed">Failed</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </label>
      </form>
      {error && (
        <p className="history-message error" role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {said}
      </p>
      {page && (
        <p className="history-summary" aria-live="polite">
          {page.matching === 0
            ? filtered
              ? 'No finished job matches.'
              : 'Nothing here yet: finished jobs are listed here, even after “Clear finished”.'
            : filtered
              ? `${formatCount(page.matching)} of ${formatCount(total)} match; showing ${formatCount(page.entries.length)}.`
              : `Showing ${formatCount(page.entries.length)} of ${formatCount(total)}, newest first.`}
        </p>
      )}
      {page && page.entries.length > 0 && (
        <ul className="history-list" aria-label="Finished jobs">
          {page.entries.map((entry) => (
            <HistoryEntryRow key={entry.id} entry={entry} act={act} onRemoved={removed} />
          ))}
        </ul>
      )}
      <div className="history-foot">
        {page && page.entries.length < page.matching && (
          <button
            type="button"
            className="secondary small"
            onClick={() => void load(page.entries.length)}
          >
            Show more
          </button>
        )}
      </div>
    </div>
  );
}
