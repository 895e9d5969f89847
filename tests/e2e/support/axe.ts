/**
 * Runs axe-core (the real rules engine, injected into the page) on what the page shows now,
 * and fails with every violation listed: rule, impact, and the elements it names. Call it
 * on each state a test reaches, light and dark, so no state escapes the check.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Page } from '@playwright/test';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
let axeSource: string | null = null;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** The page's violations of WCAG 2.x A and AA, and axe's best practices. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  // The app's CSP refuses inline scripts (addScriptTag), rightly; evaluating through the
  // DevTools protocol is not page script, so the CSP under test stays as shipped.
  if (!loaded) await page.evaluate((axeSource ??= readFileSync(axePath, 'utf8')));
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(
      { exclude: [] },
      {
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
        },
        resultTypes: ['violations'],
      },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** Fails the test with a readable list when axe finds anything on the current state. */
export async function expectNoAxeViolations(page: Page, state = ''): Promise<void> {
  // Animations and transitions settle first, so colour contrast is measured on the final look.
  await page.evaluate(
    () =>
      new Promise((done) => {
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void })
          .requestAnimationFrame;
        raf(() => raf(() => done(null)));
      }),
  );
  const violations = await axeViolations(page);
  const text = violations
    .map(
      (v) =>
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
        v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n'),
    )
    .join('\n');
  expect(violations, `axe violations${state ? ` in "${state}"` : ''}:\n${text}`).toEqual([]);
}
