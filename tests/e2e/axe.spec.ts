/** The axe helper itself: it sees a real violation, so its "0 violations" elsewhere means something. */
import { expect, openApp, test } from './fixtures';
import { axeViolations, expectNoAxeViolations } from './support/axe';

test('axe passes the app as it opens and catches a nameless button', async ({ page, app }) => {
  await openApp(page, app);
  await expectNoAxeViolations(page, 'app opened');
  await page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: { createElement(t: string): unknown; body: { append(n: unknown): void } };
      }
    ).document;
    doc.body.append(doc.createElement('button'));
  });
  const ids = (await axeViolations(page)).map((v) => v.id);
  expect(ids).toContain('button-name');
});
