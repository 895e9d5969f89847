/**
 * What runs the jobs on this computer (issue 11): the ffmpeg the engine found, the presets it
 * cannot run with the reason, and a computer without ffmpeg, which says so, offers RenderIO
 * and starts no job.
 */
import { makeVideo } from '../support/media';
import { expectNoAxeViolations } from './support/axe';
import { expect, openApp, snap, test } from './fixtures';

test('this computer says which ffmpeg runs the jobs', async ({ page, app }) => {
  await openApp(page, app);
  const line = page.getByTestId('engine-status');
  await expect(line).toHaveText(/^This computer: ffmpeg \d+\.\d+/);
  // The engine's own words, not a guess of the window's.
  const summary = app.engine.ffmpeg.available ? app.engine.ffmpeg.summary : null;
  expect(summary).not.toBeNull();
  await expect(line).toContainText(summary!);
  await expectNoAxeViolations(page, 'engine status ready');
});

test.describe('a computer without ffmpeg', () => {
  test.use({ ffmpegMissing: true });

  test('says it cannot convert, offers RenderIO, and queues nothing', async ({ page, app }) => {
    const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
    await openApp(page, app);
    const problem = page.getByTestId('engine-status');
    await expect(problem).toContainText('This computer cannot convert.');
    await expect(problem).toContainText('ffmpeg not found');
    await expectNoAxeViolations(page, 'engine status missing');
    await snap(page, 'engine-ffmpeg-missing');

    app.nextSources.push([clip]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    await expect(
      page
        .getByRole('alert')
        .or(page.getByRole('status'))
        .filter({ hasText: 'cannot convert' })
        .first(),
    ).toBeVisible();
    await expect(page.locator('li.job')).toHaveCount(0);
    expect(app.core.queue.snapshot().jobs).toHaveLength(0);

    await problem.getByRole('button', { name: 'Use RenderIO instead' }).click();
    await expect(page.getByRole('button', { name: /^Account/ })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
  });
});
