/**
 * The virtual list's arithmetic (pure, so it is unit-tested): which rows to draw for a scroll
 * position, and where to scroll when the rows change height.
 */

/** Rows drawn beyond each edge of the view: a fling shows rows, not blanks. */
export const OVERSCAN = 8;

export function rangeFor(
  scrollTop: number,
  viewHeight: number,
  rowHeight: number,
  count: number,
  overscan = OVERSCAN,
): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight);
  const last = Math.ceil((scrollTop + viewHeight) / rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) };
}

/**
 * Where the list should scroll to when its rows change height: the row at the top of the view
 * stays there (the part of it scrolled past too), unless a focused row that was in view would
 * leave it; then that row is kept in view.
 */
export function keptTop(
  view: { scrollTop: number; oldHeight: number; newHeight: number },
  oldRowHeight: number,
  newRowHeight: number,
  focusedIndex: number | null,
): number {
  let top = (view.scrollTop / oldRowHeight) * newRowHeight;
  if (focusedIndex !== null) {
    const oldFocusTop = focusedIndex * oldRowHeight;
    // The view as it was, or as it is with the old rows: a view grown at the end of the list
    // has had its scrollTop pulled up by the browser before this runs (60 px rows → 76: the
    // last row, in view before and after, would otherwise count as out of view and be lost).
    const seen = Math.max(view.oldHeight, view.newHeight);
    const wasInView =
      oldFocusTop + oldRowHeight > view.scrollTop && oldFocusTop < view.scrollTop + seen;
    const focusTop = focusedIndex * newRowHeight;
    if (wasInView && focusTop + newRowHeight > top + view.newHeight)
      top = focusTop + newRowHeight - view.newHeight;
    if (wasInView && focusTop < top) top = focusTop;
  }
  return Math.max(0, Math.round(top));
}
