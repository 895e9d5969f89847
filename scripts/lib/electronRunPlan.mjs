// @ts-check
/**
 * What `npm run test:electron` does, as data: skip (two lines, exit 0, Playwright never
 * started), fail with a reason, or run (build first for the development binary, then Playwright
 * with the _electron config). scripts/test-electron.mjs only carries the plan out.
 */
import { HOW_TO_GET, SKIP_LINE, electronTarget, resultsDir } from './electronTarget.mjs';

export const ELECTRON_CONFIG = 'playwright.electron.config.ts';

/**
 * @typedef {{ npmScript: string } | { playwright: string[] }} Step
 * @typedef {{ outcome: 'skip', lines: string[] }
 *   | { outcome: 'error', lines: string[] }
 *   | { outcome: 'run', kind: 'dev' | 'packaged', executable: string, resultsDir: string, steps: Step[] }} RunPlan
 */

/**
 * @param {import('./electronTarget.mjs').Lookup} lookup
 * @param {string[]} extraArgs passed on to `playwright test` (a file, --grep ...)
 * @returns {RunPlan}
 */
export function planElectronRun(lookup, extraArgs = []) {
  const target = electronTarget(lookup);
  if (target.kind === 'skip') return { outcome: 'skip', lines: [SKIP_LINE, HOW_TO_GET] };
  if (target.kind === 'error')
    return { outcome: 'error', lines: [`test:electron: ${target.message}`] };
  /** @type {Step[]} */
  const steps = [];
  // The development binary launches dist/ as it is on disk; a packaged app carries its own copy.
  if (target.kind === 'dev') steps.push({ npmScript: 'build' });
  steps.push({ playwright: ['test', '--config', ELECTRON_CONFIG, ...extraArgs] });
  return {
    outcome: 'run',
    kind: target.kind,
    executable: target.executable,
    resultsDir: resultsDir(lookup.env),
    steps,
  };
}
