// @ts-check
// `npm run test:electron`: the Playwright `_electron` suite (tests/electron) against the built app,
// or against a packaged one when RENDERIO_ELECTRON_APP names its executable. Without an Electron
// binary it prints "skipped: no Electron binary" and how to get one, and exits 0 without starting
// Playwright, so nothing is counted as passed. The decision lives in scripts/lib/electronRunPlan.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planElectronRun } from './lib/electronRunPlan.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const plan = planElectronRun(
  {
    root,
    env: process.env,
    platform: process.platform,
    exists: existsSync,
    readText: (path) => readFileSync(path, 'utf8'),
  },
  process.argv.slice(2),
);

if (plan.outcome === 'skip') {
  for (const line of plan.lines) console.log(line);
  process.exit(0);
}
if (plan.outcome === 'error') {
  for (const line of plan.lines) console.error(line);
  process.exit(1);
}

console.log(`test:electron: ${plan.kind} Electron at ${plan.executable}`);
rmSync(resolve(root, plan.resultsDir), { recursive: true, force: true });

// Node runs both tools directly: no shell, so the same command works on Windows, where npm and
// npx are .cmd files that spawnSync cannot start without one.
const npmCli = process.env.npm_execpath;
const playwrightCli = createRequire(import.meta.url).resolve('@playwright/test/cli');
for (const step of plan.steps) {
  const [command, args] =
    'npmScript' in step
      ? npmCli
        ? [process.execPath, [npmCli, 'run', '-s', step.npmScript]]
        : ['npm', ['run', '-s', step.npmScript]]
      : [process.execPath, [playwrightCli, ...step.playwright]];
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    // Only when npm had to be found on the PATH: on Windows that is npm.cmd.
    shell: command === 'npm' && process.platform === 'win32',
  });
  if (result.status !== 0) {
    if (result.error) console.error(`test:electron: ${result.error.message}`);
    process.exit(result.status ?? 1);
  }
}
