/**
 * The selection and Change… in Chromium against the real core and engine: select all in a
 * queue longer than the screen (every job, not only the rows drawn), cancel, retry and remove
 * the selected jobs, and change a queued job's preset and folder from its row, with the
 * result landing there while the window's picker keeps its default. Each state is shot at
 * 720x520 and 1280x720, light and dark, and checked by axe.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeAudio, makeVideo, probe } from '../support/media';
import { expect, openApp, snap, test, type AppUnderTest } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

const SIZES = [
  { width: 720, height: 520 },
  { width: 1280, height: 720 },
] as const;

async function shoot(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await snap(page, `${name}-${size.width}x${size.height}-${theme}`);
      await expectNoAxeViolations(page);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (before) await page.setViewportSize(before);
}

function stages(app: AppUnderTest): string[] {
  return [...new Set(app.core.queue.snapshot().jobs.map((j) => j.stage))].sort();
}

const JOBS = 120;

/** JOBS queued jobs, paused (their sources need only exist), in a 1280x720 window. */
async function openWithPausedQueue(page: Page, app: AppUnderTest): Promise<void> {
  app.core.queue.pauseAll();
  const paths: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    const path = join(app.mediaDir, `clip-${String(i).padStart(3, '0')}.mp4`);
    writeFileSync(path, 'x');
    paths.push(path);
  }
  expect((await app.core.queue.add({ paths, presetId: 'webm-vp9' })).added).toHaveLength(JOBS);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, app);
}

test('select all in a queue longer than the screen; cancel, retry and remove the selected', async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  await openWithPausedQueue(page, app);
  const rows = page.locator('li.job');
  await expect(rows.first()).toContainText('clip-000.mp4');
  expect(await rows.count()).toBeLessThan(JOBS / 2);

  const bar = page.getByRole('group', { name: 'Selected jobs' });
  const selectAll = bar.getByRole('checkbox', { name: 'Select all' });
  const cancel = bar.locator('[data-selection-action="cancel"]');
  const retry = bar.locator('[data-selection-action="retry"]');
  const remove = bar.locator('[data-selection-action="remove"]');
  const change = bar.locator('[data-selection-action="change"]');
  await expect(bar).toContainText('None selected');
  for (const button of [cancel, retry, remove, change])
    await expect(button).toHaveAttribute('aria-disabled', 'true');
  await shoot(page, 'selection-none');

  // Ctrl+A in the list: every job of the queue, not only the rows drawn.
  await rows.first().locator('.row-focus').focus();
  await page.keyboard.press('Control+a');
  await expect(selectAll).toBeChecked();
  await expect(bar).toContainText(`${JOBS} of ${JOBS} selected`);
  await expect(cancel).toHaveText(`Cancel ${JOBS}`);
  await expect(remove).toHaveText(`Remove ${JOBS}`);
  await expect(change).toHaveText(`Change ${JOBS}…`);
  await expect(retry).toHaveText('Retry');
  await expect(retry).toHaveAttribute('aria-disabled', 'true');
  await expect(rows.first().getByRole('checkbox')).toBeChecked();
  await shoot(page, 'selection-all');

  // One row unticked: the header box is mixed; ticking it again selects all.
  await rows.nth(1).getByRole('checkbox', { name: 'Select clip-001.mp4' }).uncheck();
  await expect(bar).toContainText(`${JOBS - 1} of ${JOBS} selected`);
  expect(
    await selectAll.evaluate((el) => (el as unknown as { indeterminate: boolean }).indeterminate),
  ).toBe(true);
  await shoot(page, 'selection-some');
  await selectAll.click();
  await expect(bar).toContainText(`${JOBS} of ${JOBS} selected`);

  // Cancel all: main cancels each job, those far off screen too; the focus stays on the button.
  await cancel.click();
  await expect.poll(() => stages(app)).toEqual(['cancelled']);
  await expect(retry).toHaveText(`Retry ${JOBS}`);
  await expect(cancel).toHaveText('Cancel');
  await expect(cancel).toHaveAttribute('aria-disabled', 'true');
  await expect(cancel).toBeFocused();
  await expect(page.getByTestId('live-region')).toContainText(`Cancelled ${JOBS} jobs.`);
  await expect(rows.first().locator('.stage')).toHaveText('Cancelled');
  await shoot(page, 'selection-cancelled');

  // Retry all: back in the (paused) queue, every one of them.
  await retry.click();
  await expect.poll(() => stages(app).includes('cancelled')).toBe(false);
  await expect(cancel).toHaveText(`Cancel ${JOBS}`);
  await expect(retry).toBeFocused();
  await expect(page.getByTestId('live-region')).toContainText(`Retrying ${JOBS} jobs.`);

  // Remove all but the first two: the last row's job is gone from main too.
  await rows.first().getByRole('checkbox').uncheck();
  await rows.nth(1).getByRole('checkbox').uncheck();
  await expect(remove).toHaveText(`Remove ${JOBS - 2}`);
  await remove.click();
  await expect(page.getByRole('heading', { name: 'Queue 2', level: 2 })).toBeVisible();
  expect(app.core.queue.snapshot().jobs.map((j) => j.sourceName)).toEqual([
    'clip-000.mp4',
    'clip-001.mp4',
  ]);
  await expect(bar).toContainText('None selected');
  // The focus is still in the bar, never dropped to the page.
  await expect(remove).toBeFocused();
  await shoot(page, 'selection-removed');
});

test('Shift-click ticks a range, across rows far off screen, and unticks one the same way', async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  await openWithPausedQueue(page, app);
  const bar = page.getByRole('group', { name: 'Selected jobs' });
  const box = (n: number) =>
    page.getByRole('checkbox', { name: `Select clip-${String(n).padStart(3, '0')}.mp4` });

  await box(2).click();
  await expect(bar).toContainText(`1 of ${JOBS} selected`);
  // The last row: the rows between are no longer drawn, and the page keeps no job of them (the
  // focused row 2 stays drawn, as the list keeps the focus's row).
  await page.locator('.virtual-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(box(119)).toBeVisible();
  await expect(box(60)).toHaveCount(0);
  await box(119).click({ modifiers: ['Shift'] });
  await expect(bar).toContainText(`118 of ${JOBS} selected`);
  await expect(bar.locator('[data-selection-action="remove"]')).toHaveText('Remove 118');
  await expect(box(119)).toBeChecked();
  await expect(box(118)).toBeChecked();
  await expect(page.getByTestId('live-region')).toContainText(
    '118 jobs selected; 118 selected in all.',
  );
  await shoot(page, 'selection-range');

  // From the same anchor, a Shift-click on a ticked box unticks 2…4: 5…119 stay.
  await page.locator('.virtual-scroller').evaluate((el) => (el.scrollTop = 0));
  await expect(box(4)).toBeChecked();
  await box(4).click({ modifiers: ['Shift'] });
  await expect(bar).toContainText(`115 of ${JOBS} selected`);
  for (const n of [2, 3, 4]) await expect(box(n)).not.toBeChecked();
  await expect(box(5)).toBeChecked();
  await expect(box(1)).not.toBeChecked();
  expect(app.core.queue.snapshot().jobs).toHaveLength(JOBS);
});

test("Change… a queued job's preset and folder: the output lands there, the picker keeps its default", async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
  const tone = await makeAudio(app.mediaDir, 'tone.wav', { seconds: 1 });
  const out = join(app.mediaDir, 'changed');
  mkdirSync(out);
  app.core.queue.pauseAll();
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, app);
  const picker = page.getByLabel('Preset', { exact: true }).first();
  await picker.selectOption('webm-vp9');
  app.nextSources.push([clip, tone]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const rows = page.locator('li.job');
  await expect(rows).toHaveCount(2);
  const clipRow = rows.filter({ hasText: 'clip.mp4' });

  // From the row: the dialog offers only presets that take a video.
  const open = clipRow.getByRole('button', { name: 'Change clip.mp4' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Change clip.mp4' });
  await expect(dialog).toBeVisible();
  const preset = dialog.getByLabel('Preset');
  await expect(preset).toHaveValue('webm-vp9');
  const offered = await preset
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
  expect(offered).toContain('mp3');
  expect(offered).not.toContain('image-png');
  await expect(dialog.getByText(/not listed: they cannot take video files/)).toBeVisible();
  const save = dialog.getByRole('button', { name: 'Save' });
  await expect(save).toBeDisabled();
  await shoot(page, 'change-open');

  await preset.selectOption('mp3');
  app.nextOutputDir = out;
  await dialog.getByRole('radio', { name: 'In a folder' }).check();
  await expect(dialog.getByTestId('change-folder')).toHaveText(out);
  // A name template that cannot make a name blocks saving, with the reason.
  const name = dialog.getByLabel('File name');
  await name.fill('{nope}');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText(/\{nope\}/).first()).toBeVisible();
  await expect(save).toBeDisabled();
  await shoot(page, 'change-invalid-name');
  await name.fill('{name}-changed');
  await expect(dialog.getByText('clip-changed.mp3')).toBeVisible();
  await expect(save).toBeEnabled();
  await shoot(page, 'change-ready');
  await save.click();
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
  await expect(clipRow.locator('.badge')).toHaveText('MP3');
  await expect(page.getByTestId('live-region')).toContainText('Changed 1 job.');

  // The window's defaults are untouched: the picker and the output settings.
  await expect(picker).toHaveValue('webm-vp9');
  const settings = await app.core.settings.get();
  expect(settings.defaultPresetId).toBe('webm-vp9');
  expect(settings.outputDir).toBeNull();

  // The selection's Change…: a video and a sound, so only presets that take both are offered.
  // Select all asks main for every job first, so the box turns checked once it has answered:
  // a click, then the state (check() wants it at once).
  const all = page.getByRole('group', { name: 'Selected jobs' }).getByRole('checkbox');
  await all.click();
  await expect(all).toBeChecked();
  const many = page.locator('[data-selection-action="change"]');
  await expect(many).toHaveText('Change 2…');
  await many.click();
  const both = page.getByRole('dialog', { name: 'Change 2 selected jobs' });
  const values = await both
    .getByLabel('Preset')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
  expect(values[0]).toBe('');
  expect(values).toContain('mp3');
  expect(values).not.toContain('webm-vp9');
  await shoot(page, 'change-selection');
  await both.getByRole('button', { name: 'Close' }).click();
  await expect(many).toBeFocused();

  // Run: the result is an MP3 in the chosen folder, named by the new template.
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(clipRow.locator('.stage')).toHaveText('Done', { timeout: 60_000 });
  const result = join(out, 'clip-changed.mp3');
  expect(existsSync(result)).toBe(true);
  const probed = await probe(result);
  expect(probed.streams.map((s) => s.codec_name)).toEqual(['mp3']);
  expect(existsSync(join(app.mediaDir, 'clip-webm.webm'))).toBe(false);
  // A started job has no Change… any more.
  await expect(clipRow.getByRole('button', { name: 'Change clip.mp4' })).toHaveCount(0);
});

test('Change… saved after the job has started is refused by main, with the reason in the dialog', async ({
  page,
  app,
}) => {
  const clip = await makeVideo(app.mediaDir, 'late.mp4', { seconds: 1 });
  app.core.queue.pauseAll();
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, app);
  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job').filter({ hasText: 'late.mp4' });
  await row.getByRole('button', { name: 'Change late.mp4' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change late.mp4' });
  await dialog.getByLabel('Preset').selectOption('mp3');

  // Meanwhile the queue runs it: the change comes too late.
  app.core.queue.resumeAll();
  await expect.poll(() => app.core.queue.snapshot().jobs[0]?.stage).not.toBe('queued');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    /late\.mp4 has already (started|finished): only a job that has not started/,
  );
  await expect(dialog).toBeVisible();
  await shoot(page, 'change-refused');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  expect(app.core.queue.snapshot().jobs[0]?.settings.presetId).toBe('webm-vp9');
});
