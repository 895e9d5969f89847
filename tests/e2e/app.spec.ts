/**
 * The unchanged renderer against the real core and the real local engine (ffmpeg), through
 * the same IPC router main uses. Media is generated per test (2-second clips).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { codecOf, makeCorrupt, makeVideo, probe } from '../support/media';
import { expect, openApp, snap, test, type PageGlobals } from './fixtures';
import { listenToAnnouncements } from './support/announcements';
import { snapViews } from './support/views';

test('shows presets by category, output settings and an empty queue', async ({ page, app }) => {
  await openApp(page, app);
  const picker = page.getByLabel('Preset');
  await expect(picker).toBeEnabled();
  const groups = await picker
    .locator('optgroup')
    .evaluateAll((els) => els.map((e) => e.getAttribute('label')));
  expect(groups).toEqual(['Video', 'Animation / thumbnail', 'Audio', 'Image']);
  await expect(page.getByRole('button', { name: 'Add files…' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Add folder…' })).toBeEnabled();
  await expect(page.getByText('Nothing in the queue yet.')).toBeVisible();
  // The naming preview follows the template as it is typed.
  const name = page.getByLabel('File name');
  await name.fill('{name}-{preset}');
  await expect(page.locator('output.preview')).toHaveText(/^holiday-[a-z0-9-]+\.[a-z0-9]+$/);
  await name.fill('{oops}');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/Unknown token \{oops\}/)).toBeVisible();
  await snap(page, 'app-empty');
});

test('converts a real MP4 to WebM and reveals the result', async ({ page, app }) => {
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 2 });
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  await expect(page.locator('#preset-description')).not.toHaveText('');

  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'clip.mp4' });
  await expect(row).toBeVisible();
  await expect(page.getByTestId('live-region')).toContainText(/clip\.mp4/);
  // A progress bar while it runs, named after the file.
  await expect(
    page.getByRole('progressbar', { name: 'Progress of clip.mp4' }).or(row.getByText('Done')),
  ).toBeVisible();
  await snap(page, 'app-running');
  // Catch the server-side stage for a screenshot when it lasts long enough to be seen.
  const processing = await row
    .locator('.stage', { hasText: /^(Queued on server|Processing)/ })
    .waitFor({ timeout: 15_000 })
    .then(
      () => true,
      () => false,
    );
  if (processing) await snap(page, 'app-processing');

  await expect(row.locator('.stage')).toHaveText('Done', { timeout: 60_000 });
  await expect(page.getByTestId('live-region')).toContainText(
    /Queue finished: 1 done|clip\.mp4: done/,
  );
  const output = join(app.mediaDir, 'clip-webm.webm');
  expect(existsSync(output)).toBe(true);
  expect(codecOf(await probe(output), 'video')).toBe('vp9');
  expect(readdirSync(app.mediaDir).filter((f) => f.endsWith('.part'))).toEqual([]);

  await row.getByRole('button', { name: 'Show in folder: clip-webm.webm' }).click();
  await expect.poll(() => app.revealed).toEqual([output]);
  await expect(page.getByRole('progressbar', { name: 'Overall progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await snap(page, 'app-done');
});

test('a corrupt file fails with a reason and can be retried', async ({ page, app }) => {
  const bad = await makeCorrupt(app.mediaDir, 'broken.mp4');
  await openApp(page, app);
  const heard = await listenToAnnouncements(page);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  app.nextSources.push([bad]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'broken.mp4' });
  await expect(row.locator('.stage')).toHaveText('Failed', { timeout: 60_000 });
  await expect(row.locator('.detail')).not.toBeEmpty();
  await expect(row.getByRole('button', { name: 'Retry broken.mp4' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Retry failed/ })).toBeEnabled();
  // Said, though "Queue finished: 0 done, 1 failed." may already have taken its place.
  await expect.poll(async () => (await heard()).join('\n')).toContain('broken.mp4 failed');
  // Nothing is left to finish: no "0 of 0 done", no busy bar, no green "All finished".
  await expect(page.getByTestId('queue-counts')).toHaveText('1 failed');
  const overall = page.getByRole('progressbar', { name: 'Overall progress' });
  await expect(overall).toHaveAttribute('aria-valuenow', '0');
  await expect(overall).toHaveAttribute('aria-valuetext', '1 failed');
  await expect(page.getByTestId('queue-state')).toHaveText(
    /^Finished1 job failed: Retry or Remove it\.$/,
  );
  // At the smallest window the reason stays on one line (whole in its title) and the row's
  // buttons stay inside the row, where they can be seen and clicked.
  await page.setViewportSize({ width: 720, height: 520 });
  const reason = row.locator('.detail');
  await expect(reason).toHaveAttribute('title', /could not be read/);
  const rowBox = (await row.boundingBox())!;
  for (const name of ['Retry broken.mp4', 'Details of broken.mp4', 'Remove broken.mp4']) {
    const box = (await row.getByRole('button', { name }).boundingBox())!;
    expect(box.y, name).toBeGreaterThanOrEqual(rowBox.y);
    expect(box.y + box.height, name).toBeLessThanOrEqual(rowBox.y + rowBox.height);
  }
  const reasonBox = (await reason.boundingBox())!;
  expect(reasonBox.y + reasonBox.height).toBeLessThanOrEqual(rowBox.y + rowBox.height);
  await snapViews(page, 'app-failed');

  // Remove keeps the keyboard user's place.
  await row.getByRole('button', { name: 'Remove broken.mp4' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByText('Nothing in the queue yet.')).toBeVisible();
  // With no row left, focus lands on Add files… (the next thing to do) rather than on <body>.
  await expect(page.getByRole('button', { name: 'Add files…' })).toBeFocused();
});

test('the add button works with the keyboard alone', async ({ page, app }) => {
  const clip = await makeVideo(app.mediaDir, 'keys.mp4', { seconds: 2 });
  await openApp(page, app);
  const add = page.getByRole('button', { name: 'Add files…' });
  // Tab from the top of the page until the add button has focus.
  await page.locator('body').focus();
  for (
    let i = 0;
    i < 10 &&
    !(await add.evaluate((el: unknown) =>
      (el as { matches(s: string): boolean }).matches(':focus'),
    ));
    i++
  )
    await page.keyboard.press('Tab');
  await expect(add).toBeFocused();
  await expect(add).toHaveAccessibleDescription(/drop files and folders anywhere in this window/);

  app.nextSources.push([clip]);
  await page.keyboard.press('Enter');
  await expect(page.locator('li.job', { hasText: 'keys.mp4' })).toBeVisible();
  app.nextSources.push([]);
  await page.keyboard.press('Space');
  await expect.poll(() => app.sourcePicks).toEqual(['files', 'files']);

  // Queue rows are operable by keyboard too: specific names, reachable buttons.
  await expect(page.getByRole('button', { name: 'Details of keys.mp4' })).toBeEnabled();
  await expect(
    page.getByRole('button', { name: /^(Cancel|Remove) keys\.mp4$/ }).first(),
  ).toBeVisible();
});

test('the IPC route validates like main: bad arguments and foreign pages are refused', async ({
  page,
  app,
}) => {
  await openApp(page, app);
  // What crosses the bridge is data: the code survives, as it does through contextBridge.
  const refused = await page.evaluate(async () =>
    (globalThis as unknown as PageGlobals).renderio?.queue.add({ paths: [], presetId: '' }),
  );
  expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });

  const foreign = await fetch(`${app.harness.url}__harness/ipc/queue%3Apause-all`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Referer: 'https://evil.example/' },
    body: JSON.stringify({ args: [] }),
  });
  expect(await foreign.json()).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  expect(app.core.queue.snapshot().paused).toBe(false);
});
