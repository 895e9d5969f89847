/**
 * Screenshots of one state at the smallest window the app allows and at a large one, in the
 * light and the dark theme: `name-720x520-light.png` ... in artifacts/. The page is left at
 * the size and theme it had. axe checks each of them (0 violations).
 */
import { expect, type Page } from '@playwright/test';
import { snap } from '../fixtures';
import { expectNoAxeViolations } from './axe';

export const VIEWS = [
  { width: 720, height: 520 },
  { width: 1920, height: 1080 },
] as const;
export const THEMES = ['light', 'dark'] as const;

export async function snapViews(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const view of VIEWS) {
    await page.setViewportSize(view);
    // A resize may bring rows into view whose jobs the page has still to ask main for: shoot
    // them drawn, not as "Loading…" (and fail if they never come).
    await expect(page.locator('.placeholder-text')).toHaveCount(0, { timeout: 10_000 });
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await snap(page, `${name}-${view.width}x${view.height}-${theme}`);
      await expectNoAxeViolations(page);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (before) await page.setViewportSize(before);
}
