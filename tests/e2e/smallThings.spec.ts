/**
 * The small things of issue 12, item 11, each seen in the window: an invalid file name holds
 * files back with its reason; GIF and thumbnails have their own group; a preset says what it
 * makes in words; the chosen theme applies before the app has loaded (no dark flash); the
 * Account drawer fits a small window and shows no engine address; Details of a local job has
 * no "Queued on server"; the output folder reads in whole words, the full path in its tooltip.
 * Each state at 800x600 and 1920x1080, light and dark, with axe.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

async function snapBoth(page: Page, name: string): Promise<void> {
  for (const view of [
    { width: 800, height: 600 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(view);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await snap(page, `small-${name}-${view.width}x${view.height}-${scheme}`);
      await expectNoAxeViolations(page, `${name} ${view.width} ${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('an invalid file name refuses files added meanwhile, with the reason; fixed, they are added', async ({
  page,
  app,
}) => {
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
  await openApp(page, app);
  await page.getByRole('button', { name: 'Pause all' }).click();
  const name = page.getByLabel('File name');
  await name.fill('');
  await name.press('Enter');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(
    page.getByText('The name template is empty.', { exact: false }).first(),
  ).toBeVisible();
  const saved = app.core.settings.get().nameTemplate;

  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const notice = page.locator('.notice', { hasText: 'Not added' });
  await expect(notice).toContainText('The name template is empty.');
  await expect(page.locator('li.job')).toHaveCount(0);
  expect(app.core.queue.snapshot().jobs).toHaveLength(0);
  expect(app.core.settings.get().nameTemplate).toBe(saved);
  await snapBoth(page, 'invalid-name-refuses');

  // "Fix the name" takes the person to the field; a valid name typed (not yet saved) is the one
  // the added file gets.
  await notice.getByRole('button', { name: 'Fix the name' }).click();
  await expect(name).toBeFocused();
  await name.fill('{name}-small');
  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  await expect(page.locator('li.job')).toHaveCount(1);
  expect(app.core.queue.snapshot().jobs[0]!.settings.nameTemplate).toBe('{name}-small');
  expect(app.core.settings.get().nameTemplate).toBe('{name}-small');
});

test('presets: GIF and thumbnails under their own group; what a preset makes, in words', async ({
  page,
  app,
}) => {
  await openApp(page, app);
  const picker = page.getByLabel('Preset');
  const group = picker.locator('optgroup[label="Animation / thumbnail"] option');
  await expect(group).toHaveText(['Animated GIF', 'Thumbnail (JPG)', 'Thumbnail (PNG)']);
  const image = await picker.locator('optgroup[label="Image"] option').allTextContents();
  expect(image.join(' ')).not.toMatch(/GIF|Thumbnail/);
  await picker.selectOption('webm-vp9');
  await expect(page.locator('#preset-description')).toContainText('makes WebM video');
  await expect(page.locator('#preset-description')).not.toContainText('WEBM');
  await picker.selectOption('mp3');
  await expect(page.locator('#preset-description')).toContainText('makes MP3 audio');
  await snapBoth(page, 'preset-words');
});

test('the light theme applies before the app has loaded: no dark flash on a dark system', async ({
  page,
  app,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.core.settings.update({ theme: 'light' });
  await openApp(page, app);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  // The app's page is light though the system is dark (the theme is honoured at all).
  const bg = () =>
    page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { documentElement: unknown };
        getComputedStyle(el: unknown): { backgroundColor: string };
      };
      return g.getComputedStyle(g.document.documentElement).backgroundColor;
    });
  expect(await bg()).toBe('rgb(245, 246, 248)');

  // Start again with the app's code held back: what shows before it runs is already light.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/assets/*.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(app.harness.url, { waitUntil: 'commit' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('.app')).toHaveCount(0); // the app has not rendered yet
  await expect.poll(bg).toBe('rgb(245, 246, 248)');
  await snap(page, 'small-theme-before-app-dark-system');
  release();
  await expect(page.locator('.app')).toHaveAttribute('data-state', 'ready');
  await page.unroute('**/assets/*.js');
});

test('the Account drawer fits a small window and shows no engine internals', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await openApp(page, app);
  await page.getByRole('button', { name: /^Account/ }).click();
  const panel = page.getByRole('complementary', { name: 'Account and keys' });
  await expect(panel).toBeVisible();
  const box = (await panel.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(800 * 0.4);
  expect(box.x + box.width).toBeLessThanOrEqual(800);
  expect(box.y + box.height).toBeLessThanOrEqual(600);
  await expect(panel).not.toContainText('127.0.0.1');
  await expect(panel).not.toContainText('http://');
  await expect(panel).toContainText('On this computer');
  await snapBoth(page, 'account-drawer');
});

test("Details of a local job: no 'Queued on server'; the output folder in whole words", async ({
  page,
  app,
}) => {
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
  const outDir = join(app.mediaDir, 'A folder with a long name', 'Converted');
  await mkdir(outDir, { recursive: true });
  await openApp(page, app);
  app.nextOutputDir = outDir;
  await page.getByRole('radio', { name: 'In a folder' }).click();
  const folder = page.getByTestId('output-folder');
  await expect(folder).toHaveAttribute('title', outDir);
  await expect(folder).toHaveText(/Converted$/);
  await expect(folder).not.toHaveText(/Convert…$/);
  // Not cut off by the panel either: the whole short text is on screen.
  const clipped = await folder.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  expect(clipped).toBe(false);

  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'clip.mp4' });
  await expect(row.locator('.stage')).toHaveText('Done', { timeout: 60_000 });
  await row.getByRole('button', { name: 'Details of clip.mp4' }).click();
  const dialog = page.getByRole('dialog', { name: 'Details of clip.mp4' });
  await expect(dialog.locator('.stage-times')).toBeVisible();
  await expect(dialog).not.toContainText('Queued on server');
  await expect(dialog.locator('.stage-times tbody td:first-child')).toContainText(['Preparing']);
  await snapBoth(page, 'details-local');
});
