/**
 * Everything the renderer can see or reach, as one string: the DOM, the visible text, every
 * read-only answer of window.renderio (through the real preload and contextBridge), web storage
 * and cookies. A key found here has reached the page.
 */
import type { Page } from '@playwright/test';

/**
 * What page.evaluate callbacks reach, typed without the DOM lib (this folder is Node code).
 * `renderio` is typed loosely on purpose: whether its methods reject with coded errors or
 * resolve to main's envelopes is the preload's business; these helpers work with either.
 */
export interface PageGlobals {
  renderio?: Record<string, Record<string, ((arg?: unknown) => Promise<unknown>) | undefined>>;
  document: { cookie: string };
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
}

export async function everythingThePageSees(page: Page): Promise<string> {
  const html = await page.content();
  const text = await page.locator('body').innerText();
  const reachable = await page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    const api = g.renderio;
    if (!api) return 'no window.renderio';
    const answers = await Promise.all([
      api.vault?.status?.(),
      api.queue?.snapshot?.(),
      api.settings?.get?.(),
      api.presets?.list?.(),
    ]);
    return [
      JSON.stringify(answers),
      JSON.stringify({ ...g.localStorage }),
      JSON.stringify({ ...g.sessionStorage }),
      g.document.cookie,
    ].join('\n');
  });
  return [html, text, reachable].join('\n');
}

/** A key, its 64 hex digits alone, and their first half: none may appear. */
export function keyFragments(key: string): string[] {
  const hex = key.replace(/^ffsk_/, '');
  return [key, hex, hex.slice(0, 32)];
}
