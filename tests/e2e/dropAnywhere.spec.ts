/**
 * Drop anywhere: files dragged from the file manager over any part of the window light up
 * one highlight over the whole window, and a drop on the queue (or the top bar) adds them.
 */
import type { Page } from '@playwright/test';
import { makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

/** Plays the OS's drag of real files onto `selector`: the File objects carry their disk paths. */
async function dragFiles(
  page: Page,
  selector: string,
  files: { name: string; path: string }[],
  types: ('dragenter' | 'dragover' | 'drop' | 'dragleave')[],
): Promise<void> {
  await page
    .locator(selector)
    .first()
    .evaluate(
      (el, { files, types }) => {
        const g = globalThis as unknown as {
          __harnessDropPaths: Map<string, string>;
          DataTransfer: new () => { items: { add(f: unknown): void } };
          File: new (parts: string[], name: string) => unknown;
          DragEvent: new (type: string, init: object) => unknown;
        };
        const data = new g.DataTransfer();
        for (const f of files) {
          g.__harnessDropPaths.set(f.name, f.path);
          data.items.add(new g.File(['x'], f.name));
        }
        for (const type of types)
          (el as { dispatchEvent(e: unknown): void }).dispatchEvent(
            new g.DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
          );
      },
      { files, types },
    );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a drop on the queue area adds the files, with one highlight over the window`, async ({
    page,
    app,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 800, height: 600 });
    const clip = await makeVideo(app.mediaDir, 'dropped.mp4', { seconds: 1 });
    const second = await makeVideo(app.mediaDir, 'second.mp4', { seconds: 1 });
    await openApp(page, app);
    await page.getByRole('button', { name: 'Pause all' }).click();
    await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
    await expect(page.locator('.empty')).toContainText('Drop files or folders anywhere');

    // The big empty queue area, far from the Add files box.
    await dragFiles(
      page,
      '.queue-panel .empty',
      [{ name: 'dropped.mp4', path: clip }],
      ['dragenter', 'dragover'],
    );
    const overlay = page.getByTestId('drop-overlay');
    await expect(overlay).toBeVisible();
    await expect(overlay).toContainText('Drop to add to the queue');
    // One highlight: the overlay covers the whole window; the Add files box does not light up too.
    const box = await overlay.boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 800, height: 600 });
    await expect(page.locator('.dropzone.is-over')).toHaveCount(0);
    await expectNoAxeViolations(page, `drag over ${scheme}`);
    await snap(page, `drop-anywhere-over-${scheme}`);

    await dragFiles(page, '.queue-panel .empty', [{ name: 'dropped.mp4', path: clip }], ['drop']);
    await expect(overlay).toHaveCount(0);
    const rows = page.locator('li.job');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('dropped.mp4');
    expect(app.core.queue.snapshot().jobs.map((j) => j.sourcePath)).toEqual([clip]);

    // A drag that leaves the window clears the highlight without adding anything.
    await dragFiles(
      page,
      '.topbar',
      [{ name: 'second.mp4', path: second }],
      ['dragenter', 'dragleave'],
    );
    await expect(overlay).toHaveCount(0);
    expect(app.core.queue.snapshot().jobs).toHaveLength(1);

    // The top bar takes a drop too; the new row is in view.
    await dragFiles(
      page,
      '.topbar',
      [{ name: 'second.mp4', path: second }],
      ['dragenter', 'dragover', 'drop'],
    );
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: 'second.mp4' })).toBeInViewport();
    await expectNoAxeViolations(page, `after drops ${scheme}`);
    await snap(page, `drop-anywhere-added-${scheme}`);
  });
}
