/**
 * An unreachable RenderIO never looks like a frozen upload: the row and a banner say the API
 * cannot be reached and count down to the next try, "Retry now" tries at once, and the job
 * carries on by itself when the network is back.
 */
import { makeVideo } from '../support/media';
import { startNetProxy } from '../support/netProxy';
import { expect, openApp, snap, test } from './fixtures';

test('offline: the row and a banner count down, Retry now resumes the job', async ({
  page,
  app,
}) => {
  // RenderIO stands in as the engine behind a proxy whose network can be cut.
  const engine = app.engine;
  const proxy = await startNetProxy(engine.url);
  try {
    const key = await engine.createKey();
    const profile = await app.core.vault.addProfile({
      name: 'RenderIO',
      baseUrl: proxy.url,
      activate: true,
    });
    expect(
      (await app.core.vault.set(key, { profileId: profile.profileId, sessionOnly: true })).ok,
    ).toBe(true);
    const clip = await makeVideo(app.mediaDir, 'offline.mp4', { seconds: 2 });
    await openApp(page, app);
    await page.getByLabel('Preset').selectOption('webm-vp9');

    await proxy.down();
    app.nextSources.push([clip]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    const row = page.locator('li.job').filter({ hasText: 'offline.mp4' });
    await expect(row.locator('.stage')).toHaveText("Can't reach RenderIO", { timeout: 20_000 });
    await expect(row).toContainText(/retrying in \d+ s|retrying now/);
    const banner = page.getByRole('status').filter({ hasText: "Can't reach RenderIO" });
    await expect(banner).toContainText(/Can't reach RenderIO: (retrying in \d+ s|retrying now)/);
    await expect(banner).toContainText(`Could not reach ${proxy.url}: the connection was refused`);
    await expect(banner).toContainText('1 job is waiting and will continue on its own.');
    // The header says it too, in grammar fit for one job.
    await expect(page.getByTestId('queue-state')).toHaveText(
      'Offline1 job will be retried on its own.',
    );
    await snap(page, 'app-offline');

    await proxy.up();
    await banner.getByRole('button', { name: 'Retry now' }).click();
    await expect(row.locator('.stage')).toHaveText('Done', { timeout: 60_000 });
    await expect(banner).toHaveCount(0);
    expect(app.core.queue.snapshot().offline).toBeNull();
  } finally {
    await proxy.close();
  }
});
