/**
 * A queue that states its state: Running, Paused, Stopping after current, Stopped, each with
 * the one control that moves it on (Pause all, Resume, Start), and waiting rows that say why
 * they wait, naming the button on screen. Screenshots of each state at 800x600, light and
 * dark; axe on each. The empty queue's own "Add files to the queue…" in the smallest window.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeVideo } from '../support/media';
import type { Page } from '@playwright/test';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';
import { snapViews } from './support/views';

const HOLDS_NEXT = 'Nothing is running: Pause all makes files added next wait for Resume.';

/**
 * The header's words, the toolbar's buttons and the waiting rows' reasons, read at one instant
 * (the queue moves from Stopping to Stopped on its own).
 */
async function readQueue(page: Page) {
  return page.evaluate(() => {
    interface El {
      textContent: string | null;
      querySelectorAll(selector: string): Iterable<El>;
    }
    const doc = (
      globalThis as unknown as { document: El & { querySelector(s: string): El | null } }
    ).document;
    const text = (el: El | null) => el?.textContent ?? '';
    const buttons = [
      ...doc.querySelectorAll('[role="group"][aria-label="Queue controls"] button'),
    ].map(text);
    const reasons = [...doc.querySelectorAll('li.job[data-stage="queued"]')].map(text);
    return { state: text(doc.querySelector('[data-testid="queue-state"]')), buttons, reasons };
  });
}

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
    // Nothing to pause yet: the button says what it does here (the files added next wait).
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).toHaveAccessibleDescription(
      HOLDS_NEXT,
    );

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
    // Something to pause: no note.
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).not.toHaveAttribute(
      'aria-describedby',
    );
    await toolbar.getByRole('button', { name: 'Stop after current' }).click();
    // The running jobs finish; the rest wait, and the state says so.
    await expect(state).toContainText(/Stopping after current|Stopped/);
    await expect(
      toolbar
        .getByRole('button', { name: 'Resume' })
        .or(toolbar.getByRole('button', { name: 'Start' })),
    ).toBeVisible();
    // Whatever the header and the waiting rows say to press is the button on screen: Resume
    // while the running jobs finish, Start once they have.
    const seen = await readQueue(page);
    const named = seen.state.match(/wait for (\w+)\./)?.[1];
    if (named) expect(seen.buttons).toContain(named);
    for (const reason of seen.reasons) {
      const runs = reason.match(/queue (?:stopping|stopped): (\w+) runs it/)?.[1];
      expect(runs, reason).toBeDefined();
      expect(seen.buttons).toContain(runs);
    }
    if (seen.state.includes('Stopping after current')) {
      expect(seen.buttons).toContain('Resume');
      expect(seen.state).not.toContain('for Start');
    }
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
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).toHaveAccessibleDescription(
      HOLDS_NEXT,
    );
    await expectNoAxeViolations(page, 'finished');
    await snap(page, `queue-state-finished-${scheme}`);
  });
}

test('the empty queue fits the smallest window: its text and its own Add files to the queue…', async ({
  page,
  app,
}) => {
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 1 });
  await page.setViewportSize({ width: 720, height: 520 });
  await openApp(page, app);
  const empty = page.locator('.queue-panel .empty');
  await expect(empty).toContainText('Nothing in the queue yet.');
  await expect(empty).toContainText(
    'Drop files or folders anywhere in this window, or add them here; each file becomes a job.',
  );
  const add = empty.getByRole('button', { name: 'Add files to the queue…' });
  await expect(add).toBeEnabled();
  await expect(add).toHaveAccessibleDescription(/Drop files or folders anywhere/);
  // Wholly in the window, not under the fold where the Convert column's Add files… is.
  const box = await add.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(520);
  await snapViews(page, 'queue-empty');

  // The same dialog as Add files…: the file picked becomes a job.
  await toolbarPause(page);
  app.nextSources.push([clip]);
  await add.click();
  await expect(page.locator('li.job', { hasText: 'clip.mp4' })).toBeVisible();
  expect(app.sourcePicks).toEqual(['files']);
});

async function toolbarPause(page: Page): Promise<void> {
  const toolbar = page.getByRole('group', { name: 'Queue controls' });
  await toolbar.getByRole('button', { name: 'Pause all' }).click();
  await expect(toolbar.getByRole('button', { name: 'Resume' })).toBeVisible();
}
