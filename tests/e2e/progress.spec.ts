/**
 * Honest progress on this computer: no "Queued on server" for a job that waits on no server,
 * the overall bar never moves backwards nor reads 100 % while a job runs, no "almost done"
 * before the end, and a failure is counted apart from progress (the text and the bar agree).
 */
import { makeCorrupt, makeVideo } from '../support/media';
import { expect, openApp, snap, test } from './fixtures';
import { expectNoAxeViolations } from './support/axe';

interface Seen {
  stages: string[];
  details: string[];
  overall: { now: number; text: string }[];
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
    // Everything the rows and the overall bar show, as it changes.
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: {
          querySelectorAll(
            s: string,
          ): ArrayLike<{ textContent: string | null; getAttribute(n: string): string | null }>;
          querySelector(s: string): { getAttribute(n: string): string | null } | null;
          body: unknown;
        };
        MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void };
        __seen: Seen;
      };
      const seen: Seen = { stages: [], details: [], overall: [] };
      g.__seen = seen;
      const record = () => {
        for (const el of Array.from(g.document.querySelectorAll('li.job .stage')))
          seen.stages.push(el.textContent ?? '');
        for (const el of Array.from(g.document.querySelectorAll('li.job .job-status')))
          seen.details.push(el.textContent ?? '');
        const bar = g.document.querySelector('[aria-label="Overall progress"]');
        const now = bar?.getAttribute('aria-valuenow');
        const text =
          Array.from(g.document.querySelectorAll('.aggregate-text'))[0]?.textContent ?? '';
        if (now) seen.overall.push({ now: Number(now), text });
      };
      new g.MutationObserver(record).observe(g.document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });

    app.nextSources.push([clip, bad]);
    await page.getByRole('button', { name: 'Add files…' }).click();
    const rows = page.locator('li.job');
    await expect(rows.locator('.stage')).toHaveText(['Done', 'Failed'], { timeout: 90_000 });
    const seen = (await page.evaluate(
      () => (globalThis as unknown as { __seen: Seen }).__seen,
    )) as Seen;

    expect(seen.stages.length).toBeGreaterThan(0);
    expect(seen.stages).not.toContain('Queued on server');
    // "almost done" only near the end: the status's own percent is 90 or more.
    const early = seen.details.filter(
      (d) => d.includes('almost done') && Number(/(\d+)%/.exec(d)?.[1] ?? 0) < 90,
    );
    expect(early).toEqual([]);
    // The overall bar never goes back, and reads 100 % only when nothing runs any more.
    const values = seen.overall.map((o) => o.now);
    for (let i = 1; i < values.length; i++)
      expect(values[i], `overall bar went back: ${values.join(' ')}`).toBeGreaterThanOrEqual(
        values[i - 1]!,
      );
    // The header's percent and the bar's value are the same number at every step.
    for (const o of seen.overall) if (/\d+%/.test(o.text)) expect(o.text).toContain(`${o.now}%`);

    const overall = page.getByRole('progressbar', { name: 'Overall progress' });
    await expect(overall).toHaveAttribute('aria-valuenow', '100');
    await expect(page.locator('.aggregate-text')).toContainText('1 of 1 done · 1 failed');
    await expectNoAxeViolations(page, `progress done ${scheme}`);
    await snap(page, `progress-done-with-failure-${scheme}`);
  });
}
