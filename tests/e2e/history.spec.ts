/**
 * The History drawer: files converted on this computer, then "Clear finished", are still in
 * the history; it searches by name and filters by status, opens an output and shows it in its
 * folder; after a restart of the core (the same data folder, a new engine, a new page) the
 * entries are there again; "Clear history" asks first. Each state is photographed at
 * 720x520 and 1920x1080, light and dark, with axe finding nothing.
 */
import { expect, test, type Page } from '@playwright/test';
import { basename } from 'node:path';
import { undiciFetch } from '../../electron/core/client/undiciFetch';
import { createIpcCore } from '../../electron/core/ipc/appBinding';
import { openCoreWithEngine, type CoreWithEngine } from '../support/coreWithEngine';
import { makeCorrupt, makeVideo, tempDir } from '../support/media';
import { TestCipher } from '../support/testCipher';
import { startHarness, type Harness } from './harness/server';
import { snapViews } from './support/views';

interface Running {
  opened: CoreWithEngine;
  harness: Harness;
  nextSources: string[][];
  openedFiles: string[];
  revealed: string[];
}

/** The core and the harness over `dataDir`, as the app's start does: closed and started again to restart. */
async function start(dataDir: string): Promise<Running> {
  const opened = await openCoreWithEngine({
    dataDir,
    fetch: undiciFetch,
    cipher: new TestCipher({ backend: 'gnome_libsecret', secure: true }),
    env: { RENDERIO_BASE_URL: 'http://127.0.0.1:9' },
    activateLocalEngine: true,
    throttleMs: 100,
  });
  const state = {
    nextSources: [] as string[][],
    openedFiles: [] as string[],
    revealed: [] as string[],
  };
  const harness = await startHarness({
    core: createIpcCore(opened.core, {
      dialogs: {
        pickSources: async () => state.nextSources.shift() ?? [],
        pickOutputDir: async () => null,
        pickKeyFile: async () => null,
        locateSource: async () => null,
      },
      clipboard: { readText: () => '' },
      shell: {
        showItemInFolder: (path) => void state.revealed.push(path),
        openPath: async (path) => {
          state.openedFiles.push(path);
          return '';
        },
        startDrag: () => undefined,
        openExternal: async () => undefined,
      },
    }),
  });
  return { opened, harness, ...state };
}

async function stop(run: Running | null): Promise<void> {
  if (!run) return;
  await run.harness.close();
  await run.opened.close();
}

async function openApp(page: Page, run: Running): Promise<void> {
  await page.goto(run.harness.url);
  await expect(page.locator('.app')).toHaveAttribute('data-state', 'ready');
}

test('finished jobs stay in the history after Clear finished and a restart', async ({ page }) => {
  // Three conversions, a restart, and six states photographed four times each with axe.
  test.setTimeout(240_000);
  const data = await tempDir('renderio-e2e-history-data-');
  const media = await tempDir('renderio-e2e-history-media-');
  let run: Running | null = null;
  try {
    const holiday = await makeVideo(media.path, 'holiday.mp4', { seconds: 1 });
    const office = await makeVideo(media.path, 'office.mp4', { seconds: 1 });
    const broken = await makeCorrupt(media.path, 'broken.mp4');
    run = await start(data.path);
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page, run);
    await page.getByLabel('Preset').selectOption('webm-vp9-fast');
    run.nextSources.push([holiday, office, broken]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    for (const name of ['holiday.mp4', 'office.mp4'])
      await expect(page.locator('li.job', { hasText: name }).locator('.stage')).toHaveText('Done', {
        timeout: 60_000,
      });
    await expect(page.locator('li.job', { hasText: 'broken.mp4' }).locator('.stage')).toHaveText(
      'Failed',
      { timeout: 60_000 },
    );
    const outputs = Object.fromEntries(
      run.opened.core.queue
        .snapshot()
        .jobs.filter((j) => j.stage === 'done')
        .map((j) => [j.sourceName, j.outputPaths[0]!]),
    );

    await page.getByRole('button', { name: 'Clear finished' }).click();
    await expect(page.locator('li.job', { hasText: 'holiday.mp4' })).toHaveCount(0);

    // The history still has all three, newest first.
    const toggle = page.getByRole('button', { name: 'History' });
    await toggle.click();
    const drawer = page.getByRole('dialog', { name: 'History' });
    await expect(drawer.getByRole('searchbox', { name: 'Search' })).toBeFocused();
    const rows = drawer.getByRole('list', { name: 'Finished jobs' }).getByRole('listitem');
    await expect(rows).toHaveCount(3);
    await expect(drawer.locator('.history-count')).toHaveText('3 finished jobs');
    const row = (name: string) => rows.filter({ hasText: name });
    await expect(row('holiday.mp4').locator('.history-status')).toHaveText('Done');
    await expect(row('holiday.mp4').locator('.history-preset')).toHaveText(/WebM/);
    await expect(row('holiday.mp4').locator('.history-sizes')).toHaveText(
      /^\d[\d.]* [KM]?B → \d[\d.]* [KM]?B$/,
    );
    await expect(row('holiday.mp4').locator('.history-took')).toHaveText(
      /^took (\d+(\.\d)? s|\d+:\d\d)$/,
    );
    await expect(row('holiday.mp4')).toContainText('on this computer');
    await expect(row('broken.mp4').locator('.history-status')).toHaveText('Failed');
    await expect(row('broken.mp4').locator('.history-reason')).toHaveText(/\S/);
    await expect(row('broken.mp4').getByRole('button', { name: /^Open / })).toHaveCount(0);
    await snapViews(page, 'history-list');

    // Search by name; Open and Show in folder act on main's own record of the output.
    await drawer.getByRole('searchbox', { name: 'Search' }).fill('holiday');
    await expect(rows).toHaveCount(1);
    await expect(drawer.locator('.history-summary')).toHaveText('1 of 3 match; showing 1.');
    await row('holiday.mp4')
      .getByRole('button', { name: `Open ${basename(outputs['holiday.mp4']!)}` })
      .click();
    await expect.poll(() => run!.openedFiles).toEqual([outputs['holiday.mp4']]);
    await row('holiday.mp4')
      .getByRole('button', { name: `Show in folder: ${basename(outputs['holiday.mp4']!)}` })
      .click();
    await expect.poll(() => run!.revealed).toEqual([outputs['holiday.mp4']]);
    await snapViews(page, 'history-search');

    // By status.
    await drawer.getByRole('searchbox', { name: 'Search' }).fill('');
    await drawer.getByRole('combobox', { name: 'Status' }).selectOption('failed');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('broken.mp4');
    await drawer.getByRole('combobox', { name: 'Status' }).selectOption('');
    await expect(rows).toHaveCount(3);

    // Escape closes it and gives the focus back.
    await page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);
    await expect(toggle).toBeFocused();
    await snapViews(page, 'history-button');

    // A restart: the same data folder, a new core and engine, a new page.
    await stop(run);
    run = null;
    run = await start(data.path);
    await openApp(page, run);
    await expect(page.locator('li.job', { hasText: 'holiday.mp4' })).toHaveCount(0);
    await page.getByRole('button', { name: 'History' }).click();
    await expect(rows).toHaveCount(3);
    await expect(row('office.mp4').locator('.history-status')).toHaveText('Done');
    await snapViews(page, 'history-after-restart');

    // Clear history asks first; "Keep it" keeps it.
    await drawer.getByRole('button', { name: 'Clear history…' }).click();
    const confirm = drawer.getByRole('alertdialog');
    await expect(confirm).toContainText('Clear the whole history (3 entries)?');
    await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused();
    await snapViews(page, 'history-confirm-clear');
    await confirm.getByRole('button', { name: 'Clear history' }).click();
    await expect(rows).toHaveCount(0);
    await expect(drawer.locator('.history-summary')).toContainText('Nothing here yet');
    expect(run.opened.core.history.size()).toBe(0);
    await snapViews(page, 'history-empty');
  } finally {
    await stop(run);
    await data.cleanup();
    await media.cleanup();
  }
});

test('a long history comes a page at a time, and searching asks main again', async ({ page }) => {
  const data = await tempDir('renderio-e2e-history-long-');
  let run: Running | null = null;
  try {
    run = await start(data.path);
    // 120 finishes recorded as the queue records them, without converting 120 files.
    const { history } = run.opened.core;
    const at = Date.now() - 120 * 60_000;
    for (let i = 0; i < 120; i++)
      history.record({
        id: `entry-${i}`,
        jobId: `job-${i}`,
        status: i % 10 === 3 ? 'failed' : 'done',
        sourcePath: `/nowhere/take-${String(i).padStart(3, '0')}.mov`,
        sourceName: `take-${String(i).padStart(3, '0')}.mov`,
        sourceSize: 2_000_000 + i,
        presetId: i % 2 ? 'mp4-h264' : 'gif',
        presetName: i % 2 ? 'H.264 MP4' : 'GIF',
        ranOn: { local: true, profileId: 'local', label: 'this computer' },
        outputPaths: i % 10 === 3 ? [] : [`/nowhere/take-${i}.out`],
        outputBytes: i % 10 === 3 ? null : 1_000_000,
        startedAt: at + i * 60_000,
        finishedAt: at + i * 60_000 + 30_000,
        tookMs: 30_000,
        reason: i % 10 === 3 ? 'The output folder is full.' : null,
      });
    await history.flush();
    await page.setViewportSize({ width: 720, height: 520 });
    await openApp(page, run);
    await page.getByRole('button', { name: 'History' }).click();
    const drawer = page.getByRole('dialog', { name: 'History' });
    const rows = drawer.getByRole('list', { name: 'Finished jobs' }).getByRole('listitem');
    await expect(rows).toHaveCount(50);
    await expect(rows.first()).toContainText('take-119.mov');
    await expect(drawer.locator('.history-summary')).toHaveText('Showing 50 of 120, newest first.');
    // Outputs that are not on disk offer no Open.
    await expect(rows.first().getByRole('button', { name: /^Open / })).toHaveCount(0);
    await expect(rows.first()).toContainText('moved or deleted since');
    await drawer.getByRole('button', { name: 'Show more' }).click();
    await expect(rows).toHaveCount(100);
    await drawer.getByRole('button', { name: 'Show more' }).click();
    await expect(rows).toHaveCount(120);
    await expect(drawer.getByRole('button', { name: 'Show more' })).toHaveCount(0);

    await drawer.getByRole('searchbox', { name: 'Search' }).fill('gif');
    await expect(drawer.locator('.history-summary')).toHaveText('60 of 120 match; showing 50.');
    await drawer.getByRole('combobox', { name: 'Status' }).selectOption('failed');
    await expect(drawer.locator('.history-summary')).toHaveText('No finished job matches.');
    await expect(rows).toHaveCount(0);
    await drawer.getByRole('searchbox', { name: 'Search' }).fill('');
    await expect(rows).toHaveCount(12);
    await expect(rows.first()).toContainText('The output folder is full.');
    await snapViews(page, 'history-failed-filter');
  } finally {
    await stop(run);
    await data.cleanup();
  }
});
