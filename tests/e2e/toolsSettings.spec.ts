/**
 * Tools, settings that shape the queue, driven through the window against the real core and
 * engine: the poll interval bounds (refused with a reason, saved, and observed by a running
 * queue in the status requests the engine serves), and "Use as default for <kind>" in the
 * preset editor (refused for a preset that cannot take the kind; a mixed drop uses it).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeAudio, makeImage, makeVideo } from '../support/media';
import { expect, openApp, test, type PageGlobals } from './fixtures';
import { snapViews } from './support/views';

async function openTool(page: Page, tab: string) {
  await page.getByRole('button', { name: 'Tools' }).click();
  const drawer = page.getByRole('dialog', { name: 'Tools' });
  await drawer.getByRole('tab', { name: tab }).click();
  return drawer;
}

const settingsFile = async (dataDir: string) =>
  JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;

test('poll interval bounds: bad values are refused with why; saved bounds reach the running queue', async ({
  page,
  app,
}) => {
  // Jobs go to the engine as to RenderIO: a cloud profile at its address with a key it made.
  const profile = await app.core.vault.addProfile({ name: 'Staging', baseUrl: app.engine.url });
  const key = await app.engine.createKey();
  expect((await app.core.setKey(key, { profileId: profile.profileId })).ok).toBe(true);
  await app.core.vault.setActive(profile.profileId);
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 2 });
  await openApp(page, app);
  const drawer = await openTool(page, 'Settings');
  const bounds = drawer.getByRole('group', { name: 'Checking jobs on RenderIO' });
  const min = bounds.getByLabel('Shortest wait between checks (seconds)');
  const max = bounds.getByLabel('Longest wait between checks (seconds)');
  await expect(min).toHaveValue('0.25');
  await expect(max).toHaveValue('60');

  // Each field is saved on leaving it, checked with the other one as typed.
  await max.fill('3');
  await max.blur();
  await expect(drawer.getByRole('status').first()).toContainText('every 0.25 to 3 seconds');
  // Min above max, out of range, not a number: each refused by main (or the panel) with its
  // reason, beside the fields too, and nothing saved.
  await min.fill('8');
  await min.blur();
  await expect(drawer.getByRole('alert')).toContainText(
    'The shortest poll interval (8 s) is longer than the longest (3 s)',
  );
  // In plain words at the top as beside the fields: no setting's name in code.
  await expect(drawer.getByRole('alert')).not.toContainText('pollIntervalSeconds');
  await expect(bounds).toContainText('is longer than the longest');
  await expect(min).toHaveAttribute('aria-invalid', 'true');
  await snapViews(page, 'tools-poll-bounds-refused');
  await min.fill('0.1');
  await min.blur();
  await expect(drawer.getByRole('alert')).toContainText(
    'The shortest poll interval must be between 0.25 and 300 seconds',
  );
  await max.fill('');
  await max.blur();
  await expect(drawer.getByRole('alert')).toContainText(
    'Longest wait between checks: enter a number of seconds.',
  );
  expect(app.core.settings.get().pollIntervalSeconds).toEqual({ min: 0.25, max: 3 });
  expect((await settingsFile(app.dataDir)).pollIntervalSeconds).toEqual({ min: 0.25, max: 3 });

  // 4 s both ways: the adaptive policy alone would first poll after 2 s.
  await min.fill('4');
  await max.fill('4');
  await max.blur();
  await expect(drawer.getByRole('status').first()).toContainText(
    'Jobs on RenderIO are checked every 4 to 4 seconds',
  );
  await expect(min).toHaveAttribute('aria-invalid', 'false');
  expect(app.core.settings.get().pollIntervalSeconds).toEqual({ min: 4, max: 4 });
  expect(await settingsFile(app.dataDir)).toMatchObject({
    version: 1,
    pollIntervalSeconds: { min: 4, max: 4 },
  });
  await snapViews(page, 'tools-poll-bounds-saved');

  // The queue, started before the change, polls the next command at the new pace.
  await drawer.getByRole('button', { name: 'Close' }).click();
  await page.getByLabel('Preset', { exact: true }).selectOption('mp3');
  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  await expect(page.locator('li.job .stage')).toHaveText(['Done'], { timeout: 60_000 });
  const job = app.core.queue.snapshot().jobs[0]!;
  expect(job.settings.profileId).toBe(profile.profileId);
  const log = app.engine.requestLog;
  const submit = log.find((e) => e.method === 'POST' && e.path === '/api/v1/run-ffmpeg-command')!;
  const download = log.findIndex((e) => e.path.startsWith('/storage/'));
  const polls = log
    .slice(0, download)
    .filter((e) => e.method === 'GET' && e.path === `/api/v1/commands/${job.remote.commandId}`);
  expect(polls.length).toBeGreaterThanOrEqual(1);
  const times = [submit.at, ...polls.map((e) => e.at)];
  for (const gap of times.slice(1).map((t, i) => t - times[i]!)) {
    expect(gap).toBeGreaterThanOrEqual(3900);
    expect(gap).toBeLessThan(5000);
  }
});

test('"Use as default for <kind>" in the preset editor: refused for a preset that cannot take the kind; a mixed drop uses it', async ({
  page,
  app,
}) => {
  const loud = await app.core.presets.create({
    name: 'Loud MP3',
    description: '',
    category: 'audio',
    accepts: ['audio'],
    ffmpegCommand: '-i {{in_file}} -vn -c:a libmp3lame -b:a 320k {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'mp3' }],
  });
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
  const song = await makeAudio(app.mediaDir, 'song.wav', { seconds: 1, format: 'wav' });
  const still = await makeImage(app.mediaDir, 'still.png');
  await openApp(page, app);
  const drawer = await openTool(page, 'Presets');
  const row = (name: string) =>
    drawer.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });

  // The built-in GIF is an image preset that takes video only: not offered as a default for
  // images (main would refuse it); its row says why instead.
  await expect(row('Animated GIF').getByRole('button', { name: /^Use as default/ })).toHaveCount(0);
  await expect(row('Animated GIF')).toContainText(
    'Not a default for image files: it takes video files only.',
  );
  // Main still refuses it when a page asks anyway (the renderer is untrusted).
  const asked = await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).renderio!.settings.update({
      kindDefaults: { image: 'gif' },
    }),
  );
  expect(asked.ok ? 'saved' : asked.error.message).toBe(
    'Animated GIF cannot take image files, so it cannot be the default for them.',
  );
  expect(app.core.settings.get().kindDefaults.image).toBe('image-jpg');
  await snapViews(page, 'tools-kind-default-refused');

  // A custom preset for audio, a built-in one for images.
  await row('Loud MP3')
    .getByRole('button', { name: 'Use as default for audio files: Loud MP3' })
    .click();
  await expect(row('Loud MP3')).toContainText('Default for audio files');
  await expect(drawer.getByRole('status').first()).toContainText(
    'Loud MP3 is now the default for audio files in mixed drops.',
  );
  // Image to PNG is far down the list: at the smallest window what the click did is in view
  // all the same, above the list, with the tabs and Close.
  await page.setViewportSize({ width: 720, height: 520 });
  await row('Image to PNG')
    .getByRole('button', { name: 'Use as default for image files: Image to PNG' })
    .click();
  await expect(row('Image to PNG')).toContainText('Default for image files');
  const said = drawer.getByRole('status').first();
  await expect(said).toHaveText('Image to PNG is now the default for image files in mixed drops.');
  await expect(said).toBeInViewport();
  await expect(drawer.getByRole('button', { name: 'Close' })).toBeInViewport();
  await expect(drawer.getByRole('tab', { name: 'Presets' })).toBeInViewport();
  // The built-in MP3 was the audio default: it offers the button again.
  await expect(
    row('MP3').getByRole('button', { name: 'Use as default for audio files: MP3' }),
  ).toBeVisible();
  await snapViews(page, 'tools-kind-default-set');
  expect(app.core.settings.get().kindDefaults).toEqual({
    video: 'mp4-h264',
    audio: loud.id,
    image: 'image-png',
  });
  expect((await settingsFile(app.dataDir)).kindDefaults).toEqual({
    video: 'mp4-h264',
    audio: loud.id,
    image: 'image-png',
  });

  // The control under the picker shows the same choice, and a mixed drop uses it.
  await drawer.getByRole('button', { name: 'Close' }).click();
  await page.getByText('When the preset does not fit a file').click();
  await expect(page.getByLabel('Audio files')).toHaveValue(loud.id);
  await expect(page.getByLabel('Image files')).toHaveValue('image-png');
  await page.getByLabel('Preset', { exact: true }).selectOption('webm-vp9');
  await page.getByRole('button', { name: 'Pause all' }).click();
  app.nextSources.push([clip, song, still]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  await expect(page.locator('li.job')).toHaveCount(3);
  expect(
    app.core.queue
      .snapshot()
      .jobs.map((j) => [j.sourceName, j.settings.presetId, j.settings.presetChoice]),
  ).toEqual([
    ['clip.mp4', 'webm-vp9', undefined],
    ['song.wav', loud.id, 'kind-default'],
    ['still.png', 'image-png', 'kind-default'],
  ]);
  await expect(page.locator('li.job').filter({ hasText: 'song.wav' })).toContainText(
    'default for audio',
  );
});
