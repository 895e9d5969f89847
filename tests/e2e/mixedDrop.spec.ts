/**
 * Mixed media just works: with a video preset picked, a drop of a video, a WAV and a PNG
 * adds all three, the WAV and the PNG with the default preset of their kind (shown on the
 * row), and only what no preset can take is refused, with why.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeAudio, makeImage, makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a video, a WAV and a PNG dropped with a video preset all convert`, async ({
    page,
    app,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 720 });
    const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
    const song = await makeAudio(app.mediaDir, 'song.wav', { seconds: 1, format: 'wav' });
    const still = await makeImage(app.mediaDir, 'still.png');
    const notes = join(app.mediaDir, 'notes.txt');
    await writeFile(notes, 'not media');
    await openApp(page, app);
    await page.getByLabel('Preset', { exact: true }).selectOption('webm-vp9');

    // The audio default is the person's choice: FLAC instead of MP3.
    await page.getByText('When the preset does not fit a file').click();
    await page.getByLabel('Audio files').selectOption('flac');
    await expect.poll(() => app.core.settings.get().kindDefaults.audio).toBe('flac');
    await expectNoAxeViolations(page, `kind defaults ${scheme}`);
    await snap(page, `mixed-kind-defaults-${scheme}`);

    await page.getByRole('button', { name: 'Pause all' }).click();
    app.nextSources.push([clip, song, still, notes]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    const rows = page.locator('li.job');
    await expect(rows).toHaveCount(3);
    const jobs = app.core.queue.snapshot().jobs;
    expect(jobs.map((j) => [j.sourceName, j.settings.presetId, j.settings.presetChoice])).toEqual([
      ['clip.mp4', 'webm-vp9', undefined],
      ['song.wav', 'flac', 'kind-default'],
      ['still.png', 'image-jpg', 'kind-default'],
    ]);
    await expect(rows.filter({ hasText: 'song.wav' })).toContainText('default for audio');
    await expect(rows.filter({ hasText: 'still.png' })).toContainText('default for image');
    await expect(rows.filter({ hasText: 'clip.mp4' })).not.toContainText('default for');
    // Only the text file is refused, saying why.
    const notice = page.getByRole('status').filter({ hasText: 'not added' });
    await expect(notice).toContainText('notes.txt');
    await expect(notice).toContainText('not a supported media file (.txt)');
    await expectNoAxeViolations(page, `mixed queued ${scheme}`);
    await snap(page, `mixed-queued-${scheme}`);

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(rows.locator('.stage')).toHaveText(['Done', 'Done', 'Done'], { timeout: 90_000 });
    expect(existsSync(join(app.mediaDir, 'song-flac.flac'))).toBe(true);
    expect(existsSync(join(app.mediaDir, 'still-jpg.jpg'))).toBe(true);
    expect(existsSync(join(app.mediaDir, 'clip-webm.webm'))).toBe(true);
    await snap(page, `mixed-done-${scheme}`);
  });
}
