/**
 * The `_electron` suite: the built (or packaged) app in real Electron. Run it with
 * `npm run test:electron`, which skips cleanly where there is no Electron binary. Kept apart
 * from playwright.config.ts (tests/e2e, Chromium against the harness), which `npm test` runs.
 */
import { defineConfig } from '@playwright/test';
import { join } from 'node:path';
import { resultsDir } from './scripts/lib/electronTarget.mjs';

const results = resultsDir(process.env);

export default defineConfig({
  testDir: 'tests/electron',
  testMatch: '**/*.spec.ts',
  outputDir: join(results, 'playwright'),
  // Each test launches the app and converts real media with ffmpeg.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  // One Electron at a time: each run starts its own local engine and ffmpeg processes.
  workers: 1,
  // Screenshots (of each state, and of the window when a test fails) are taken by the fixture:
  // Playwright's own `use.screenshot` applies to browser pages, not to Electron's windows.
  reporter: [['list'], ['json', { outputFile: join(results, 'results.json') }]],
});
