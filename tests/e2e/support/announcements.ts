/**
 * What the window's live region says, kept in order. The region holds one message at a time
 * (LiveRegion.tsx): a message that a later one replaces within a few milliseconds, such as a
 * job's failure followed by "Queue finished", has been said all the same, and a test that
 * reads the region only once may read the later one.
 */
import type { Page } from '@playwright/test';

/** Starts listening (call after the window has loaded); returns a reader of all heard so far. */
/** The page's side, typed here: the e2e tests build without the DOM library. */
interface PageSide {
  __heard: string[];
  document: { querySelector(selector: string): { textContent: string | null } | null };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: Record<string, boolean>): void;
  };
}

/** Starts listening (call after the window has loaded); returns a reader of all heard so far. */
export async function listenToAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageSide;
    const region = g.document.querySelector('[data-testid="live-region"]');
    if (!region) throw new Error('no live region in the window');
    const heard: string[] = [];
    g.__heard = heard;
    const note = (): void => {
      const text = (region.textContent ?? '').replace(/\u200b/g, '').trim();
      if (text && heard.at(-1) !== text) heard.push(text);
    };
    note();
    new g.MutationObserver(note).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  return () => page.evaluate(() => [...(globalThis as unknown as PageSide).__heard]);
}
