/**
 * Results you can use: a finished row offers Open, Show in folder and Details, lets the
 * output be dragged out of the window (main's native drag gets the real file), and shows the
 * output size beside the source size and the time taken. Finished rows have no move arrows;
 * Cancel and Remove say what they do; the buttons sit in the same place on every row.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { makeVideo } from '../support/media';
import { expect, openApp, test } from './fixtures';
import { snapViews } from './support/views';

test('a finished job opens, shows in its folder, drags out and says what it made', async ({
  page,
  app,
}) => {
  const clip = await makeVideo(app.mediaDir, 'clip.mp4', { seconds: 2 });
  const later = await makeVideo(app.mediaDir, 'later.mp4', { seconds: 1 });
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  app.nextSources.push([clip]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const row = page.locator('li.job', { hasText: 'clip.mp4' });
  await expect(row.locator('.stage')).toHaveText('Done', { timeout: 60_000 });
  const output = join(app.mediaDir, 'clip-webm.webm');

  // Sizes: the source's, then the output's, as main measured the saved file.
  const job = app.core.queue.snapshot().jobs[0]!;
  expect(job.outputBytes).toBe(statSync(output).size);
  await expect(row.locator('.sizes')).toHaveText(/^\d[\d.]* [KM]?B → \d[\d.]* [KM]?B$/);
  await expect(row.locator('.took')).toHaveText(/^took (\d+(\.\d)? s|\d+:\d\d)$/);
  // Nowhere to move a finished job to.
  await expect(row.getByRole('button', { name: /^Move clip\.mp4/ })).toHaveCount(0);

  await row.getByRole('button', { name: 'Open clip-webm.webm' }).click();
  await expect.poll(() => app.openedFiles).toEqual([output]);
  await row.getByRole('button', { name: 'Show in folder: clip-webm.webm' }).click();
  await expect.poll(() => app.revealed).toEqual([output]);

  // Dragging the output name hands the real file to main's native drag.
  await row.locator('.output-name').dispatchEvent('dragstart');
  await expect.poll(() => app.dragged).toEqual([output]);

  // A file the system cannot open says so, in words.
  app.nextOpenProblem = 'No application is associated with this file type';
  await row.getByRole('button', { name: 'Open clip-webm.webm' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'clip-webm.webm could not be opened: No application is associated with this file type',
  );
  app.nextOpenProblem = '';

  // A waiting job beside it: its buttons line up with the finished row's.
  await page.getByRole('button', { name: 'Pause all' }).click();
  app.nextSources.push([later]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  const waiting = page.locator('li.job', { hasText: 'later.mp4' });
  await expect(waiting.locator('.stage')).toHaveText('Waiting');
  const cancel = waiting.getByRole('button', { name: 'Cancel later.mp4' });
  const remove = waiting.getByRole('button', { name: 'Remove later.mp4' });
  await expect(cancel).toHaveAttribute('title', /stays in the list so you can retry it/);
  await expect(remove).toHaveAttribute('title', /off the list without converting it/);
  await expect(row.getByRole('button', { name: 'Remove clip.mp4' })).toHaveAttribute(
    'title',
    /its converted file stays/,
  );
  const x = async (scope: typeof row, name: RegExp) =>
    (await scope.getByRole('button', { name }).boundingBox())!.x;
  expect(await x(waiting, /^Remove /)).toBe(await x(row, /^Remove /));
  expect(await x(waiting, /^Details /)).toBe(await x(row, /^Details /));
  expect(await x(waiting, /^Cancel /)).toBe(await x(row, /^Open /));
  // The arrows stay on the waiting job.
  await expect(waiting.getByRole('button', { name: 'Move later.mp4 up' })).toBeEnabled();
  await snapViews(page, 'results');
});
