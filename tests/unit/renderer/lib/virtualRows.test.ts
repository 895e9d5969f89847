import { describe, expect, it } from 'vitest';
import { keptTop, rangeFor } from '../../../../renderer/src/lib/virtualRows';

describe('the virtual list’s rows', () => {
  it('draws the rows in view and the overscan, within the list', () => {
    expect(rangeFor(0, 600, 76, 10_000, 8)).toEqual({ start: 0, end: 16 });
    expect(rangeFor(76 * 100, 600, 76, 10_000, 8)).toEqual({ start: 92, end: 116 });
    expect(rangeFor(76 * 9_995, 600, 76, 10_000, 8)).toEqual({ start: 9_987, end: 10_000 });
  });

  it('keeps the row at the top when the rows change height (a window made narrow or wide)', () => {
    // Row 9,990 at the top of 60px rows, half of it scrolled past; the rows become 112px.
    const el = { scrollTop: 9_990.5 * 60, oldHeight: 400, newHeight: 400 };
    expect(keptTop(el, 60, 112, null)).toBe(Math.round(9_990.5 * 112));
    // Scrolled to the very top: stays there, unless a focused row in view would leave it.
    expect(keptTop({ scrollTop: 0, oldHeight: 400, newHeight: 400 }, 60, 112, null)).toBe(0);
    expect(keptTop({ scrollTop: 0, oldHeight: 400, newHeight: 400 }, 60, 112, 3)).toBe(
      4 * 112 - 400,
    );
  });

  it('keeps a focused row in view when it was', () => {
    // View of 60px rows shows rows 9,990–9,999 (600px); the focus is on the last one; the
    // window gets smaller: the view is 216px.
    const el = { scrollTop: 9_990 * 60, oldHeight: 600, newHeight: 216 };
    const top = keptTop(el, 60, 112, 9_999);
    // With 112px rows the last row's bottom is the view's bottom.
    expect(top).toBe(10_000 * 112 - 216);
    // A focused row far above the view is not pulled in: the top row stays.
    expect(keptTop(el, 60, 112, 10)).toBe(9_990 * 112);
    // Wider rows → narrower: the focused row at the top stays at the top.
    expect(keptTop({ scrollTop: 500 * 112, oldHeight: 600, newHeight: 600 }, 112, 60, 500)).toBe(
      500 * 60,
    );
  });

  it('keeps a focused last row in view when the view grew at the end before the rows changed', () => {
    // 60px rows scrolled to the end in a 248px view, the focus on the last row; the window
    // grows: the view is 831px and the browser has already pulled scrollTop up to the new end
    // (600,000 - 831) when the rows become 76px. The last row stays in view (before, it was
    // taken as out of view, and the list showed rows ~9,986–9,997).
    const el = { scrollTop: 10_000 * 60 - 831, oldHeight: 248, newHeight: 831 };
    expect(keptTop(el, 60, 76, 9_999)).toBe(10_000 * 76 - 831);
  });
});
