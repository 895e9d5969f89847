/**
 * What runs the jobs on this computer (issue 11): the ffmpeg the engine found, the presets it
 * cannot run with the reason, and a computer without ffmpeg, which says so (the queue too: not
 * "Ready", no Pause all, no invitation to drop), offers RenderIO and starts no job. On RenderIO
 * a missing ffmpeg blocks nothing.
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
    // Its converter runs, without an ffmpeg: starting it again cannot help, so it is not
    // offered, and choosing an ffmpeg comes first.
    await expect(problem.getByRole('button')).toHaveText([
      'Choose ffmpeg…',
      'Use RenderIO instead',
    ]);
    // The queue says the same, in its words, and points at the box's buttons.
    const state = page.getByTestId('queue-state');
    await expect(state).toHaveText(
      'Cannot convertNo working ffmpeg on this computer: files added now are refused. Choose ffmpeg… or Use RenderIO instead, under Convert.',
    );
    await expect(state).not.toContainText('Ready');
    const toolbar = page.getByRole('group', { name: 'Queue controls' });
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).toHaveCount(0);
    const empty = page.locator('.queue-panel .empty');
    await expect(empty).toContainText(
      'Files dropped or added are refused until this computer has a working ffmpeg (Choose ffmpeg…) or new jobs run on RenderIO (Use RenderIO instead).',
    );
    await expect(empty).not.toContainText('Drop files or folders anywhere');
    await expect(empty.getByRole('button')).toHaveCount(0);
    await expectNoAxeViolations(page, 'engine status missing');
    await snap(page, 'engine-ffmpeg-missing');

    app.nextSources.push([clip]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    // Main's refusal (not the box's own words, which were there before the drop).
    await expect(
      page
        .getByRole('alert')
        .or(page.getByRole('status'))
        .filter({ hasText: 'This computer cannot convert: ' })
        .first(),
    ).toBeVisible();
    await expect(page.locator('li.job')).toHaveCount(0);
    expect(app.core.queue.snapshot().jobs).toHaveLength(0);
    // What the queue said is what happened: the file was refused, and it still says so.
    await expect(state).toContainText('Cannot convert');

    await problem.getByRole('button', { name: 'Use RenderIO instead' }).click();
    await expect(page.getByRole('button', { name: /^Account/ })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
  });
});

test.describe('a computer without ffmpeg that runs new jobs on RenderIO', () => {
  test.use({ ffmpegMissing: true });

  test('the queue is Ready, offers Pause all and the empty state, and takes files', async ({
    page,
    app,
  }) => {
    // The test engine stands in as RenderIO (its ffmpeg does not matter until a job runs).
    const key = await app.engine.createKey();
    const profile = await app.core.vault.addProfile({
      name: 'RenderIO',
      baseUrl: app.engine.url,
      activate: true,
    });
    expect(
      (await app.core.vault.set(key, { profileId: profile.profileId, sessionOnly: true })).ok,
    ).toBe(true);
    const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
    await openApp(page, app);
    await expect(page.getByRole('button', { name: /^Account/ })).toHaveAccessibleName(
      'Account · converting on RenderIO',
    );
    const state = page.getByTestId('queue-state');
    await expect(state).toHaveText('Ready');
    await expect(page.locator('.queue-panel .empty')).toContainText(
      'Drop files or folders anywhere in this window',
    );
    const toolbar = page.getByRole('group', { name: 'Queue controls' });
    await toolbar.getByRole('button', { name: 'Pause all' }).click();
    await expect(state).toContainText('Paused');
    app.nextSources.push([clip]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    await expect(page.locator('li.job', { hasText: 'clip.mp4' })).toBeVisible();
    expect(app.core.queue.snapshot().jobs).toHaveLength(1);
    await expect(state).toContainText('1 job waits for Resume.');
  });
});
