import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_CONFIG, planElectronRun } from '../../../scripts/lib/electronRunPlan.mjs';
import { HOW_TO_GET, SKIP_LINE, type Lookup } from '../../../scripts/lib/electronTarget.mjs';

const root = '/repo';
const pathTxt = join(root, 'node_modules', 'electron', 'path.txt');
const binary = join(root, 'node_modules', 'electron', 'dist', 'electron');

function lookup(files: string[], env: Record<string, string> = {}): Lookup {
  return {
    root,
    env,
    platform: 'linux',
    exists: (path) => files.includes(path),
    readText: () => 'electron',
  };
}

describe('planElectronRun', () => {
  it('without a binary: exactly the skip line and how to get one, and no step at all', () => {
    const plan = planElectronRun(lookup([]));
    expect(plan).toEqual({ outcome: 'skip', lines: [SKIP_LINE, HOW_TO_GET] });
    expect(SKIP_LINE).toBe('skipped: no Electron binary');
    // Nothing that could print "N passed": no Playwright, no build.
    expect('steps' in plan).toBe(false);
  });

  it('fails with the reason when CI requires a binary that is missing', () => {
    const plan = planElectronRun(lookup([], { RENDERIO_REQUIRE_ELECTRON: '1' }));
    expect(plan.outcome).toBe('error');
    expect(plan.outcome === 'error' && plan.lines[0]).toMatch(/^test:electron: /);
  });

  it('development binary: build, then Playwright with the _electron config and extra args', () => {
    const plan = planElectronRun(lookup([pathTxt, binary]), ['--grep', 'CSP']);
    expect(plan).toEqual({
      outcome: 'run',
      kind: 'dev',
      executable: binary,
      resultsDir: join('test-results', 'electron', 'dev'),
      steps: [
        { npmScript: 'build' },
        { playwright: ['test', '--config', ELECTRON_CONFIG, '--grep', 'CSP'] },
      ],
    });
  });

  it('packaged app: no build (the package carries its own dist), its own results folder', () => {
    const exe = '/repo/release/win-unpacked/RenderIO.exe';
    const plan = planElectronRun(lookup([exe], { RENDERIO_ELECTRON_APP: exe }));
    expect(plan).toMatchObject({
      outcome: 'run',
      kind: 'packaged',
      executable: exe,
      resultsDir: join('test-results', 'electron', 'packaged'),
      steps: [{ playwright: ['test', '--config', ELECTRON_CONFIG] }],
    });
  });
});
