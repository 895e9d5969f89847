/**
 * "Run jobs on": the person chooses which profile runs new jobs, from the account panel, and
 * the header says where they run. Offline, RenderIO cannot check a key, so the cloud key is
 * kept unverified: the switch is offered, not made, and the message is a warning.
 */
import type { Page } from '@playwright/test';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';

const KEY = `ffsk_${'7a11c0de'.repeat(8)}`;

function header(page: Page) {
  return page.getByRole('button', { name: /^Account/ });
}

test('choose where jobs run: switch to a pasted key and back; a profile without a key is refused', async ({
  page,
  app,
}) => {
  const ipcAnswers: string[] = [];
  page.on('response', async (response) => {
    if (response.url().includes('/__harness/ipc/')) ipcAnswers.push(await response.text());
  });
  const first = await makeVideo(app.mediaDir, 'first.mp4', { seconds: 2 });
  const second = await makeVideo(app.mediaDir, 'second.mp4', { seconds: 2 });
  await openApp(page, app);
  await expect(header(page)).toHaveAccessibleName('Account · converting on this computer');

  // Hold the queue so the jobs stay queued with the profile they were added with.
  await page.getByRole('button', { name: 'Pause all' }).click();
  app.nextSources.push([first]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  await expect(page.locator('li.job')).toHaveCount(1);

  await header(page).click();
  const panel = page.getByRole('complementary', { name: 'Account and keys' });
  const runOn = panel.getByRole('group', { name: 'Run jobs on' });
  const local = runOn.getByRole('radio', { name: 'This computer' });
  const cloud = runOn.getByRole('radio', { name: 'RenderIO' });
  const message = panel.getByRole('status');
  await expect(local).toBeChecked();
  await expect(cloud).not.toBeChecked();
  await expect(cloud).toHaveAccessibleDescription(/No API key yet/);

  // No cloud key yet: choosing RenderIO is refused, and says what to do.
  await cloud.click();
  await expect(message).toContainText('RenderIO has no API key, so it cannot run jobs.');
  await expect(message.locator('.notice')).toHaveClass(/notice-warning/);
  await expect(local).toBeChecked();

  // A key from the clipboard. RenderIO cannot be reached from here: kept unverified, in a
  // warning (not a green success), and the switch is offered rather than made.
  app.clipboard.text = `${KEY}\n`;
  await panel.getByRole('button', { name: 'Paste key from clipboard' }).click();
  await expect(message).toContainText(/could not be reached/);
  await expect(message).toContainText('New jobs still run on this computer.');
  await expect(message.locator('.notice')).toHaveClass(/notice-warning/);
  await expect(message.getByRole('button', { name: 'Run jobs on RenderIO' })).toBeVisible();
  await expect(cloud).toHaveAccessibleDescription(/key not checked yet/);
  await expect(local).toBeChecked();
  await expect(header(page)).toHaveAccessibleName('Account · converting on this computer');
  await snap(page, 'app-run-on-offered');

  // Switch from the keyboard: arrow keys move the choice within the group.
  await local.focus();
  await page.keyboard.press('ArrowDown');
  await expect(cloud).toBeChecked();
  await expect(cloud).toBeFocused();
  await expect(header(page)).toHaveAccessibleName('Account · converting on RenderIO');
  await expect(message).toContainText(
    'Jobs you add now run on RenderIO. The job already in the queue finishes where it was queued.',
  );
  const cloudId = (await app.core.vault.status()).profiles.find(
    (p) => p.kind === 'cloud',
  )!.profileId;
  expect((await app.core.vault.status()).activeProfileId).toBe(cloudId);
  await snap(page, 'app-run-on-renderio');

  // A job added now is frozen with RenderIO; the one queued before keeps this computer.
  app.nextSources.push([second]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  await expect(page.locator('li.job')).toHaveCount(2);
  const byName = Object.fromEntries(
    app.core.queue.snapshot().jobs.map((j) => [j.sourceName, j.settings.profileId]),
  );
  expect(byName).toEqual({ 'first.mp4': 'local', 'second.mp4': cloudId });
  const firstRow = page.locator('li.job', { hasText: 'first.mp4' });
  const secondRow = page.locator('li.job', { hasText: 'second.mp4' });
  await expect(firstRow.locator('.place')).toHaveText('on this computer');
  await expect(secondRow.locator('.place')).toHaveCount(0);

  // And back, with the mouse.
  await local.click();
  await expect(local).toBeChecked();
  await expect(header(page)).toHaveAccessibleName('Account · converting on this computer');
  await expect(message).toContainText('Jobs you add now run on this computer.');
  expect((await app.core.vault.status()).activeProfileId).toBe('local');
  await expect(firstRow.locator('.place')).toHaveCount(0);
  await expect(secondRow.locator('.place')).toHaveText('on RenderIO');

  // Without its key, the RenderIO profile is refused by main with the reason.
  await panel.getByRole('button', { name: 'Remove key' }).click();
  await expect(cloud).toHaveAccessibleDescription(/No API key yet/);
  await cloud.click();
  await expect(message).toContainText(
    'RenderIO has no API key, so it cannot run jobs. Paste or import a key for it first. New jobs keep running on this computer.',
  );
  await expect(message.locator('.notice')).toHaveClass(/notice-warning/);
  await expect(local).toBeChecked();
  await expect(header(page)).toHaveAccessibleName('Account · converting on this computer');
  expect((await app.core.vault.status()).activeProfileId).toBe('local');
  await snap(page, 'app-run-on-refused');

  // The key was never in the page or in any answer it got.
  const seen = [await page.content(), await page.locator('body').innerText(), ...ipcAnswers];
  for (const text of seen) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(5, 37));
  }
});

test('a key RenderIO accepts moves new jobs there when this computer was only the default', async ({
  page,
  app,
}) => {
  // A cloud profile whose server answers: the real engine, with a key it issued. It checks
  // the key exactly as RenderIO would (GET /api/v1/commands?limit=1).
  const engine = app.engine;
  await app.core.vault.addProfile({ name: 'Studio', baseUrl: engine.url });
  const key = await engine.createKey();
  await openApp(page, app);
  await header(page).click();
  const panel = page.getByRole('complementary', { name: 'Account and keys' });
  const runOn = panel.getByRole('group', { name: 'Run jobs on' });
  const local = runOn.getByRole('radio', { name: 'This computer' });
  const studio = runOn.getByRole('radio', { name: 'Studio' });
  const message = panel.getByRole('status');
  await expect(local).toBeChecked();

  app.clipboard.text = key;
  await panel.getByRole('button', { name: 'Paste key from clipboard' }).click();
  await expect(message).toContainText('Key checked with RenderIO');
  await expect(message).toContainText('Jobs you add now run on Studio.');
  await expect(message.locator('.notice')).toHaveClass(/notice-success/);
  await expect(studio).toBeChecked();
  await expect(studio).toHaveAccessibleDescription(/accepted/);
  await expect(header(page)).toHaveAccessibleName('Account · converting on Studio');
  await snap(page, 'app-run-on-switched');
  // The account's own presets join the picker once it runs the jobs, and leave with it.
  const accountGroup = page.getByLabel('Preset').locator('optgroup[label="Your RenderIO account"]');
  await expect(accountGroup.getByRole('option', { name: 'MP3 audio' })).toHaveCount(1);

  // The message offers the way back; choosing it is remembered as the person's choice...
  await message.getByRole('button', { name: 'Keep converting on this computer' }).click();
  await expect(local).toBeChecked();
  await expect(header(page)).toHaveAccessibleName('Account · converting on this computer');
  expect(app.core.vault.isLocalChosen()).toBe(true);
  await expect(accountGroup).toHaveCount(0);

  // ...so the next verified key is offered, not switched to.
  app.clipboard.text = await engine.createKey();
  await panel.getByRole('button', { name: 'Paste key from clipboard' }).click();
  await expect(message).toContainText('Key checked with RenderIO');
  await expect(message).toContainText('New jobs still run on this computer.');
  await expect(local).toBeChecked();
  await message.getByRole('button', { name: 'Run jobs on Studio' }).click();
  await expect(studio).toBeChecked();
  await expect(header(page)).toHaveAccessibleName('Account · converting on Studio');
  await expect(accountGroup.getByRole('option', { name: 'MP3 audio' })).toHaveCount(1);
  expect(await page.content()).not.toContain(key);
});
