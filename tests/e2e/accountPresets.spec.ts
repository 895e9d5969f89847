/**
 * Account presets the app cannot run (a watermark preset taking a video and a logo) are in the
 * picker anyway, disabled, with the reason as the option's description and in a note; a file
 * added with one (chosen before it was changed on RenderIO) is refused before any upload.
 * The real engine stands in for RenderIO: a cloud profile at its address, with a key it issued.
 */
import { createAccountPreset, WATERMARK } from '../support/accountPresets';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test, type AppUnderTest } from './fixtures';

const REASON = 'Takes 2 inputs (in_video, in_logo); RenderIO Desktop sends one file per job.';

async function studioWithWatermark(app: AppUnderTest): Promise<string> {
  const engine = app.engine;
  const key = await engine.createKey();
  const studio = await app.core.vault.addProfile({ name: 'Studio', baseUrl: engine.url });
  expect((await app.core.setKey(key, { profileId: studio.profileId, sessionOnly: true })).ok).toBe(
    true,
  );
  await app.core.vault.setActive(studio.profileId);
  // Nothing lists the account's presets here: the app does, once it has started.
  const watermark = await createAccountPreset(engine.url, key, WATERMARK);
  return `account-${watermark.preset_id}`;
}

test('an account preset with two inputs is listed disabled with the reason, and files are refused with it', async ({
  page,
  app,
}) => {
  const watermarkId = await studioWithWatermark(app);
  await openApp(page, app);
  const picker = page.getByLabel('Preset');
  await expect(picker.locator('optgroup[label="Your RenderIO account"]')).toHaveCount(1);
  const groups = await picker
    .locator('optgroup')
    .evaluateAll((els) => els.map((e) => e.getAttribute('label')));
  expect(groups).toEqual([
    'Video',
    'Animation / thumbnail',
    'Audio',
    'Image',
    'Your RenderIO account',
  ]);
  const account = picker.locator('optgroup[label="Your RenderIO account"]');
  const watermark = account.getByRole('option', { name: 'Watermark (unavailable)' });
  await expect(watermark).toBeDisabled();
  await expect(watermark).toHaveAttribute('aria-disabled', 'true');
  await expect(watermark).toHaveAccessibleDescription(REASON);
  // The account's runnable presets sit beside it, selectable.
  await expect(account.getByRole('option', { name: 'MP3 audio' })).toBeEnabled();
  await expect(page.locator('.preset-unavailable')).toContainText(`Watermark: ${REASON}`);
  await expect(picker).toHaveValue('webm-vp9');
  await snap(page, 'app-account-presets');

  // Chosen while it still took one file, then given a logo input on RenderIO: the picker says
  // why, and the core refuses the file before anything is uploaded.
  await app.core.settings.update({ defaultPresetId: watermarkId });
  await openApp(page, app);
  await expect(picker).toHaveValue(watermarkId);
  await expect(picker).toHaveAccessibleDescription(`“Watermark” cannot be used here. ${REASON}`);
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const notice = page.locator('.notice');
  await expect(notice).toContainText('This file was not added:');
  await expect(notice).toContainText(`clip.mp4: "Watermark" cannot be used here. ${REASON}`);
  await expect(page.locator('li.job')).toHaveCount(0);
  expect(app.engine.requestLog.filter((e) => e.path.endsWith('/files/upload'))).toEqual([]);
});

test('when the account cannot be reached, the picker says why its presets are missing', async ({
  page,
  app,
}) => {
  // A profile whose RenderIO is gone: the key is kept unverified, and listing fails.
  const gone = await app.core.vault.addProfile({ name: 'Gone', baseUrl: 'http://127.0.0.1:9' });
  const key = await app.engine.createKey();
  await app.core.setKey(key, { profileId: gone.profileId, sessionOnly: true });
  await app.core.vault.setActive(gone.profileId);
  await openApp(page, app);
  const note = page.locator('.preset-field .warn-text');
  await expect(note).toContainText('Your RenderIO presets could not be listed: ');
  await expect(note).not.toContainText(key.slice(5, 15));
  // The app's own presets are still there to choose from.
  await expect(
    page.getByLabel('Preset').getByRole('option', { name: /WebM/ }).first(),
  ).toBeEnabled();
  await expect(
    page.getByLabel('Preset').locator('optgroup[label="Your RenderIO account"]'),
  ).toHaveCount(0);
});
