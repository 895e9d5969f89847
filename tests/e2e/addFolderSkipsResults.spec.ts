/**
 * Defaults that do not surprise: a result is named after its source and its format
 * (clip.mp4 → clip-webm.webm, never "clip (1).mp4"), and "Add folder…" on a folder holding
 * earlier results queues the sources only. Results are known because the app recorded what
 * it wrote, not by their names: a file named like a result but made elsewhere is taken.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

test('Add folder… skips the results this app wrote, even after Clear finished', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
  // Named like one of our results, but written by someone else: a source like any other.
  const lookalike = await makeVideo(app.mediaDir, 'other-webm.webm', {
    seconds: 1,
    container: 'webm',
  });
  await openApp(page, app);
  await page.getByLabel('Preset', { exact: true }).selectOption('mp4-h264');
  await expect(page.locator('#preset-description')).toContainText('makes MP4 video');
  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const rows = page.locator('li.job');
  await expect(rows.locator('.stage')).toHaveText(['Done'], { timeout: 60_000 });
  // MP4 to MP4 next to the source: the name says the format, not "clip (1).mp4".
  const result = join(app.mediaDir, 'clip-mp4.mp4');
  expect(existsSync(result)).toBe(true);
  expect(existsSync(join(app.mediaDir, 'clip (1).mp4'))).toBe(false);
  await expect(rows.first()).toContainText('clip-mp4.mp4');

  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(rows).toHaveCount(0);

  await page.getByLabel('Preset', { exact: true }).selectOption('webm-vp9');
  await expect(page.locator('#preset-description')).toContainText('makes WebM video');
  await page.getByRole('button', { name: 'Pause all' }).click();
  app.nextSources.push([app.mediaDir]);
  await page.getByRole('button', { name: 'Add folder…' }).click();
  await expect(rows).toHaveCount(2);
  expect(
    app.core.queue
      .snapshot()
      .jobs.map((j) => j.sourceName)
      .sort(),
  ).toEqual(['clip.mp4', 'other-webm.webm']);
  const notice = page.getByRole('status').filter({ hasText: 'not added' });
  await expect(notice).toContainText('clip-mp4.mp4: a result this app made earlier, not a source');
  await expect(notice).toBeInViewport();
  await expectNoAxeViolations(page, 'folder added');
  await snap(page, 'add-folder-skips-results');
  expect(lookalike).toContain('other-webm.webm');
});
