/**
 * A job's Details: where it ran, its stage times, the FFmpeg command and the log (the
 * engine's record of a command that ran, ffmpeg's own words for one that failed), each
 * copyable; Escape closes it and the focus goes back to the Details button. A job "Skip the
 * file" finished before its upload (its output already there) says so in its row, its Details
 * and, once cleared from the queue, its History entry.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCorrupt, makeCutShort, makeVideo } from '../support/media';
import { expect, openApp, test } from './fixtures';
import { snapViews } from './support/views';

test('details of a finished job: stages with times, the command and the record, copyable', async ({
  page,
  app,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 2 });
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'clip.mp4' });
  await expect(row.locator('.stage')).toHaveText('Done', { timeout: 60_000 });

  const opener = row.getByRole('button', { name: 'Details of clip.mp4' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Details of clip.mp4' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('this computer')).toBeVisible();
  const stages = dialog.locator('.stage-times tbody tr');
  await expect(stages.first()).toBeVisible();
  const names = await stages.locator('td:first-child').allTextContents();
  // Nothing left this computer: its stages never read as an upload or a download.
  expect(names).toEqual(expect.arrayContaining(['Preparing', 'Processing', 'Saving']));
  expect(names).not.toContain('Uploading');
  expect(names).not.toContain('Downloading');
  for (const time of await stages.locator('td.numeric').allTextContents())
    expect(time).toMatch(/^(\d+ ms|\d+:\d\d)$/);

  const preset = app.core.queue.snapshot().jobs[0]!.settings.preset;
  const command = dialog.locator('pre').first();
  await expect(command).toHaveText(preset.ffmpegCommand!);
  // Run on this computer: the log's heading speaks of its converter, not of a server.
  await expect(dialog.getByRole('heading', { name: "Converter's record" })).toBeVisible();
  const log = dialog.locator('pre').nth(1);
  await expect(log).toContainText('Status: SUCCESS');
  // Run on this computer: the words never name RenderIO.
  await expect(log).not.toContainText('RenderIO');

  await dialog.getByRole('button', { name: 'Copy command' }).click();
  await expect(dialog.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(
    await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    ),
  ).toBe(preset.ffmpegCommand);
  await snapViews(page, 'details-done');

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test('details of a failed job show ffmpeg’s own words', async ({ page, app }) => {
  const bad = await makeCorrupt(app.mediaDir, 'broken.mp4');
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  app.nextSources.push([bad]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'broken.mp4' });
  await expect(row.locator('.stage')).toHaveText('Failed', { timeout: 60_000 });
  await row.getByRole('button', { name: 'Details of broken.mp4' }).click();
  const dialog = page.getByRole('dialog', { name: 'Details of broken.mp4' });
  const job = app.core.queue.snapshot().jobs[0]!;
  // The whole reason up top (the row has room for one line of it).
  await expect(dialog.locator('dd.failure')).toHaveText(job.error!.message);
  if (job.error?.code === 'ffmpeg') {
    await expect(dialog.getByRole('heading', { name: 'FFmpeg log' })).toBeVisible();
    await expect(dialog.locator('pre').nth(1)).toHaveText(job.error.message);
  } else {
    // Refused before ffmpeg ran (the engine's probe): its reason is the log.
    await expect(dialog.locator('pre').nth(1)).toContainText(job.error!.message.slice(0, 40));
  }
  await snapViews(page, 'details-failed');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('a job whose output is already there under "Skip the file": done at once, the row and Details say so', async ({
  page,
  app,
}) => {
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 2 });
  writeFileSync(join(app.mediaDir, 'clip-webm.webm'), 'precious');
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  await page.getByLabel('If a file with that name exists').selectOption('skip');
  await expect.poll(() => app.core.settings.get().collision).toBe('skip');
  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'clip.mp4' });
  // Not "Done": nothing was converted.
  await expect(row.locator('.stage')).toHaveText('Skipped', { timeout: 60_000 });
  await expect(row).toContainText('clip-webm.webm already exists');
  // Nothing converted: no upload, no command, the file as it was.
  const job = app.core.queue.snapshot().jobs[0]!;
  expect(job.remote.fileId).toBeUndefined();
  expect(job.remote.commandId).toBeUndefined();
  expect(readFileSync(join(app.mediaDir, 'clip-webm.webm'), 'utf8')).toBe('precious');
  await snapViews(page, 'skipped-row');

  await row.getByRole('button', { name: 'Details of clip.mp4' }).click();
  const dialog = page.getByRole('dialog', { name: 'Details of clip.mp4' });
  await expect(dialog.locator('pre').nth(1)).toHaveText(
    `Nothing was converted: clip-webm.webm was already in ${app.mediaDir}, and "Skip the file" keeps what is there. Nothing was sent.`,
  );
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Later, in History (the row cleared): the entry says it was skipped, and why, as the row did.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(row).toHaveCount(0);
  await page.getByRole('button', { name: 'History' }).click();
  const drawer = page.getByRole('dialog', { name: 'History' });
  const entry = drawer.getByRole('listitem').filter({ hasText: 'clip.mp4' });
  await expect(entry.locator('.history-status')).toHaveText('Skipped');
  await expect(entry.locator('.history-reason')).toHaveText('clip-webm.webm already exists');
  // Nothing was made: no output to open, no "→ —" beside the source's size.
  await expect(entry.getByRole('button', { name: /^Open / })).toHaveCount(0);
  await expect(entry.locator('.history-sizes')).not.toContainText('→');
  await expect(entry.locator('.history-took')).toHaveCount(0);
  await snapViews(page, 'history-skipped');
});

test('a result much shorter than its source (a file cut short): done, and says so in its row, Details and History', async ({
  page,
  app,
}) => {
  const cut = await makeCutShort(app.mediaDir, 'holiday.mp4', { seconds: 12, share: 0.4 });
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  app.nextSources.push([cut]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'holiday.mp4' });
  await expect(row.locator('.stage')).toHaveText('Done', { timeout: 60_000 });
  const warning = app.core.queue.snapshot().jobs[0]!.warning!;
  expect(warning).toMatch(/^The result is 0:0\d long, its source 0:12\. /);
  // In the row, short, beside the output's name; the whole sentence is its title.
  const said = row.locator('.result-warning');
  await expect(said).toHaveText('⚠ Shorter than its source');
  await expect(said).toHaveAttribute('title', warning);
  await expect(row.locator('.output-name')).toContainText('holiday-webm.webm');
  await snapViews(page, 'result-shorter');

  await row.getByRole('button', { name: 'Details of holiday.mp4' }).click();
  const dialog = page.getByRole('dialog', { name: 'Details of holiday.mp4' });
  await expect(dialog.locator('dd.caution')).toHaveText(warning);
  await snapViews(page, 'details-shorter');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(row).toHaveCount(0);
  await page.getByRole('button', { name: 'History' }).click();
  const entry = page
    .getByRole('dialog', { name: 'History' })
    .getByRole('listitem')
    .filter({ hasText: 'holiday.mp4' });
  await expect(entry.locator('.history-reason.caution')).toHaveText(warning);
  await expect(entry.locator('.history-status')).toHaveText('⚠ Done');
  await snapViews(page, 'history-shorter');
});
