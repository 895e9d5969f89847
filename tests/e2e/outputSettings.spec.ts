/** Output settings chosen in the UI are saved in main and frozen into each job. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { codecOf, makeAudio, probe } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';

test('a chosen folder, a naming template and "keep both" shape the output names', async ({
  page,
  app,
}) => {
  const song = await makeAudio(app.mediaDir, 'song.wav', { seconds: 2, format: 'wav' });
  const outDir = join(app.mediaDir, 'out');
  mkdirSync(outDir);
  await openApp(page, app);

  const presets = await page
    .getByLabel('Preset')
    .locator('optgroup[label="Audio"] option')
    .evaluateAll((els) =>
      els.map((e) => ({
        value: (e as unknown as { value: string }).value,
        label: e.textContent ?? '',
      })),
    );
  const mp3 = presets.find((p) => /mp3/i.test(p.value) || /mp3/i.test(p.label));
  expect(mp3, 'an MP3 preset is offered under Audio').toBeDefined();
  await page.getByLabel('Preset').selectOption(mp3!.value);

  app.nextOutputDir = outDir;
  await page.getByRole('radio', { name: 'In a folder' }).click();
  await expect(page.getByRole('radio', { name: 'In a folder' })).toBeChecked();
  await expect(page.locator('.folder-row .path')).toHaveAttribute('title', outDir);
  await expect(page.locator('.folder-row .path')).toHaveText(/\/out$/);
  const name = page.getByLabel('File name');
  await name.fill('{name}-{preset}');
  await name.press('Enter');
  await expect.poll(() => app.core.settings.get().nameTemplate).toBe('{name}-{preset}');
  await page.getByLabel('If a file with that name exists').selectOption('rename');
  expect(app.core.settings.get()).toMatchObject({
    outputDir: outDir,
    collision: 'rename',
    defaultPresetId: mp3!.value,
  });

  // The same file twice: the second add asks first (its result is still there); converted
  // again, the run finds the first output and keeps both.
  const rows = page.locator('li.job');
  for (let i = 1; i <= 2; i++) {
    app.nextSources.push([song]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    if (i === 2) {
      const notice = page.getByRole('status').filter({ hasText: 'already converted' });
      await notice.getByRole('button', { name: 'Convert again' }).click();
    }
    await expect(rows).toHaveCount(i);
    await expect(rows.nth(i - 1).locator('.stage')).toHaveText('Done', { timeout: 60_000 });
  }
  const base = `song-${mp3!.value}`;
  const outputs = [join(outDir, `${base}.mp3`), join(outDir, `${base} (1).mp3`)];
  for (const output of outputs) {
    expect(existsSync(output), output).toBe(true);
    expect(codecOf(await probe(output), 'audio')).toBe('mp3');
  }
  await expect(rows.locator('.output-name')).toHaveText(
    outputs.map((o) => `→ ${o.split('/').pop()}`),
    { ignoreCase: false },
  );
  await snap(page, 'app-output-folder');
});
