/**
 * The tools drawer (issue 13) driven through the window against the real core: the preset
 * editor and its live check, preset files, key profiles, the weak key store choice, settings,
 * and watch folders. Each test checks the core too (files on disk, vault, queue).
 */
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
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

/**
 * How many of the buttons shown inside `card` are filled in the accent colour (the primary
 * style), resolved as the page draws it: one main action per card at most. Polled by its
 * callers: a button's background eases into a new style over a few frames.
 */
function filledButtons(card: Locator): Promise<number> {
  return card.evaluate((el) => {
    const view = el.ownerDocument.defaultView!;
    const probe = el.ownerDocument.createElement('span');
    probe.style.color = 'var(--accent)';
    el.append(probe);
    const accent = view.getComputedStyle(probe).color;
    probe.remove();
    return [...el.querySelectorAll('button')].filter(
      (b) => b.getClientRects().length > 0 && view.getComputedStyle(b).backgroundColor === accent,
    ).length;
  });
}

/** Whether a select shows its chosen option whole (not cut off by its own arrow). */
function showsWholeOption(select: Locator): Promise<boolean> {
  return select.evaluate((el) => {
    const s = el as unknown as {
      selectedOptions: { text: string }[];
      clientWidth: number;
      ownerDocument: { createElement(tag: string): { getContext(kind: string): unknown } };
    };
    const style = el.ownerDocument.defaultView!.getComputedStyle(el);
    const canvas = s.ownerDocument.createElement('canvas');
    const ctx = canvas.getContext('2d') as {
      font: string;
      measureText(t: string): { width: number };
    };
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = ctx.measureText(s.selectedOptions[0]!.text).width;
    const room =
      s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20; // the arrow
    return text <= room;
  });
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
  // The quality mode reads whole in the narrowest column, at the smallest window and a large one.
  for (const view of [
    { width: 720, height: 520 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(view);
    expect(await showsWholeOption(form.getByLabel(/^Quality/))).toBe(true);
  }
  // Save is the form's one main action; Cancel is secondary.
  await expect(form.getByRole('button', { name: 'Cancel' })).toHaveClass(/\bsecondary\b/);
  await expect.poll(() => filledButtons(form)).toBe(1);
  // The person's own command: the fields it ignores are gone, a note says the command runs.
  const ignored = [
    /^Video codec/,
    /^Quality/,
    /^CRF/,
    /^Height/,
    /^Frame rate/,
    /^Audio codec/,
    /^Audio bitrate/,
    /^Strip audio/,
    /^Trim start/,
    /^Trim end/,
  ];
  for (const label of ignored) await expect(form.getByLabel(label)).toHaveCount(1);
  const own = form.getByLabel('Edit the command myself (advanced)');
  await own.check();
  for (const label of ignored) await expect(form.getByLabel(label)).toHaveCount(0);
  await expect(form.getByText('The command below is what runs')).toBeVisible();
  await expect(form.getByLabel('Command template')).toHaveAccessibleDescription(
    /^The command below is what runs/,
  );
  // What still counts stays: the name, the container (the file made), audio only (its kind).
  for (const label of [/^Name/, /^Container/, /^Audio only/])
    await expect(form.getByLabel(label)).toBeVisible();
  // Back to the fields: they return as they were, and the note goes.
  await own.uncheck();
  await expect(form.getByLabel(/^Trim start/)).toHaveValue('1');
  await expect(form.getByText('The command below is what runs')).toHaveCount(0);
  // The advanced field, checked by the engine's own rules as it is typed.
  await own.check();
  await form
    .getByLabel('Command template')
    .fill('-i {{in_file}} -vf movie=/etc/passwd {{out_file}}');
  await expect(form.locator('#preset-problems')).toContainText('movie');
  // Named as the form names it, not by the schema's field path.
  await expect(form.locator('#preset-problems')).toContainText(/The command: .*"movie"/);
  await expect(form.locator('#preset-problems')).not.toContainText('ffmpegCommand');
  await expect(form.getByRole('button', { name: 'Save preset' })).toBeDisabled();
  await expect(form.getByLabel('Video codec')).toHaveCount(0);
  await snapViews(page, 'tools-preset-editor-refused');
  await form.getByLabel('Command template').fill('-i {{in_file}} -vf scale=-2:120 {{out_file}}');
  await expect(form.locator('#preset-problems')).toContainText('The engine accepts this preset.');
  // A look at the fields and back does not lose the typing.
  await own.uncheck();
  await expect(form.getByLabel(/^Trim start/)).toHaveValue('1');
  await own.check();
  await expect(form.getByLabel('Command template')).toHaveValue(
    '-i {{in_file}} -vf scale=-2:120 {{out_file}}',
  );
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
  // At the smallest window the copy is at the end of a long list, far below the drawer's top:
  // what the click did is still in view, and so are the tabs and Close.
  await page.setViewportSize({ width: 720, height: 520 });
  await copy.getByRole('button', { name: /^Delete / }).click();
  await expect(copy).toHaveCount(0);
  const said = drawer.getByRole('status').first();
  await expect(said).toHaveText(/^Deleted ".+ \(copy\)"\.$/);
  await expect(said).toBeInViewport();
  expect(await drawer.locator('.tools-body').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect(drawer.getByRole('tab', { name: 'Presets' })).toBeInViewport();
  await expect(drawer.getByRole('button', { name: 'Close' })).toBeInViewport();
  // A new step (a new preset's form) clears it.
  await drawer.getByRole('button', { name: 'New preset' }).click();
  await expect(drawer.getByTestId('tools-message')).toHaveCount(0);
  await drawer.getByRole('button', { name: 'Cancel' }).click();
  // One main action at most: New preset above the list; each row's buttons are secondary, a
  // custom preset's Delete in the danger colour, Close plain.
  await expect.poll(() => filledButtons(drawer.locator('.tool-actions').first())).toBe(1);
  for (const row of await drawer.getByRole('listitem').all())
    await expect.poll(() => filledButtons(row)).toBe(0);
  await expect(drawer.getByRole('button', { name: 'Delete Small MP4' })).toHaveClass(/\bdanger\b/);
  await expect(drawer.getByRole('button', { name: 'Close' })).toHaveClass(/\bghost\b/);
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
  // Sentences, the id as the file has it, the name's control character shown escaped.
  await expect(said).toHaveText(
    [
      '1 preset imported. 2 presets could not be imported:',
      '"Twin" was not imported. The id "tiny" appears twice in the file.',
      '"Bell\\u0007" was not imported. The name may not contain control characters (line breaks, tabs and the like).',
    ].join('\n'),
  );
  // No control character but the line breaks between sentences.
  expect((await said.textContent())!.replaceAll('\n', '')).not.toMatch(/\p{Cc}/u);
  expect(await said.textContent()).not.toMatch(/id: id|custom-tiny|name: /);
  await expect(said).toBeInViewport();
  // Part of the file refused: a caveat in the warning tone, not a success.
  await expect(drawer.getByTestId('tools-message')).toHaveClass(/\bwarn\b/);
  await expect(drawer.getByTestId('tools-message')).not.toHaveClass(/\bok\b/);
  expect(
    app.core.presets
      .list()
      .filter((p) => p.source === 'custom')
      .map((p) => p.name),
  ).toEqual(['Tiny']);
  await snapViews(page, 'tools-preset-import-report');

  await writeFile(file, 'not json at all');
  await drawer.getByRole('button', { name: 'Import presets…' }).click();
  // Plain words, not the JSON parser's; the earlier report is gone.
  await expect(drawer.getByRole('alert')).toHaveText(
    'This file is not a presets file: it is not JSON.',
  );
  await expect(drawer.getByRole('status').first()).toHaveText('');
  await snapViews(page, 'tools-preset-import-not-json');
  expect(app.core.presets.list().filter((p) => p.source === 'custom')).toHaveLength(1);

  const out = join(app.mediaDir, 'export.json');
  app.nextPresetSave = out;
  await drawer.getByRole('button', { name: 'Export my presets…' }).click();
  await expect(drawer.getByRole('status').first()).toContainText(`Exported to ${out}.`);
  await expect(drawer.getByTestId('tools-message')).toHaveClass(/\bok\b/);

  // A file whose every preset is imported is a success, in the success tone.
  await writeFile(
    file,
    JSON.stringify({
      format: 'renderio-desktop-presets',
      version: 1,
      presets: [{ ...good, id: 'wee', name: 'Wee' }],
    }),
  );
  await drawer.getByRole('button', { name: 'Import presets…' }).click();
  await expect(drawer.getByRole('status').first()).toHaveText('1 preset imported.');
  await expect(drawer.getByTestId('tools-message')).toHaveClass(/\bok\b/);
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
  // This computer needs no key: none is shown for it (main has a per-launch one it never shows).
  const local = drawer.getByRole('listitem').filter({ hasText: 'This computer' });
  await expect(local).toContainText('this computer · runs new jobs');
  await expect(local).not.toContainText('ffsk_');
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
  // The add form's one main action; a profile without a key has one (Paste a key), the others
  // none; Remove is in the danger colour.
  await expect.poll(() => filledButtons(add)).toBe(1);
  for (const row of await drawer.getByRole('listitem').all())
    await expect.poll(() => filledButtons(row)).toBeLessThanOrEqual(1);
  await expect(drawer.getByRole('button', { name: 'Remove Production' })).toHaveClass(/\bdanger\b/);
  await expect(drawer.getByRole('button', { name: 'Close' })).toHaveClass(/\bghost\b/);

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
  // The refusal spoke of the paste before: it is gone once another step starts.
  await expect(drawer.getByRole('alert')).toHaveText('');
  // Its three buttons stand apart, the destructive one marked as such (as History's).
  const answers = ['Manage keys at RenderIO', 'Remove from this computer', 'Keep it'].map((name) =>
    confirm.getByRole('button', { name }),
  );
  for (const view of [
    { width: 720, height: 520 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(view);
    const boxes = await Promise.all(answers.map(async (b) => (await b.boundingBox())!));
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) {
        const apart =
          a.x + a.width + 6 <= b.x ||
          b.x + b.width + 6 <= a.x ||
          a.y + a.height + 6 <= b.y ||
          b.y + b.height + 6 <= a.y;
        expect(apart, JSON.stringify([a, b])).toBe(true);
      }
  }
  const background = (i: number) =>
    answers[i]!.evaluate(
      (el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor,
    );
  // The theme's danger colour, resolved as the page draws it.
  const danger = await confirm.evaluate((el) => {
    const probe = el.ownerDocument.createElement('span');
    probe.style.color = 'var(--danger)';
    el.append(probe);
    const color = el.ownerDocument.defaultView!.getComputedStyle(probe).color;
    probe.remove();
    return color;
  });
  await expect(answers[1]!).toHaveClass(/danger-solid/);
  expect(await background(1)).toBe(danger);
  expect(await background(0)).not.toBe(danger);
  expect(await background(2)).not.toBe(danger);
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
    // Less protection is done as asked, but said as a caution, never as a success.
    const said = drawer.getByTestId('tools-message');
    await expect(said).toHaveText('Keys will be stored, weakly protected. You can undo this here.');
    await expect(said).toHaveClass(/\bwarn\b/);
    await expect(storage.locator('.ok')).toHaveCount(0);
    await expect.poll(() => filledButtons(storage)).toBe(0);
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
  await expect(drawer.getByRole('status').first()).toContainText(`Watching ${inbox}.`);
  await copyFile(clip, join(inbox, 'new.mp4'));
  await expect(row).toContainText('1 queued', { timeout: 15_000 });
  expect(app.core.queue.snapshot().jobs.map((j) => j.sourcePath)).toEqual([join(inbox, 'new.mp4')]);
  await snapViews(page, 'tools-watch-queued');

  await rename(inbox, `${inbox}-gone`);
  await expect(row).toContainText('Folder missing', { timeout: 10_000 });
  await expect(row).toContainText('resumes when it is back');
  // "Watching …" said when it was added no longer holds: it goes.
  await expect(drawer.getByTestId('tools-message')).toHaveCount(0);
  await expect(drawer).not.toContainText('New files are converted once they stop growing');
  await snapViews(page, 'tools-watch-missing');
  await rename(`${inbox}-gone`, inbox);
  await expect(row).toContainText('Watching', { timeout: 10_000 });
  await page.waitForTimeout(1500);
  expect(app.core.queue.snapshot().jobs).toHaveLength(1);
});
