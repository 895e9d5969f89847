/**
 * The queue's rows, drawn only where they can be seen: rows have one fixed height (a CSS
 * variable, `--job-row-height` in jobList.css, set with the narrow layout by the same container
 * query, and read here when the list's box changes size), the list draws the rows in view plus an
 * overscan above and below, and tells the store which rows those are, so it keeps only their
 * jobs and asks main for the ones it lacks. The row that has the focus stays drawn when it
 * scrolls away, and the arrow keys move the focus from row to row, scrolling as they go.
 */
import { flushSync } from 'react-dom';
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import { useShallow } from 'zustand/react/shallow';
import { requireApi } from '../api';
import { afterPaint } from '../lib/afterPaint';
import { isSelectAllKey, selectAllJobs } from '../selectionActions';
import { missingInKeep } from '../store/queueReplica';
import { useAppStore } from '../store/appStore';
import { keptTop, OVERSCAN, rangeFor } from '../lib/virtualRows';
import { JobRow } from './JobRow';
import './jobList.css';

const FALLBACK_ROW_HEIGHT = 76;
/** How long scrolling must settle before rows without jobs are asked for. */
const FETCH_DELAY_MS = 40;

function rowHeightOf(el: HTMLElement | null): number {
  if (!el) return FALLBACK_ROW_HEIGHT;
  const value = parseFloat(getComputedStyle(el).getPropertyValue('--job-row-height'));
  return Number.isFinite(value) && value > 0 ? value : FALLBACK_ROW_HEIGHT;
}

function Placeholder({ index, top }: { index: number; top: number }) {
  return (
    <li
      className="job placeholder"
      data-index={index}
      style={{ transform: `translateY(${top}px)` }}
      aria-busy="true"
    >
      <span className="placeholder-text">Loading…</span>
    </li>
  );
}

export function VirtualJobList() {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600, rowHeight: FALLBACK_ROW_HEIGHT });
  const count = useAppStore((s) => (s.queue.complete ? s.queue.order.length : s.queue.total));
  const focused = useRef<number | null>(null);
  const [focusedIndex, setFocusedIndex] = useState<number | null>(null);
  const pendingFocus = useRef<number | null>(null);
  // The first frame draws the rows in view and no overscan (rows nobody sees yet cost that
  // frame their render, layout and paint); the overscan follows once it is painted.
  const [painted, setPainted] = useState(false);
  useEffect(() => afterPaint(() => setPainted(true)), []);

  // Measured when the browser has laid the page out (a ResizeObserver's callback, which also
  // comes once at the start), never by asking for the layout while rendering: that forced
  // a layout of the whole window and a second render before the first rows could paint. Until
  // then the list draws for a 600px view of 76px rows, which covers the first screen.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // This observer is the only one to change the row height.
    let rowHeight = FALLBACK_ROW_HEIGHT;
    let height = el.clientHeight;
    const observer = new ResizeObserver(() => {
      const next = { top: el.scrollTop, height: el.clientHeight, rowHeight: rowHeightOf(el) };
      const resized = next.rowHeight !== rowHeight;
      // Another row height (the window crossed into or out of the narrow layout): the same
      // scrollTop would show other rows (at the end of 10,000 rows, row ~6,800), so the row at
      // the top stays at the top, and a focused row that was in view stays in view.
      if (resized)
        next.top = keptTop(
          { scrollTop: el.scrollTop, oldHeight: height, newHeight: next.height },
          rowHeight,
          next.rowHeight,
          focused.current,
        );
      const apply = () =>
        setView((v) =>
          v.top === next.top && v.height === next.height && v.rowHeight === next.rowHeight
            ? v
            : next,
        );
      // Another row height is drawn before this frame paints, so rows never show at the
      // wrong places; the list's new height is in place before the scroll position moves.
      if (resized) {
        flushSync(apply);
        el.scrollTop = next.top;
      } else apply();
      rowHeight = next.rowHeight;
      height = next.height;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const frame = useRef(0);
  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = scroller.current;
      if (el) setView((v) => ({ ...v, top: el.scrollTop, height: el.clientHeight }));
    });
  };
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const { start, end } = rangeFor(
    view.top,
    view.height,
    view.rowHeight,
    count,
    painted ? OVERSCAN : 0,
  );
  const ids = useAppStore(useShallow((s) => s.queue.order.slice(start, end)));
  const loaded = useAppStore(useShallow((s) => ids.map((id) => id in s.queue.jobsById)));
  const focusedId = useAppStore((s) =>
    focusedIndex !== null && (focusedIndex < start || focusedIndex >= end)
      ? (s.queue.order[focusedIndex] ?? null)
      : null,
  );

  // Tell the store which rows are drawn (it drops the other jobs), then fetch the missing.
  useEffect(() => {
    const store = useAppStore.getState();
    const keep = store.queue.keep;
    if (!keep || keep.start !== start || keep.end !== end || focusedId)
      store.setKeep(start, end, focusedId ? [focusedId] : []);
    const missing = missingInKeep(useAppStore.getState().queue);
    if (missing.length === 0) return;
    let live = true;
    const timer = setTimeout(() => {
      void requireApi()
        .queue.window({ offset: start, limit: Math.max(1, end - start) })
        .then((win) => {
          if (!live) return;
          const want = new Set(missingInKeep(useAppStore.getState().queue));
          useAppStore.getState().addJobs(win.jobs.filter((j) => want.has(j.id)));
        })
        .catch(() => undefined);
    }, FETCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [start, end, focusedId, ids, loaded]);

  // Focus asked for by an arrow key lands once its row is drawn.
  useLayoutEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const target = scroller.current?.querySelector<HTMLElement>(
      `[data-index="${index}"] .row-focus`,
    );
    if (target) {
      pendingFocus.current = null;
      target.focus({ preventScroll: true });
    }
  });

  const moveFocus = (to: number) => {
    const el = scroller.current;
    if (!el || count === 0) return;
    const index = Math.max(0, Math.min(count - 1, to));
    const top = index * view.rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + view.rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = top + view.rowHeight - el.clientHeight;
    pendingFocus.current = index;
    setFocusedIndex(index);
    setView((v) => ({ ...v, top: el.scrollTop }));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (isSelectAllKey(event)) {
      // Every job of the queue, not only the rows drawn.
      event.preventDefault();
      void selectAllJobs();
      return;
    }
    const current = focused.current;
    if (current === null) return;
    const page = Math.max(1, Math.floor(view.height / view.rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: count - 1,
    };
    const to = moves[event.key];
    // Keys typed in a field or on a button's own business are left alone.
    const tag = (event.target as HTMLElement).tagName;
    if (to === undefined || tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
    event.preventDefault();
    moveFocus(to);
  };

  const onFocus = (event: { target: EventTarget }) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const index = row ? Number(row.dataset.index) : null;
    focused.current = index;
    if (index !== focusedIndex) setFocusedIndex(index);
  };

  const rows = [];
  for (let i = 0; i < ids.length; i++) {
    const index = start + i;
    const id = ids[i];
    const top = index * view.rowHeight;
    if (id && loaded[i])
      rows.push(
        <JobRow
          key={id}
          id={id}
          index={index}
          count={count}
          top={top}
          first={index === 0}
          last={index === count - 1}
        />,
      );
    else rows.push(<Placeholder key={id ?? `at-${index}`} index={index} top={top} />);
  }
  // Rows whose ids are not known yet (the first page is in, the rest of the ids are coming).
  for (let index = start + ids.length; index < end; index++)
    rows.push(<Placeholder key={`at-${index}`} index={index} top={index * view.rowHeight} />);
  if (focusedId && focusedIndex !== null)
    rows.push(
      <JobRow
        key={focusedId}
        id={focusedId}
        index={focusedIndex}
        count={count}
        top={focusedIndex * view.rowHeight}
        first={focusedIndex === 0}
        last={focusedIndex === count - 1}
      />,
    );

  return (
    <div
      ref={scroller}
      className="virtual-scroller"
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      data-testid="job-list"
      // Short lists take their own height; long ones scroll inside the view.
      style={{ '--list-height': `${count * view.rowHeight + 2}px` } as CSSProperties}
    >
      <ol
        className="jobs virtual"
        aria-labelledby="queue-heading"
        style={{ height: count * view.rowHeight }}
      >
        {rows}
      </ol>
    </div>
  );
}
