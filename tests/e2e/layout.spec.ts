/**
 * The window at the sizes people use, from the minimum (720x520) up: the queue and its
 * toolbar are on screen before and after adding files, and in a long queue the toolbar, the
 * state and the overall bar stay in view while the list scrolls. Light and dark, axe clean.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

const SIZES = [
  { width: 720, height: 520 },
  { width: 800, height: 600 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

/** Whether the element's box lies wholly inside the window (not below the fold). */
async function expectInWindow(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const view = page.viewportSize();
  expect(box, 'the element has a box').not.toBeNull();
  expect(view).not.toBeNull();
  if (!box || !view) return;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(view.height + 0.5);
  expect(box.x + box.width).toBeLessThanOrEqual(view.width + 0.5);
}

for (const size of SIZES) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`${size.width}x${size.height} ${scheme}: the queue and its toolbar stay in view`, async ({
      page,
      app,
    }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      const first = await makeVideo(app.mediaDir, 'clip-00.mp4', { seconds: 1 });
      const files = [first];
      for (let i = 1; i < 14; i++) {
        const path = join(app.mediaDir, `clip-${String(i).padStart(2, '0')}.mp4`);
        await copyFile(first, path);
        files.push(path);
      }
      await openApp(page, app);
      const name = `layout-${size.width}x${size.height}-${scheme}`;
      const toolbar = page.getByRole('group', { name: 'Queue controls' });
      await expectInWindow(page, page.getByRole('heading', { name: /^Queue/ }));
      await expectInWindow(page, toolbar);
      await expectInWindow(page, page.getByRole('button', { name: 'Add files…' }));
      await expectNoAxeViolations(page, `${name} empty`);
      await snap(page, `${name}-empty`);

      // Paused, so the rows stay put while the window is measured.
      await page.getByRole('button', { name: 'Pause all' }).click();
      app.nextSources.push(files);
      await page.getByRole('button', { name: 'Add files…' }).click();
      // The list is virtual: the rows on screen are in the page, the count in the heading.
      const rows = page.locator('li.job:not(.placeholder)');
      await expect(page.getByRole('heading', { name: `Queue ${files.length}` })).toBeVisible();
      await expect(rows.first()).toHaveAttribute('aria-setsize', String(files.length));
      // What was added is visible where the person looks: the first row, the count, the state.
      await expectInWindow(page, rows.first());
      await expectInWindow(page, page.getByTestId('queue-state'));
      await expect(page.getByTestId('queue-state')).toContainText('Paused');
      await expectInWindow(page, toolbar.getByRole('button', { name: 'Resume' }));
      await expectInWindow(page, page.getByRole('progressbar', { name: 'Overall progress' }));
      await expectNoAxeViolations(page, `${name} queued`);
      await snap(page, `${name}-queued`);

      // A long queue scrolls its list only: the toolbar and the left column stay in view.
      const scroller = page.locator('.virtual-scroller');
      await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
      const lastRow = page.locator(`li.job[aria-posinset="${files.length}"]`);
      await expect(lastRow).toBeVisible();
      await expectInWindow(page, lastRow);
      await expectInWindow(page, toolbar);
      await expectInWindow(page, page.getByRole('button', { name: 'Add files…' }));
      const pageScroll = await page.evaluate(
        () => (globalThis as unknown as { scrollY: number }).scrollY,
      );
      expect(pageScroll).toBe(0);
      await snap(page, `${name}-scrolled`);
    });
  }
}
