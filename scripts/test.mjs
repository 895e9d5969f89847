// `npm test`: type-check, lint, build, unit + integration (Vitest), end-to-end (Playwright),
// then one closing line "N passed, N failed" that CI reads. Each step stops the run on failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const out = 'test-results';
rmSync(`${out}/vitest.json`, { force: true });
rmSync(`${out}/playwright.json`, { force: true });
mkdirSync(out, { recursive: true });
const run = (label, cmd, args) => {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  // npm and npx are .cmd files on Windows, which Node spawns only through a shell.
  const result = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  console.log(
    `◀ ${label}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return result.status === 0;
};
const npx = (...args) => ['npx', ['--no-install', ...args]];
const npm = (...args) => ['npm', ['run', '-s', ...args]];
let passed = 0;
let failed = 0;
const count = () => {
  if (existsSync(`${out}/vitest.json`)) {
    const v = JSON.parse(readFileSync(`${out}/vitest.json`, 'utf8'));
    passed += v.numPassedTests ?? 0;
    failed += v.numFailedTests ?? 0;
  }
  if (existsSync(`${out}/playwright.json`)) {
    const p = JSON.parse(readFileSync(`${out}/playwright.json`, 'utf8'));
    passed += p.stats?.expected ?? 0;
    failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  }
};

const steps = [
  ['type-check', ...npm('typecheck')],
  ['lint', ...npm('lint')],
  ['build', ...npm('build')],
  [
    'unit and integration (vitest)',
    ...npx(
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}/vitest.json`,
    ),
  ],
  ['end-to-end (playwright)', ...npx('playwright', 'test')],
];
let ok = true;
for (const [label, cmd, args] of steps) {
  if (!run(label, cmd, args)) {
    ok = false;
    break;
  }
}
count();
if (!ok && failed === 0) failed = 1; // a failed type-check, lint or build counts as a failure
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
