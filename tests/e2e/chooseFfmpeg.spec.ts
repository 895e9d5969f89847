/**
 * "Choose ffmpeg…" (issues 11 and 13) through the window against the real core: from a computer
 * without ffmpeg, a file that is not ffmpeg is refused in one plain sentence and nothing
 * changes (RenderIO stays offered); the Debian ffmpeg, reached through a folder named
 * "my ffmpeg ü", is checked, saved, the engine restarted with it, the status line turns to
 * "This computer: ffmpeg …" and a job runs on it. The Tools settings say which ffmpeg runs and
 * go back to automatic; a build without libx264 re-marks the presets that need it.
 */
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { realTool, writeWrapper } from '../support/fakeFfmpeg';
import { makeVideo, probe } from '../support/media';
import { expectNoAxeViolations } from './support/axe';
import { snapViews } from './support/views';
import { expect, openApp, test, type AppUnderTest } from './fixtures';

const ERRNO = /\bE[A-Z]{3,}\b/;
/** A check of the file (a few ffmpeg runs) and an engine restart: seconds, more on a busy machine. */
const CHECKED = { timeout: 60_000 };

/** The Debian ffmpeg and ffprobe as symlinks in a folder with spaces and a non-ASCII letter. */
async function linkedFfmpeg(app: AppUnderTest): Promise<string> {
  const folder = join(app.mediaDir, 'my ffmpeg ü');
  await mkdir(folder, { recursive: true });
  await symlink(realTool('ffmpeg'), join(folder, 'ffmpeg'));
  await symlink(realTool('ffprobe'), join(folder, 'ffprobe'));
  return join(folder, 'ffmpeg');
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Tools' }).click();
  const drawer = page.getByRole('dialog', { name: 'Tools' });
  await drawer.getByRole('tab', { name: 'Settings' }).click();
  return drawer;
}

test.describe('a computer without ffmpeg', () => {
  test.use({ ffmpegMissing: true });

  test('a bad choice is refused plainly; a working ffmpeg is used and runs a job', async ({
    page,
    app,
  }) => {
    // Four states at two sizes and two themes with axe, two engine starts and an encode.
    test.slow();
    const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
    await openApp(page, app);
    const box = page.getByTestId('engine-status');
    await expect(box).toContainText('This computer cannot convert.');
    const choose = box.getByRole('button', { name: 'Choose ffmpeg…' });
    await expect(choose).toBeVisible();
    await expect(box.getByRole('button', { name: 'Use RenderIO instead' })).toBeVisible();
    // The queue is not "Ready" and offers nothing to pause: files added would be refused.
    const state = page.getByTestId('queue-state');
    const pauseAll = page
      .getByRole('group', { name: 'Queue controls' })
      .getByRole('button', { name: 'Pause all' });
    await expect(state).toContainText('Cannot convert');
    await expect(pauseAll).toHaveCount(0);
    // In the smallest window the ways out are in view without scrolling: the box comes first.
    await page.setViewportSize({ width: 720, height: 520 });
    for (const name of ['Choose ffmpeg…', 'Use RenderIO instead']) {
      const bounds = await box.getByRole('button', { name }).boundingBox();
      expect(bounds && bounds.y + bounds.height, name).toBeLessThanOrEqual(520);
    }
    await snapViews(page, 'choose-ffmpeg-missing');

    // Cancelled: nothing happens.
    app.nextFfmpeg = null;
    await choose.click();
    await expect.poll(() => app.ffmpegDialogs).toBe(1);
    await expect(choose).toHaveAttribute('aria-disabled', 'false');
    await expect(choose).toHaveText('Choose ffmpeg…');
    await expect(page.getByTestId('ffmpeg-refusal')).toHaveCount(0);

    // Not ffmpeg: one sentence, no errno code; nothing saved, the engine not restarted.
    app.nextFfmpeg = '/bin/ls';
    await choose.click();
    const refusal = page.getByTestId('ffmpeg-refusal');
    await expect(refusal).toHaveText(
      '/bin/ls is not ffmpeg: it does not answer as ffmpeg does.',
      CHECKED,
    );
    await expect(refusal).toHaveAttribute('role', 'alert');
    await snapViews(page, 'choose-ffmpeg-refused');

    // An ffmpeg without ffprobe beside it: said as plainly.
    const alone = await writeWrapper(join(app.mediaDir, 'alone ü'), 'ffmpeg');
    app.nextFfmpeg = alone;
    await choose.click();
    await expect(refusal).toHaveText(
      `There is no ffprobe beside ${alone}: choose an ffmpeg whose folder also holds ffprobe (they come together).`,
      CHECKED,
    );
    expect(await refusal.textContent()).not.toMatch(ERRNO);
    expect(app.engineRestarts).toBe(0);
    expect(app.core.settings.get().chosenFfmpeg).toBeNull();
    await expect(box).toContainText('This computer cannot convert.');
    await expect(state).toContainText('Cannot convert');
    // RenderIO is still the way out.
    await expect(box.getByRole('button', { name: 'Use RenderIO instead' })).toBeEnabled();

    // The real ffmpeg under "my ffmpeg ü": checked, saved, the engine restarted with it.
    const ffmpeg = await linkedFfmpeg(app);
    app.nextFfmpeg = ffmpeg;
    await choose.click();
    const line = page.getByTestId('engine-status');
    await expect(line).toHaveText(/^This computer: ffmpeg 5\.\d+ \(chosen\)$/, CHECKED);
    expect(app.engineRestarts).toBe(1);
    // Now the queue is ready, and invites files again.
    await expect(state).toHaveText('Ready');
    await expect(pauseAll).toBeVisible();
    await expect(page.locator('.queue-panel .empty')).toContainText(
      'Drop files or folders anywhere',
    );
    expect(app.core.settings.get().chosenFfmpeg).toBe(ffmpeg);
    const file = JSON.parse(await readFile(join(app.dataDir, 'settings.json'), 'utf8'));
    expect(file).toMatchObject({ version: 1, chosenFfmpeg: ffmpeg });
    expect(app.engine.ffmpeg).toMatchObject({
      available: true,
      ffmpeg: { path: ffmpeg, source: 'chosen' },
    });
    await snapViews(page, 'choose-ffmpeg-chosen');

    // A job now runs on this computer, with that ffmpeg.
    await page.getByLabel('Preset').selectOption('webm-vp9');
    app.nextSources.push([clip]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    const row = page.locator('li.job', { hasText: 'clip.mp4' });
    await expect(row.locator('.stage')).toHaveText('Done', { timeout: 120_000 });
    const output = join(app.mediaDir, 'clip-webm.webm');
    expect((await probe(output)).streams.some((s) => s.codec_name === 'vp9')).toBe(true);
    expect(app.engine.requestLog.some((e) => e.path.endsWith('/files/upload'))).toBe(true);

    // The Tools settings say which ffmpeg and where it was chosen; "Use automatic" goes back.
    const drawer = await openSettings(page);
    await expect(drawer.getByTestId('ffmpeg-summary')).toHaveText(
      /^ffmpeg for this computer: ffmpeg 5\.\d+ \(chosen\)$/,
    );
    await expect(drawer.getByText(`Chosen: ${ffmpeg}`)).toBeVisible();
    await snapViews(page, 'choose-ffmpeg-settings-chosen');
    await drawer.getByRole('button', { name: 'Use automatic' }).click();
    await expect(drawer.getByTestId('ffmpeg-summary')).toContainText('ffmpeg not found', CHECKED);
    await expect(drawer.getByRole('status')).toContainText('No ffmpeg was found automatically.');
    await expect(drawer.getByRole('button', { name: 'Use automatic' })).toHaveCount(0);
    expect(app.core.settings.get().chosenFfmpeg).toBeNull();
    await expectNoAxeViolations(page, 'settings back to automatic');
  });
});

test('the settings show the ffmpeg found; one without libx264 re-marks the presets, then the full one clears them', async ({
  page,
  app,
}) => {
  test.slow();
  await openApp(page, app);
  const drawer = await openSettings(page);
  await expect(drawer.getByTestId('ffmpeg-summary')).toHaveText(
    /^ffmpeg for this computer: ffmpeg 5\.\d+ \(PATH\)$/,
  );
  await expect(drawer.getByText(/^Found automatically/)).toBeVisible();
  await expect(drawer.getByRole('button', { name: 'Use automatic' })).toHaveCount(0);
  await snapViews(page, 'choose-ffmpeg-settings-automatic');

  const folder = join(app.mediaDir, 'no x264 ü');
  const partial = await writeWrapper(folder, 'ffmpeg', { withoutEncoders: ['libx264'] });
  await writeWrapper(folder, 'ffprobe');
  app.nextFfmpeg = partial;
  await drawer.getByRole('button', { name: 'Choose ffmpeg…' }).click();
  // Main's sentence, then which presets and why; a caveat in the warning tone, not a success.
  await expect(drawer.getByRole('status')).toHaveText(
    new RegExp(
      '^This computer now converts with ffmpeg 5\\.\\d+ from .*no x264 ü\\. 4 presets run on RenderIO only with it\\.\\s' +
        'This ffmpeg has no H\\.264 encoder \\(libx264\\), so MP4 for the web \\(H\\.264 \\+ AAC\\), 720p MP4, 1080p MP4 and Small for sharing run on RenderIO only\\.$',
    ),
    CHECKED,
  );
  await expect(drawer.getByTestId('tools-message')).toHaveClass(/\bwarn\b/);
  await expect(drawer.getByText(`Chosen: ${partial}`)).toBeVisible();
  await snapViews(page, 'choose-ffmpeg-settings-partial');
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('engine-status')).toContainText(/presets run on RenderIO only/);
  const picker = page.getByLabel('Preset');
  await expect(picker.locator('option[value="mp4-h264"]')).toContainText('(RenderIO only)');

  // The full build: every preset runs here again.
  const full = await linkedFfmpeg(app);
  app.nextFfmpeg = full;
  const again = await openSettings(page);
  await again.getByRole('button', { name: 'Choose ffmpeg…' }).click();
  await expect(again.getByText(`Chosen: ${full}`)).toBeVisible(CHECKED);
  // Every preset runs with it: a plain success, nothing left to name.
  await expect(again.getByTestId('tools-message')).toHaveClass(/\bok\b/);
  await expect(again.getByTestId('tools-message')).not.toContainText('RenderIO only');
  await again.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText(
    /^This computer: ffmpeg 5\.\d+ \(chosen\)$/,
  );
  await expect(picker.locator('option[value="mp4-h264"]')).not.toContainText('(RenderIO only)');
  expect(app.engineRestarts).toBe(2);
});

test('a chosen ffmpeg that is gone (moved by an upgrade) says so and offers the way back to automatic', async ({
  page,
  app,
}) => {
  test.slow();
  const gone = join(app.mediaDir, 'Cellar', 'ffmpeg', '7.0', 'bin', 'ffmpeg');
  await app.core.settings.update({ chosenFfmpeg: gone });
  await app.restartEngine();
  await openApp(page, app);
  const box = page.getByTestId('engine-status');
  await expect(box).toContainText(`The ffmpeg you chose was not found at ${gone}.`);
  const automatic = box.getByRole('button', { name: 'Use automatic' });
  await expect(automatic).toBeVisible();
  // The chosen ffmpeg is gone: files added are refused, and the queue says so.
  await expect(page.getByTestId('queue-state')).toContainText('Cannot convert');
  await snapViews(page, 'choose-ffmpeg-chosen-gone');
  await automatic.click();
  await expect(page.getByTestId('engine-status')).toHaveText(
    /^This computer: ffmpeg 5\.\d+ \(PATH\)$/,
    CHECKED,
  );
  await expect(page.getByTestId('queue-state')).toHaveText('Ready');
  expect(app.core.settings.get().chosenFfmpeg).toBeNull();
  expect(app.engineRestarts).toBe(2);
});
