/**
 * The first thing a person does, in real Electron: pick a preset, choose a file in the native
 * "Add files…" dialog (main's dialog, answered by the test), watch the row, and find the result
 * next to the source, converted by the local engine main started on 127.0.0.1.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { codecOf, makeVideo, probe } from '../support/media';
import { expect, snap, test } from './fixtures';
import { chooseInOpenDialog, recordReveals, revealedPaths } from './support/mainStubs';

test('a file chosen in the native dialog is converted on this computer', async ({
  launchApp,
  media,
}) => {
  const clip = await makeVideo(media, 'clip.mp4', { seconds: 2 });
  const { app, page } = await launchApp();
  await expect(page.getByRole('button', { name: /^Account/ })).toHaveAccessibleName(
    'Account · converting on this computer',
  );
  await expect(page.getByText('Nothing in the queue yet.')).toBeVisible();
  await snap(page, 'local-empty');

  await chooseInOpenDialog(app, [clip]);
  await recordReveals(app);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'clip.mp4' });
  await expect(row).toBeVisible();
  await snap(page, 'local-added');

  await expect(row.locator('.stage')).toHaveText('Done', { timeout: 120_000 });
  await expect(page.getByRole('progressbar', { name: 'Overall progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  const output = join(media, 'clip.webm');
  expect(codecOf(await probe(output), 'video')).toBe('vp9');
  expect(readdirSync(media).filter((name) => name.endsWith('.part'))).toEqual([]);
  await snap(page, 'local-done');

  // "Show in folder" reaches main's shell with main's own path for the output.
  await row.getByRole('button', { name: 'Show in folder: clip.webm' }).click();
  await expect.poll(() => revealedPaths(app)).toEqual([output]);
});
