/**
 * The window at the sizes people use, from the minimum (720x520) up: the queue and its
 * toolbar are on screen before and after adding files, and in a long queue the toolbar, the
 * state and the overall bar stay in view while the list scrolls. Light and dark, axe clean.
 */
import { copyFile, writeFile } from 'node:fs/promises';
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

/** How many rows lie wholly inside the list's scroll view (not cut at its top or bottom). */
async function rowsFullyInList(page: Page): Promise<number> {
  return page.locator('.virtual-scroller').evaluate((scroller) => {
    const view = scroller.getBoundingClientRect();
    const top = view.top + scroller.clientTop;
    const bottom = top + scroller.clientHeight;
    return [...scroller.querySelectorAll('li.job:not(.placeholder)')].filter((row) => {
      const box = row.getBoundingClientRect();
      return box.top >= top - 0.5 && box.bottom <= bottom + 0.5;
    }).length;
  });
}

/** Rows whose content is cut off by the row's fixed height (rows hide what overflows). */
async function clippedRows(page: Page): Promise<string[]> {
  return page.locator('li.job:not(.placeholder)').evaluateAll((rows) =>
    rows
      .filter((row) => {
        const box = row.getBoundingClientRect();
        return [...row.querySelectorAll('*')].some((el) => {
          const r = el.getBoundingClientRect();
          return r.height > 0 && (r.bottom > box.bottom + 0.5 || r.right > box.right + 0.5);
        });
      })
      .map((row) => row.getAttribute('data-job-id') ?? '?'),
  );
}

test('720x520: a compact row and selection bar show several jobs, none cut off', async ({
  page,
  app,
}) => {
  app.core.queue.pauseAll();
  const paths: string[] = [];
  for (let i = 0; i < 10; i++) {
    const path = join(app.mediaDir, `clip-${String(i).padStart(3, '0')}.mp4`);
    await writeFile(path, 'x');
    paths.push(path);
  }
  expect((await app.core.queue.add({ paths, presetId: 'webm-vp9' })).added).toHaveLength(10);
  await page.setViewportSize({ width: 720, height: 520 });
  await openApp(page, app);
  const rows = page.locator('li.job:not(.placeholder)');
  await expect(rows.first()).toContainText('clip-000.mp4');
  // Before: rows 112 px tall (the buttons on a line of their own) and a selection bar of two
  // lines left one row whole in view (and half of the next); now rows are 60 px, and the bar
  // one line while nothing is selected.
  expect(await rowsFullyInList(page)).toBeGreaterThanOrEqual(4);
  expect(await clippedRows(page)).toEqual([]);
  // Every row's buttons are there, by name, and can be seen.
  const first = rows.first();
  for (const name of ['Cancel', 'Details of', 'Remove', 'Move'])
    await expect(
      first.getByRole('button', { name: new RegExp(`^${name} clip-000.mp4`) }).first(),
    ).toBeVisible();
  await expect(first.getByRole('button', { name: 'Change clip-000.mp4' })).toBeVisible();
  // Shown as icons: each button's icon is drawn and its word is not (the names above hold
  // either way, so this is what pins the compact look).
  const cancel = first.getByRole('button', { name: 'Cancel clip-000.mp4' });
  const icon = await cancel.locator('.action-icon').boundingBox();
  expect(icon && icon.width > 0 && icon.height > 0).toBe(true);
  await expect(cancel.locator('.action-label')).toBeHidden();

  // With every job selected the bar's buttons stay on one line under the count.
  // With nothing selected the bar is one line: the box and the (dimmed) buttons.
  const bar = page.getByRole('group', { name: 'Selected jobs' });
  const lineOf = (locator: Locator) =>
    locator.evaluate((el) => Math.round(el.getBoundingClientRect().bottom));
  expect(await lineOf(bar.locator('[data-selection-action="change"]'))).toBe(
    await lineOf(bar.locator('[data-selection-action="cancel"]')),
  );
  expect(
    Math.abs(
      (await lineOf(bar.getByText('Select all'))) -
        (await lineOf(bar.locator('[data-selection-action="cancel"]'))),
    ),
  ).toBeLessThan(8);
  await expectNoAxeViolations(page, 'compact rows 720x520');
  await snap(page, 'compact-rows-720x520-light');
  await bar.getByRole('checkbox', { name: 'Select all' }).click();
  await expect(bar.getByRole('checkbox', { name: 'Select all' })).toBeChecked();
  await expect(bar).toContainText('10 of 10 selected');
  const tops = await bar
    .locator('[data-selection-action]')
    .evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);
  expect(await rowsFullyInList(page)).toBeGreaterThanOrEqual(3);
  await expectNoAxeViolations(page, 'compact rows 720x520 selected');
  await page.emulateMedia({ colorScheme: 'dark' });
  await snap(page, 'compact-rows-selected-720x520-dark');
  await expectNoAxeViolations(page, 'compact rows 720x520 selected, dark');
});
