/**
 * Nothing is converted twice without asking: a file added again with the same preset and
 * output settings, its result still there, is not queued; the window says so and offers
 * "Convert again", which does.
 */
import { readdir } from 'node:fs/promises';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';

test('adding a converted file again asks first; Convert again converts it once more', async ({
  page,
  app,
}) => {
  const clip = await makeVideo(app.mediaDir, 'twice.mp4', { seconds: 1 });
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('mp3');
  const rows = page.locator('li.job');

  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  await expect(rows.locator('.stage')).toHaveText(['Done'], { timeout: 60_000 });

  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const notice = page.getByRole('status').filter({ hasText: 'already converted' });
  await expect(notice).toContainText(
    'This file was already converted with these settings; the result is still there.',
  );
  await expect(rows).toHaveCount(1);
  await snap(page, 'app-already-converted');

  await notice.getByRole('button', { name: 'Convert again' }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('.stage')).toHaveText(['Done', 'Done'], { timeout: 60_000 });
  const mp3s = (await readdir(app.mediaDir)).filter((n) => n.endsWith('.mp3')).sort();
  expect(mp3s).toEqual(['twice-mp3 (1).mp3', 'twice-mp3.mp3']);
});
