/**
 * The app's keys and menu commands in real Chromium against the real core (issue 12, "Keyboard
 * and menu"): Ctrl+O, Space, Delete and Ctrl+, in the window, none of them while typing; menu
 * clicks as main sends them (the harness pushes on menu:command as webContents.send does); and
 * where the focus goes after Retry, Cancel, Remove and closing what a key opened
 * (document.activeElement). Screenshots and axe on each state.
 */
import type { Page } from '@playwright/test';
import { MENU_COMMAND_CHANNEL } from '../../shared/ipc/channels';
import { makeCorrupt, makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';
import { snapViews } from './support/views';

/** What has the focus: its accessible name or text, and the job row it is in. */
async function focused(page: Page): Promise<{ tag: string; text: string; row: string | null }> {
  return page.evaluate(() => {
    const el = (
      globalThis as unknown as {
        document: {
          activeElement: {
            tagName: string;
            textContent: string | null;
            getAttribute(n: string): string | null;
            closest(s: string): {
              getAttribute(n: string): string | null;
              querySelector(s: string): { textContent: string | null } | null;
            } | null;
          } | null;
        };
      }
    ).document.activeElement;
    const row = el?.closest('li.job') ?? null;
    return {
      tag: el?.tagName ?? '',
      text: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
      row: row?.querySelector('.job-name')?.textContent ?? null,
    };
  });
}

/** Nothing focused: keys go to the page itself. */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } })
      .document;
    d.activeElement?.blur?.();
  });
}

const state = (page: Page) => page.getByTestId('queue-state').locator('.queue-state-label');

test('Space, Ctrl+O, Delete and Ctrl+, in the window; nothing while typing', async ({
  page,
  app,
}) => {
  const first = await makeVideo(app.mediaDir, 'first.mp4', { seconds: 2 });
  const second = await makeVideo(app.mediaDir, 'second.mp4', { seconds: 2 });
  const third = await makeVideo(app.mediaDir, 'third.mp4', { seconds: 2 });
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');

  // Space on the page pauses the queue (Ready → Paused), so added files wait.
  await blur(page);
  await page.keyboard.press('Space');
  await expect(state(page)).toHaveText('Paused');
  await expect(page.getByTestId('live-region')).toContainText('Queue paused.');

  // Ctrl+O is Add files…: main's dialog (the harness answers for it), then the rows.
  app.nextSources.push([first, second, third]);
  await page.keyboard.press('Control+o');
  const rows = page.locator('li.job');
  await expect(rows).toHaveCount(3);
  expect(app.sourcePicks).toEqual(['files']);

  // Typing a space (and deleting it) in the file-name field is typing, not a command.
  const name = page.getByLabel('File name');
  const before = await name.inputValue();
  await name.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Space');
  await expect(name).toHaveValue(`${before} `);
  await page.keyboard.press('Backspace');
  await expect(name).toHaveValue(before);
  await expect(state(page)).toHaveText('Paused');
  await expect(rows).toHaveCount(3);
  await snap(page, 'shortcuts-typing');

  // Delete on a focused row removes it; the focus goes to the next row.
  await rows.filter({ hasText: 'first.mp4' }).locator('.job-name').click();
  await page.keyboard.press('Delete');
  await expect(rows).toHaveCount(2);
  expect(await focused(page)).toMatchObject({ row: 'second.mp4' });
  // At the end of the list the previous row takes it; with none left, Add files… does.
  await rows.filter({ hasText: 'third.mp4' }).locator('.job-name').click();
  await page.keyboard.press('Delete');
  await expect(rows).toHaveCount(1);
  expect(await focused(page)).toMatchObject({ row: 'second.mp4' });
  await snapViews(page, 'shortcuts-delete');
  await page.keyboard.press('Delete');
  await expect(rows).toHaveCount(0);
  expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Add files…' });
  expect(app.core.queue.snapshot().jobs).toEqual([]);

  // Space on a button presses the button, not the queue: Add files… opens its dialog.
  await page.keyboard.press('Space');
  await expect.poll(() => app.sourcePicks.length).toBe(2);
  await expect(state(page)).toHaveText('Paused');

  // Space on the page again resumes.
  await blur(page);
  await page.keyboard.press('Space');
  await expect(state(page)).not.toHaveText('Paused');
  await expect(page.getByTestId('live-region')).toContainText('Queue resumed.');

  // Ctrl+, opens Settings in the Tools drawer with the focus on its tab; Escape closes it and
  // the focus goes back to where it was (the preset picker).
  const picker = page.getByLabel('Preset');
  await picker.focus();
  await page.keyboard.press('Control+,');
  const drawer = page.locator('#tools-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('tab', { name: 'Settings' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(drawer.getByRole('tab', { name: 'Settings' })).toBeFocused();
  await snapViews(page, 'shortcuts-settings');
  // Space inside the drawer belongs to its controls: the queue is not paused by it.
  await page.keyboard.press('Space');
  await expect(state(page)).not.toHaveText('Paused');
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(picker).toBeFocused();
});

test('menu commands from main reach the page: settings, pause, add files, the shortcut list', async ({
  page,
  app,
}) => {
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 2 });
  await openApp(page, app);
  const push = (command: string) => app.harness.push(MENU_COMMAND_CHANNEL, { command });

  // A toolbar control that goes away hands the focus on: Pause all → Resume → Pause all.
  await page.getByRole('button', { name: 'Pause all' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Pause all' })).toBeFocused();

  push('pause-resume');
  await expect(state(page)).toHaveText('Paused');
  push('pause-resume');
  await expect(state(page)).not.toHaveText('Paused');

  push('stop-after-current');
  await expect(state(page)).toHaveText('Stopped');
  app.nextSources.push([clip]);
  push('add-files');
  await expect(page.locator('li.job')).toHaveCount(1);
  expect(app.sourcePicks).toEqual(['files']);
  app.nextSources.push([]);
  push('add-folder');
  await expect.poll(() => app.sourcePicks).toEqual(['files', 'folder']);

  // An id the table does not have is ignored (the page checks what main sends).
  push('format-disk');
  push('settings');
  const drawer = page.locator('#tools-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('tab', { name: 'Settings' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);

  // Help → Keyboard Shortcuts: the table, in a modal; Escape closes it.
  await page.getByRole('button', { name: 'Add folder…' }).focus();
  push('shortcuts');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Add Files… Ctrl\+O/ })).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Pause \/ Resume Queue Space/ })).toBeVisible();
  await snapViews(page, 'shortcuts-list');
  // Keys do nothing behind a modal.
  await page.keyboard.press('Control+o');
  expect(app.sourcePicks).toEqual(['files', 'folder']);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Add folder…' })).toBeFocused();

  // Nothing to open: results go beside their sources and none is finished; the page says so.
  push('open-output-folder');
  await expect(page.locator('.notice')).toContainText('none is finished yet');
  await expectNoAxeViolations(page, 'after menu commands');
});

test('the focus stays on the row after Retry and Cancel, and moves on after Remove', async ({
  page,
  app,
}) => {
  const broken = await makeCorrupt(app.mediaDir, 'broken.mp4');
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 2 });
  const other = await makeVideo(app.mediaDir, 'other.mp4', { seconds: 2 });
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');

  app.nextSources.push([broken]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const brokenRow = page.locator('li.job').filter({ hasText: 'broken.mp4' });
  await expect(brokenRow.locator('.stage')).toHaveText('Failed', { timeout: 30_000 });

  // Retry from the keyboard: the button goes away, the focus stays on the row (its Cancel
  // while it runs, its Retry once it failed again), never the page.
  const stages: string[] = [];
  const stop = app.core.queue.subscribe((patches) => {
    for (const p of patches)
      if (p.type === 'upsert') stages.push(p.job.stage);
      else if (p.type === 'progress') stages.push(p.stage);
  });
  await brokenRow.getByRole('button', { name: 'Retry broken.mp4' }).focus();
  await page.keyboard.press('Enter');
  // It ran again and failed again.
  await expect
    .poll(() => stages.slice(stages.indexOf('queued')).at(-1), { timeout: 30_000 })
    .toBe('failed');
  stop();
  await expect(brokenRow.locator('.stage')).toHaveText('Failed');
  await expect.poll(() => focused(page)).toMatchObject({ row: 'broken.mp4' });
  expect((await focused(page)).tag).toBe('BUTTON');
  await snapViews(page, 'shortcuts-retry-focus');

  // Cancel a waiting job: its Retry takes the focus.
  await page.getByRole('button', { name: 'Pause all' }).click();
  app.nextSources.push([clip, other]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const clipRow = page.locator('li.job').filter({ hasText: 'clip.mp4' });
  await clipRow.getByRole('button', { name: 'Cancel clip.mp4' }).focus();
  await page.keyboard.press('Enter');
  await expect(clipRow.locator('.stage')).toHaveText('Cancelled');
  await expect(clipRow.getByRole('button', { name: 'Retry clip.mp4' })).toBeFocused();

  // Remove with the button: the next row takes the focus.
  await clipRow.getByRole('button', { name: 'Remove clip.mp4' }).focus();
  await page.keyboard.press('Enter');
  await expect(clipRow).toHaveCount(0);
  expect(await focused(page)).toMatchObject({ row: 'other.mp4' });
  await expectNoAxeViolations(page, 'after remove');
});
