/**
 * Honest progress on this computer: no "Queued on server" for a job that waits on no server,
 * each row's one bar (the job across its stages) and the overall bar never move backwards,
 * the overall bar does not read 100 % while a job runs, no "a few seconds left" before the
 * end, a failure and a cancel are counted apart (the text, the count and the bar agree), and
 * the queue's time left appears while it runs.
 */
import type { Page } from '@playwright/test';
import { makeCorrupt, makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

interface Seen {
  stages: string[];
  details: string[];
  overall: { now: number; text: string; eta: string | null }[];
  rows: Record<string, number[]>;
  /** Each row's values with what its status said then, for a failure's message. */
  trails: Record<string, string[]>;
  etas: string[];
}

/** Records everything the rows and the overall bar show, as it changes. */
async function watch(page: Page): Promise<void> {
  await page.evaluate(() => {
    type El = {
      textContent: string | null;
      getAttribute(n: string): string | null;
      closest(s: string): El | null;
      querySelector(s: string): El | null;
    };
    const g = globalThis as unknown as {
      document: {
        querySelectorAll(s: string): ArrayLike<El>;
        querySelector(s: string): El | null;
        body: unknown;
      };
      MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void };
      __seen: Seen;
    };
    const seen: Seen = { stages: [], details: [], overall: [], rows: {}, trails: {}, etas: [] };
    g.__seen = seen;
    const record = () => {
      for (const el of Array.from(g.document.querySelectorAll('li.job .stage')))
        seen.stages.push(el.textContent ?? '');
      for (const el of Array.from(g.document.querySelectorAll('li.job .job-status')))
        seen.details.push(el.textContent ?? '');
      for (const row of Array.from(g.document.querySelectorAll('li.job'))) {
        const id = row.getAttribute('data-job-id') ?? '';
        const value = row.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow');
        if (value) {
          (seen.rows[id] ??= []).push(Number(value));
          const status = row.querySelector('.job-status')?.textContent ?? '';
          (seen.trails[id] ??= []).push(`${value} ${status}`);
        }
      }
      const bar = g.document.querySelector('[aria-label="Overall progress"]');
      const now = bar?.getAttribute('aria-valuenow');
      const text = g.document.querySelector('.aggregate-text')?.textContent ?? '';
      const eta = g.document.querySelector('[data-testid="queue-eta"]')?.textContent;
      if (now) seen.overall.push({ now: Number(now), text, eta: eta ?? null });
      if (eta) seen.etas.push(eta);
    };
    new g.MutationObserver(record).observe(g.document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
}

async function seenSoFar(page: Page): Promise<Seen> {
  return (await page.evaluate(() => (globalThis as unknown as { __seen: Seen }).__seen)) as Seen;
}

function expectNeverBack(values: number[], what: string): void {
  for (let i = 1; i < values.length; i++)
    expect(values[i], `${what} went back: ${values.join(' ')}`).toBeGreaterThanOrEqual(
      values[i - 1]!,
    );
}

/**
 * The queue's heading count equals the header's parts: done of those left, failed, cancelled;
 * and the percent above the bar is the bar's own value. All three are read in one task of the
 * page, so a running queue cannot move between the reads.
 */
async function expectCountsAgree(page: Page): Promise<void> {
  const now = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { querySelector(s: string): Element | null } })
      .document;
    type Element = { textContent: string | null; getAttribute(n: string): string | null };
    return {
      heading: d.querySelector('#queue-heading .count')?.textContent ?? '0',
      text: d.querySelector('.aggregate-text')?.textContent ?? '',
      bar:
        d.querySelector('[aria-label="Overall progress"]')?.getAttribute('aria-valuenow') ?? null,
    };
  });
  const heading = Number(now.heading);
  const of = /(\d+) of (\d+) done/.exec(now.text);
  const failed = Number(/(\d+) failed/.exec(now.text)?.[1] ?? 0);
  const cancelled = Number(/(\d+) cancelled/.exec(now.text)?.[1] ?? 0);
  expect(of, now.text).not.toBeNull();
  expect(Number(of![2]) + failed + cancelled, `${heading} vs "${now.text}"`).toBe(heading);
  const percent = /(\d+)%/.exec(now.text)?.[1];
  if (percent !== undefined) expect(now.bar, now.text).toBe(percent);
}

async function snapBoth(page: Page, name: string): Promise<void> {
  for (const view of [
    { width: 800, height: 600 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(view);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await snap(page, `${name}-${view.width}x${view.height}-${scheme}`);
      await expectNoAxeViolations(page, `${name} ${view.width} ${scheme}`);
    }
  }
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a local run reads true from start to end, a failure apart`, async ({
    page,
    app,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 720 });
    const clip = await makeVideo(app.mediaDir, 'steady.mp4', { seconds: 4 });
    const bad = await makeCorrupt(app.mediaDir, 'broken.mp4');
    await openApp(page, app);
    await watch(page);

    app.nextSources.push([clip, bad]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    const rows = page.locator('li.job');
    await expect(rows.locator('.stage')).toHaveText(['Done', 'Failed'], { timeout: 90_000 });
    const seen = await seenSoFar(page);

    expect(seen.stages.length).toBeGreaterThan(0);
    expect(seen.stages).not.toContain('Queued on server');
    // "a few seconds left" only near the end: the status's own percent is 90 or more.
    const early = seen.details.filter(
      (d) => d.includes('a few seconds left') && Number(/(\d+)%/.exec(d)?.[1] ?? 0) < 90,
    );
    expect(early).toEqual([]);
    expect(seen.details.join(' ')).not.toContain('almost done');
    // Each row's bar is the job across its stages: it never goes back.
    const [steady] = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')));
    expect(seen.rows[steady!]?.length ?? 0).toBeGreaterThan(1);
    for (const [id, values] of Object.entries(seen.rows))
      expectNeverBack(values, `row ${id} (${seen.trails[id]?.join(' | ')})`);
    // The overall bar never goes back, and reads 100 % only when nothing runs any more.
    expectNeverBack(
      seen.overall.map((o) => o.now),
      'overall bar',
    );
    // The header's percent and the bar's value are the same number at every step.
    for (const o of seen.overall) if (/\d+%/.test(o.text)) expect(o.text).toContain(`${o.now}%`);

    const overall = page.getByRole('progressbar', { name: 'Overall progress' });
    await expect(overall).toHaveAttribute('aria-valuenow', '100');
    await expect(page.locator('.aggregate-text')).toContainText('1 of 1 done · 1 failed');
    await expectCountsAgree(page);
    await expectNoAxeViolations(page, `progress done ${scheme}`);
    await snap(page, `progress-done-with-failure-${scheme}`);
  });
}

test("the queue's time left appears while it runs; header, count and bar agree throughout", async ({
  page,
  app,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  // Long enough for a time left worth saying: a queue done in 7 s honestly has "a few seconds"
  // left, which is said only from 90 % (CI's fast run of 8 s clips showed none at all; the
  // runs that passed had shown an inflated one, measured across the jobs' wait for a slot).
  const clips = await Promise.all(
    ['one', 'two', 'three', 'four'].map((n) =>
      makeVideo(app.mediaDir, `${n}.mp4`, { seconds: 30 }),
    ),
  );
  await openApp(page, app);
  await page.getByLabel('Preset').selectOption('webm-vp9');
  await watch(page);
  app.nextSources.push(clips);
  await page.getByRole('button', { name: 'Add files…' }).click();

  const eta = page.getByTestId('queue-eta');
  await expect(eta).toBeVisible({ timeout: 90_000 });
  await expect(eta).toHaveText(/^(a few seconds|less than a minute|about \d+ min) left$/);
  await expectCountsAgree(page);
  // While jobs run, the overall bar is below 100 %.
  const overall = page.getByRole('progressbar', { name: 'Overall progress' });
  expect(Number(await overall.getAttribute('aria-valuenow'))).toBeLessThan(100);
  await snapBoth(page, 'progress-queue-eta');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'light' });

  await expect(page.locator('li.job .stage')).toHaveText(['Done', 'Done', 'Done', 'Done'], {
    timeout: 150_000,
  });
  const seen = await seenSoFar(page);
  // Rounded for people, and steady: only a handful of distinct wordings over the whole run.
  for (const text of seen.etas)
    expect(text).toMatch(/^(a few seconds|less than a minute|about \d+ min) left$/);
  expect(new Set(seen.etas).size).toBeLessThanOrEqual(6);
  // "A few seconds left" only near the end, in the header as in the rows.
  const tooSoon = seen.overall.filter((o) => o.eta === 'a few seconds left' && o.now < 90);
  expect(tooSoon, JSON.stringify(tooSoon.slice(0, 3))).toEqual([]);
  for (const [id, values] of Object.entries(seen.rows))
    expectNeverBack(values, `row ${id} (${seen.trails[id]?.join(' | ')})`);
  expectNeverBack(
    seen.overall.map((o) => o.now),
    'overall bar',
  );
  // Nothing runs: no time left is given, and the bar is full.
  await expect(eta).toHaveCount(0);
  await expect(overall).toHaveAttribute('aria-valuenow', '100');
  await expectCountsAgree(page);
});

test('after a cancel the header, the count and the bar still agree', async ({ page, app }) => {
  test.setTimeout(120_000);
  const first = await makeVideo(app.mediaDir, 'keep.mp4', { seconds: 3 });
  const second = await makeVideo(app.mediaDir, 'drop.mp4', { seconds: 3 });
  await openApp(page, app);
  await page.getByRole('button', { name: 'Pause all' }).click();
  app.nextSources.push([first, second]);
  await page.getByRole('button', { name: 'Add files…' }).click();
  await expect(page.locator('li.job')).toHaveCount(2);
  await page.getByRole('button', { name: 'Cancel drop.mp4' }).click();
  await expect(page.locator('li.job', { hasText: 'drop.mp4' }).locator('.stage')).toHaveText(
    'Cancelled',
  );
  await expect(page.locator('.aggregate-text')).toContainText('0 of 1 done · 1 cancelled');
  await expectCountsAgree(page);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('li.job', { hasText: 'keep.mp4' }).locator('.stage')).toHaveText(
    'Done',
    { timeout: 90_000 },
  );
  await expect(page.locator('.aggregate-text')).toContainText('1 of 1 done · 1 cancelled');
  await expect(page.getByRole('progressbar', { name: 'Overall progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expectCountsAgree(page);
  await snapBoth(page, 'progress-after-cancel');
});
