/**
 * A queue that states its state: Running, Paused, Stopping after current, Stopped, each with
 * the one control that moves it on (Pause all, Resume, Start), and waiting rows that say why
 * they wait. Screenshots of each state at 800x600, light and dark; axe on each.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: Running, Paused, Stopping after current, Stopped, then Start`, async ({
    page,
    app,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 800, height: 600 });
    // Long enough that "Stop after current" lands while the first job runs.
    const first = await makeVideo(app.mediaDir, 'long.mp4', { seconds: 3 });
    const files = [first];
    // More files than the local lanes start at once (2 x the engine's 2 command slots), so
    // some are still waiting when the queue stops.
    for (const n of ['b.mp4', 'c.mp4', 'd.mp4', 'e.mp4', 'f.mp4']) {
      await copyFile(first, join(app.mediaDir, n));
      files.push(join(app.mediaDir, n));
    }
    await openApp(page, app);
    const state = page.getByTestId('queue-state');
    const toolbar = page.getByRole('group', { name: 'Queue controls' });
    await expect(state).toContainText('Ready');

    await toolbar.getByRole('button', { name: 'Pause all' }).click();
    await expect(state).toContainText('Paused');
    app.nextSources.push(files);
    await page.getByRole('button', { name: 'Add files…' }).click();
    const rows = page.locator('li.job');
    await expect(rows).toHaveCount(6);
    await expect(state).toContainText('6 jobs wait for Resume.');
    await expect(rows.first()).toContainText('queue paused');
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).toHaveCount(0);
    await expectNoAxeViolations(page, 'paused');
    await snap(page, `queue-state-paused-${scheme}`);

    await toolbar.getByRole('button', { name: 'Resume' }).click();
    await expect(state).toContainText('Running');
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).toBeVisible();
    await toolbar.getByRole('button', { name: 'Stop after current' }).click();
    // The running jobs finish; the rest wait, and the state says so.
    await expect(state).toContainText(/Stopping after current|Stopped/);
    await expect(
      toolbar
        .getByRole('button', { name: 'Resume' })
        .or(toolbar.getByRole('button', { name: 'Start' })),
    ).toBeVisible();
    await snap(page, `queue-state-stopping-${scheme}`);
    await expect(state).toContainText('Stopped', { timeout: 60_000 });
    const waiting = rows
      .filter({ has: page.locator('[data-stage="queued"]') })
      .or(page.locator('li.job[data-stage="queued"]'));
    await expect(waiting.first()).toContainText('queue stopped: Start runs it');
    await expect(state).toContainText(/\d jobs? waits? for Start\./);
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).toHaveCount(0);
    await expect(toolbar.getByRole('button', { name: 'Stop after current' })).toHaveCount(0);
    await expectNoAxeViolations(page, 'stopped');
    await snap(page, `queue-state-stopped-${scheme}`);
    expect(app.core.queue.snapshot().stopAfterRunning).toBe(true);

    await toolbar.getByRole('button', { name: 'Start' }).click();
    await expect(rows.locator('.stage')).toHaveText(Array(6).fill('Done'), { timeout: 150_000 });
    await expect(state).toContainText('All finished');
    await expectNoAxeViolations(page, 'finished');
    await snap(page, `queue-state-finished-${scheme}`);
  });
}
