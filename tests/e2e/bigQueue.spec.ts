/**
 * 10,000 queued jobs: the window asks for one page and the count first, draws only the rows
 * in view (plus an overscan), and the keyboard walks the whole list with the focus kept on
 * the row it moved to, scrolling as it goes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, openApp, test } from './fixtures';
import { snapViews } from './support/views';

const JOBS = 10_000;

test('10,000 queued jobs: rows in view only, the count, the keyboard walks to the end', async ({
  page,
  app,
}) => {
  test.setTimeout(180_000);
  app.core.queue.pauseAll();
  const paths: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    const path = join(app.mediaDir, `clip-${String(i).padStart(5, '0')}.mp4`);
    writeFileSync(path, 'x');
    paths.push(path);
  }
  const added = await app.core.queue.add({ paths, presetId: 'webm-vp9' });
  expect(added.added).toHaveLength(JOBS);

  await openApp(page, app);
  await expect(page.getByRole('heading', { name: 'Queue 10,000', level: 2 })).toBeVisible();
  const rows = page.locator('li.job');
  await expect(rows.first()).toContainText('clip-00000.mp4');
  // Only the rows in view and the overscan are in the page, never 10,000.
  expect(await rows.count()).toBeLessThan(60);
  await expect(rows.first()).toHaveAttribute('aria-setsize', String(JOBS));
  await snapViews(page, 'big-queue-top');

  // Into the list with the keyboard, then to its end.
  await rows.first().locator('.row-focus').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('li.job[data-index="1"] .row-focus')).toBeFocused();
  await page.keyboard.press('End');
  const last = page.locator(`li.job[data-index="${JOBS - 1}"]`);
  await expect(last).toContainText('clip-09999.mp4');
  await expect(last.locator('.row-focus')).toBeFocused();
  await expect(last).toHaveAttribute('aria-posinset', String(JOBS));
  expect(await rows.count()).toBeLessThan(60);
  // The window made small and large again (another row height each way): the focused last row
  // stays in view, not the row that the same scroll offset would reach.
  for (const size of [
    { width: 720, height: 520 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(size);
    await expect(last).toBeInViewport();
    await expect(last.locator('.row-focus')).toBeFocused();
  }
  await snapViews(page, 'big-queue-end');

  // A row's action from the end of the list reaches main: remove the last job.
  await last.getByRole('button', { name: 'Remove clip-09999.mp4' }).click();
  await expect(
    page.getByRole('heading', { name: `Queue ${(JOBS - 1).toLocaleString('en-US')}`, level: 2 }),
  ).toBeVisible();
  expect(app.core.queue.ids()).toHaveLength(JOBS - 1);
  // The focus stays in the list, on the neighbouring row.
  await expect(page.locator(`li.job[data-index="${JOBS - 2}"] .row-focus`)).toBeFocused();
});
