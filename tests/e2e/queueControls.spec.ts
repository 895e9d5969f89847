/** Queue controls from the UI, against the real queue: pause, reorder, cancel, resume, clear. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';

test('pause, reorder, cancel, resume and clear from the toolbar and the rows', async ({
  page,
  app,
}) => {
  const first = await makeVideo(app.mediaDir, 'first.mp4', { seconds: 2 });
  const second = await makeVideo(app.mediaDir, 'second.mp4', { seconds: 2 });
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');

  await page.getByRole('button', { name: 'Pause all' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(page.getByTestId('live-region')).toContainText('Queue paused.');

  app.nextSources.push([first, second]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const rows = page.locator('li.job');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('live-region')).toContainText('2 files added to the queue.');
  await expect(rows.locator('.stage')).toHaveText(['Waiting', 'Waiting']);

  // Reorder with buttons (no dragging needed); main's order is what the list shows.
  await page.getByRole('button', { name: 'Move second.mp4 up' }).click();
  await expect(rows.locator('.job-name')).toHaveText(['second.mp4', 'first.mp4']);
  expect(app.core.queue.snapshot().jobs.map((j) => j.sourceName)).toEqual([
    'second.mp4',
    'first.mp4',
  ]);
  await expect(page.getByRole('button', { name: 'Move second.mp4 up' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Move first.mp4 down' })).toBeDisabled();

  // Change… the ticked jobs that have not started: their preset only, not the picker's.
  await page.getByRole('checkbox', { name: 'Select second.mp4' }).check();
  await page.getByRole('checkbox', { name: 'Select first.mp4' }).check();
  await expect(page.getByText('2 of 2 selected')).toBeVisible();
  await snap(page, 'app-selection');
  await page.getByRole('button', { name: 'Change 2…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change 2 selected jobs' });
  await dialog.getByLabel('Preset').selectOption('remux-mkv');
  await dialog.getByRole('button', { name: 'Save for 2 jobs' }).click();
  await expect(dialog).toBeHidden();
  await expect
    .poll(() => app.core.queue.snapshot().jobs.map((j) => j.settings.presetId))
    .toEqual(['remux-mkv', 'remux-mkv']);
  const remuxName = app.core.queue.snapshot().jobs[0]!.settings.preset.name;
  await expect(rows.locator('.badge')).toHaveText([remuxName, remuxName]);
  await expect(page.getByLabel('Preset')).toHaveValue('webm-vp9');

  await page.getByRole('button', { name: 'Cancel first.mp4' }).click();
  const firstRow = rows.filter({ hasText: 'first.mp4' });
  await expect(firstRow.locator('.stage')).toHaveText('Cancelled');
  // The Retry button that replaces Cancel takes the focus (keyboard users keep their place).
  await expect(firstRow.getByRole('button', { name: 'Retry first.mp4' })).toBeFocused();
  await snap(page, 'app-paused');

  await page.getByRole('button', { name: 'Resume' }).click();
  const secondRow = rows.filter({ hasText: 'second.mp4' });
  await expect(secondRow.locator('.stage')).toHaveText('Done', { timeout: 60_000 });
  await expect(firstRow.locator('.stage')).toHaveText('Cancelled');
  expect(existsSync(join(app.mediaDir, 'second-mkv.mkv'))).toBe(true);

  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(rows).toHaveCount(0);
  expect(app.core.queue.snapshot().jobs).toEqual([]);
});

test('a drop of files that are not on disk says so instead of adding nothing silently', async ({
  page,
  app,
}) => {
  await openApp(page, app);
  // A browser File has no path (webUtils.getPathForFile returns '' for it in Electron too).
  await page.locator('.dropzone').evaluate((zone: unknown) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(f: unknown): void } };
      File: new (parts: string[], name: string) => unknown;
      DragEvent: new (type: string, init: object) => unknown;
    };
    const data = new g.DataTransfer();
    data.items.add(new g.File(['x'], 'virtual.mp4'));
    const el = zone as { dispatchEvent(e: unknown): void };
    for (const type of ['dragenter', 'dragover', 'drop'])
      el.dispatchEvent(
        new g.DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
      );
  });
  await expect(page.getByRole('alert')).toContainText(
    'only files and folders on this computer can be added',
  );
  expect(app.core.queue.snapshot().jobs).toEqual([]);
});
