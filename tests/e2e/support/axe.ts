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
  // Two frames are not enough: a row's Cancel button becomes Open in the same element, and
  // its background takes 0.12 s to move from the surface to the accent (axe once measured
  // it half-way). So every finite animation or transition is awaited; endless ones (the
  // indeterminate bar) are left running.
  await page.evaluate(async () => {
    const doc = globalThis as unknown as {
      document: {
        getAnimations(): {
          finished: Promise<unknown>;
          effect: { getComputedTiming(): { endTime?: number | string } } | null;
        }[];
      };
      requestAnimationFrame(cb: () => void): void;
    };
    const finite = doc.document
      .getAnimations()
      .filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime)));
    await Promise.race([
      Promise.allSettled(finite.map((a) => a.finished)),
      new Promise((done) => setTimeout(done, 2000)),
    ]);
    await new Promise((done) => doc.requestAnimationFrame(() => done(null)));
  });
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
