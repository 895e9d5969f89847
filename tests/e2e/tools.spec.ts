/**
 * The tools drawer (issue 13) driven through the window against the real core: the preset
 * editor and its live check, preset files, key profiles, the weak key store choice, settings,
 * and watch folders. Each test checks the core too (files on disk, vault, queue).
 */
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeVideo } from '../support/media';
import { expect, openApp, test } from './fixtures';
import { snapViews } from './support/views';

const KEY = `ffsk_${'0badc0de'.repeat(8)}`;

async function openTool(page: Page, tab: string) {
  await page.getByRole('button', { name: 'Tools' }).click();
  const drawer = page.getByRole('dialog', { name: 'Tools' });
  await drawer.getByRole('tab', { name: tab }).click();
  return drawer;
}

test('the preset editor builds, checks live and saves a preset; built-ins are duplicated, not edited', async ({
  page,
  app,
}) => {
  await openApp(page, app);
  const drawer = await openTool(page, 'Presets');
  const builtIn = drawer.getByRole('listitem').filter({ hasText: 'built-in, read-only' }).first();
  await expect(builtIn.getByRole('button', { name: /^Edit / })).toHaveCount(0);

  await drawer.getByRole('button', { name: 'New preset' }).click();
  const form = drawer.getByRole('form', { name: 'New preset' });
  await form.getByLabel('Name').fill('Small MP4');
  await form.getByLabel(/^Height/).fill('120');
  await form.getByLabel(/^Trim start/).fill('1');
  await expect(drawer.getByTestId('command-preview')).toHaveText(
    'ffmpeg -i {{in_file}} -ss 1 -c:v libx264 -crf 23 -vf scale=-2:120 -c:a aac -b:a 128k {{out_file}}',
  );
  // The advanced field, checked by the engine's own rules as it is typed.
  await form.getByLabel('Edit the command myself (advanced)').check();
  await form
    .getByLabel('Command template')
    .fill('-i {{in_file}} -vf movie=/etc/passwd {{out_file}}');
  await expect(form.locator('#preset-problems')).toContainText('movie');
  await expect(form.getByRole('button', { name: 'Save preset' })).toBeDisabled();
  await snapViews(page, 'tools-preset-editor-refused');
  await form.getByLabel('Command template').fill('-i {{in_file}} -vf scale=-2:120 {{out_file}}');
  await expect(form.locator('#preset-problems')).toContainText('The engine accepts this preset.');
  await snapViews(page, 'tools-preset-editor-accepted');
  await form.getByRole('button', { name: 'Save preset' }).click();
  await expect(drawer.getByRole('status').filter({ hasText: 'Saved' })).toContainText(
    'Saved "Small MP4".',
  );
  const onDisk = JSON.parse(await readFile(join(app.dataDir, 'presets.json'), 'utf8')) as {
    presets: { name: string; ffmpegCommand: string }[];
  };
  expect(onDisk.presets).toMatchObject([
    { name: 'Small MP4', ffmpegCommand: '-i {{in_file}} -vf scale=-2:120 {{out_file}}' },
  ]);

  // Duplicate a built-in: an editable copy; then delete it.
  await builtIn.getByRole('button', { name: /^Duplicate / }).click();
  await expect(drawer.getByRole('form', { name: 'Edit preset' })).toBeVisible();
  await drawer.getByRole('button', { name: 'Cancel' }).click();
  const copy = drawer.getByRole('listitem').filter({ hasText: '(copy)' });
  await expect(copy).toHaveCount(1);
  await copy.getByRole('button', { name: /^Delete / }).click();
  await expect(copy).toHaveCount(0);
  expect(
    app.core.presets
      .list()
      .filter((p) => p.source === 'custom')
      .map((p) => p.name),
  ).toEqual(['Small MP4']);
  await snapViews(page, 'tools-presets');
});

test('a preset file: each refused preset is said with why, the others are imported whole; not JSON imports nothing', async ({
  page,
  app,
}) => {
  const good = {
    id: 'tiny',
    name: 'Tiny',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand: '-i {{in_file}} -vf scale=-2:90 {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'mp4' }],
  };
  const file = join(app.mediaDir, 'presets.json');
  await writeFile(
    file,
    JSON.stringify({
      format: 'renderio-desktop-presets',
      version: 1,
      presets: [good, { ...good, name: 'Twin' }, { ...good, id: 'bell', name: 'Bell\u0007' }],
    }),
  );
  await openApp(page, app);
  const drawer = await openTool(page, 'Presets');
  app.nextPresetFile = file;
  await drawer.getByRole('button', { name: 'Import presets…' }).click();
  const said = drawer.getByRole('status').first();
  await expect(said).toContainText('1 preset(s) imported. 2 refused');
  await expect(said).toContainText('appears twice');
  await expect(said).toContainText('control characters');
  expect(
    app.core.presets
      .list()
      .filter((p) => p.source === 'custom')
      .map((p) => p.name),
  ).toEqual(['Tiny']);
  await snapViews(page, 'tools-preset-import-report');

  await writeFile(file, 'not json at all');
  await drawer.getByRole('button', { name: 'Import presets…' }).click();
  await expect(drawer.getByRole('alert')).toContainText('not valid JSON');
  await snapViews(page, 'tools-preset-import-not-json');
  expect(app.core.presets.list().filter((p) => p.source === 'custom')).toHaveLength(1);

  const out = join(app.mediaDir, 'export.json');
  app.nextPresetSave = out;
  await drawer.getByRole('button', { name: 'Export my presets…' }).click();
  await expect(drawer.getByRole('status').first()).toContainText(`Exported to ${out}.`);
  expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({
    format: 'renderio-desktop-presets',
    version: 1,
    presets: [{ name: 'Tiny' }],
  });
});

test('key profiles: two of one name are refused, a key of another profile is refused, removal says it does not revoke', async ({
  page,
  app,
}) => {
  await openApp(page, app);
  const drawer = await openTool(page, 'Profiles');
  const add = drawer.getByRole('form', { name: 'Add a profile' });
  await add.getByLabel('Profile name').fill('Development');
  await add.getByRole('button', { name: 'Add profile' }).click();
  await expect(drawer.getByRole('status').first()).toContainText('Added "Development"');
  await add.getByLabel('Profile name').fill('development');
  await add.getByRole('button', { name: 'Add profile' }).click();
  await expect(drawer.getByRole('alert')).toContainText('"Development" already exists');
  await snapViews(page, 'tools-profile-name-taken');
  await add.getByLabel('Profile name').fill('Production');
  await add.getByRole('button', { name: 'Add profile' }).click();
  await expect(drawer.getByText('Production', { exact: true })).toBeVisible();

  // The key goes to Development (unverified: RenderIO cannot be reached here), then the same
  // key pasted into Production is refused before it is sent anywhere.
  app.clipboard.text = KEY;
  await drawer.getByRole('button', { name: 'Paste a key for Development' }).click();
  await expect(drawer.getByText(`ffsk_…${KEY.slice(-4)}`)).toBeVisible();
  await drawer.getByRole('button', { name: 'Paste a key for Production' }).click();
  await expect(drawer.getByRole('alert')).toContainText(
    'This key is already saved in the profile "Development"',
  );
  await snapViews(page, 'tools-profile-key-elsewhere');
  const status = await app.core.vault.status();
  expect(status.profiles.find((p) => p.name === 'Production')?.configured).toBe(false);

  await drawer.getByRole('button', { name: 'Remove Development' }).click();
  const confirm = drawer.getByRole('alertdialog', { name: 'Remove Development?' });
  await expect(confirm).toContainText('It does not revoke the key at RenderIO');
  await confirm.getByRole('button', { name: 'Manage keys at RenderIO' }).click();
  // The click returns once the page has sent its intent; main opens the link after.
  await expect.poll(() => app.opened).toEqual(['https://renderio.dev/dashboard/api-keys']);
  await snapViews(page, 'tools-profile-remove');
  await confirm.getByRole('button', { name: 'Remove from this computer' }).click();
  await expect(drawer.getByRole('status').first()).toContainText('still works at RenderIO');
  expect((await app.core.vault.status()).profiles.map((p) => p.name)).not.toContain('Development');
  expect(await page.content()).not.toContain(KEY);
});

test.describe('on a weak key store', () => {
  test.use({ weakKeyStore: true });
  test('"Store it anyway" is a remembered choice that can be undone', async ({ page, app }) => {
    await openApp(page, app);
    const drawer = await openTool(page, 'Profiles');
    const storage = drawer.getByRole('region', { name: 'Key storage' });
    await expect(storage).toContainText('only obscured');
    await storage.getByRole('button', { name: 'Store it anyway (weakly protected)' }).click();
    await expect(storage).toContainText('Keys are stored anyway (weakly protected).');
    expect((await app.core.vault.status()).storage.persistAllowed).toBe(true);
    const keysFile = await readFile(join(app.dataDir, 'keys.json'), 'utf8');
    expect(keysFile).toMatch(/allowInsecurePersistence"?\s*:\s*true/);
    await snapViews(page, 'tools-weak-store');
    await storage.getByRole('button', { name: 'Keep keys for this session only' }).click();
    await expect(
      storage.getByRole('button', { name: 'Store it anyway (weakly protected)' }),
    ).toBeVisible();
    expect((await app.core.vault.status()).storage.persistAllowed).toBe(false);
    await snapViews(page, 'tools-weak-store-undone');
  });
});

test('settings: concurrency, clean-up, notifications and theme are saved in main and the theme applies', async ({
  page,
  app,
}) => {
  await openApp(page, app);
  const drawer = await openTool(page, 'Settings');
  const uploads = drawer.getByLabel('Uploads at once');
  await uploads.fill('4');
  await uploads.blur();
  // Each box changes once main has saved the change (it holds the settings).
  const cleanup = drawer.getByLabel('Delete my files from RenderIO after download');
  await cleanup.click();
  await expect(cleanup).not.toBeChecked();
  const notifications = drawer.getByLabel(/^Notifications/);
  await notifications.click();
  await expect(notifications).not.toBeChecked();
  await drawer.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(drawer.getByText(/ffmpeg for this computer: /)).toBeVisible();
  await snapViews(page, 'tools-settings-dark');
  expect(app.core.settings.get()).toMatchObject({
    concurrency: { uploads: 4 },
    cleanupRemote: false,
    notifications: false,
    theme: 'dark',
  });
  const file = JSON.parse(await readFile(join(app.dataDir, 'settings.json'), 'utf8'));
  expect(file).toMatchObject({ theme: 'dark', notifications: false });
  await uploads.fill('0');
  await uploads.blur();
  await expect(drawer.getByRole('alert')).toContainText(
    'Uploads at once: enter a whole number from 1 to 32.',
  );
  await expect(uploads).toHaveAttribute('aria-invalid', 'true');
  expect(app.core.settings.get().concurrency.uploads).toBe(4);
  await snapViews(page, 'tools-settings-refused');
  expect(app.core.settings.get().concurrency.uploads).toBe(4);
});

test('watch folders: the output folder itself is refused; a new file is queued once; a folder gone says so and resumes', async ({
  page,
  app,
}) => {
  const inbox = join(app.mediaDir, 'inbox');
  const out = join(app.mediaDir, 'out');
  await mkdir(inbox);
  await mkdir(out);
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
  await app.core.queue.pauseAll();
  await openApp(page, app);
  const drawer = await openTool(page, 'Watch folders');
  const form = drawer.getByRole('form', { name: 'Watch a folder' });
  app.nextWatchFolder = inbox;
  await form.getByRole('button', { name: 'Choose folder…' }).click();
  app.nextOutputDir = inbox;
  await form.getByRole('button', { name: 'Choose output folder…' }).click();
  await form.getByLabel('Preset to use').selectOption({ label: 'MP3' });
  await form.getByRole('button', { name: 'Start watching' }).click();
  await expect(drawer.getByRole('alert')).toContainText('cannot be the watched folder itself');
  await snapViews(page, 'tools-watch-refused');
  expect(app.core.watches.list()).toEqual([]);

  app.nextOutputDir = out;
  await form.getByRole('button', { name: 'Choose output folder…' }).click();
  await form.getByRole('button', { name: 'Start watching' }).click();
  const row = drawer.getByRole('listitem').filter({ hasText: inbox });
  await expect(row).toContainText('Watching');
  await copyFile(clip, join(inbox, 'new.mp4'));
  await expect(row).toContainText('1 queued', { timeout: 15_000 });
  expect(app.core.queue.snapshot().jobs.map((j) => j.sourcePath)).toEqual([join(inbox, 'new.mp4')]);
  await snapViews(page, 'tools-watch-queued');

  await rename(inbox, `${inbox}-gone`);
  await expect(row).toContainText('Folder missing', { timeout: 10_000 });
  await expect(row).toContainText('resumes when it is back');
  await snapViews(page, 'tools-watch-missing');
  await rename(`${inbox}-gone`, inbox);
  await expect(row).toContainText('Watching', { timeout: 10_000 });
  await page.waitForTimeout(1500);
  expect(app.core.queue.snapshot().jobs).toHaveLength(1);
});
