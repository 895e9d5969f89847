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
  // Colour contrast is measured on the final look. A row's Cancel button becomes Open in the
  // same element and its background takes 0.12 s to move to the accent; awaiting the running
  // transitions was not enough, because a row can change while axe runs (axe once read the
  // colour half-way, twice). So transitions are switched off for the check, through a
  // constructed style sheet (script-made: the app's CSP, which refuses inline styles, stays as
  // shipped), and finite animations are awaited; endless ones (the indeterminate bar) run on.
  await page.evaluate(async () => {
    type Sheet = { replaceSync(text: string): void };
    const g = globalThis as unknown as {
      CSSStyleSheet: new () => Sheet;
      __axeStill?: Sheet;
      document: {
        adoptedStyleSheets: Sheet[];
        getAnimations(): {
          finished: Promise<unknown>;
          effect: { getComputedTiming(): { endTime?: number | string } } | null;
        }[];
      };
      requestAnimationFrame(cb: () => void): void;
    };
    const still = new g.CSSStyleSheet();
    still.replaceSync('*, *::before, *::after { transition: none !important; }');
    g.__axeStill = still;
    g.document.adoptedStyleSheets = [...g.document.adoptedStyleSheets, still];
    // The sheet must take (transition-property is "all" by default), or the check means less.
    const root = (g.document as unknown as { documentElement: object }).documentElement;
    const property = (
      g as unknown as { getComputedStyle(e: object): { transitionProperty: string } }
    ).getComputedStyle(root).transitionProperty;
    if (property !== 'none') throw new Error(`transitions still on for axe: ${property}`);
    const finite = g.document
      .getAnimations()
      .filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime)));
    await Promise.race([
      Promise.allSettled(finite.map((a) => a.finished)),
      new Promise((done) => setTimeout(done, 2000)),
    ]);
    await new Promise((done) => g.requestAnimationFrame(() => done(null)));
  });
  const violations = await axeViolations(page).finally(() =>
    page.evaluate(() => {
      const g = globalThis as unknown as {
        __axeStill?: unknown;
        document: { adoptedStyleSheets: unknown[] };
      };
      g.document.adoptedStyleSheets = g.document.adoptedStyleSheets.filter(
        (s) => s !== g.__axeStill,
      );
      delete g.__axeStill;
    }),
  );
  const text = violations
    .map(
      (v) =>
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
        v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n'),
    )
    .join('\n');
  expect(violations, `axe violations${state ? ` in "${state}"` : ''}:\n${text}`).toEqual([]);
}
