/**
 * The fuse check: what electron-builder.yml asks of each flavour, the comparison with a fuse
 * wire, and scripts/check-fuses.mjs end to end on a file that carries a fuse wire the way an
 * Electron binary does (the sentinel, the version, the length, one byte per fuse), which
 * @electron/fuses reads exactly as it reads a packaged app.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import fuses from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
import {
  E2E_EXCEPTION,
  FUSE_STATE,
  compareFuses,
  expectedFuses,
  formatFuseReport,
} from '../../../scripts/lib/fuses.mjs';
import { tempDir } from '../../support/media';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const index = fuses.FuseV1Options as unknown as Record<string, number | string>;
// Deep imports of the library check-fuses relies on: its constants and electron-builder's js-yaml.
const require = createRequire(import.meta.url);
const { FuseState, SENTINEL } = require('@electron/fuses/dist/constants') as {
  FuseState: Record<string, number>;
  SENTINEL: string;
};
const yaml = createRequire(require.resolve('app-builder-lib/package.json'))('js-yaml') as {
  load(text: string): { electronFuses?: unknown };
};

async function builderFuses(): Promise<unknown> {
  return yaml.load(await readFile(join(root, 'electron-builder.yml'), 'utf8')).electronFuses;
}

const ON = FuseState.ENABLE!;
const OFF = FuseState.DISABLE!;
const INHERIT = FuseState.INHERIT!;
const REMOVED = FuseState.REMOVED!;

/** A wire as getCurrentFuseWire returns it, with `states[i]` at position i. */
function wireOf(states: number[]): Record<string | number, unknown> {
  return { version: '1', ...states };
}

/** States for every fuse, by FuseV1Options name; the rest inherit. */
function statesFor(byName: Record<string, boolean>): number[] {
  const states = Array.from({ length: 8 }, () => INHERIT);
  for (const [name, on] of Object.entries(byName)) states[Number(index[name])] = on ? ON : OFF;
  return states;
}

const RELEASE = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
};

describe('expectedFuses', () => {
  it('reads every fuse of electron-builder.yml for the release flavour', async () => {
    expect(expectedFuses(await builderFuses(), 'release', index)).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('turns on the inspector fuse, and only that one, for the e2e flavour', async () => {
    const release = expectedFuses(await builderFuses(), 'release', index);
    const e2e = expectedFuses(await builderFuses(), 'e2e', index);
    expect(e2e).toEqual({ ...release, [E2E_EXCEPTION]: true });
  });

  it('refuses a configuration that ships the inspector', () => {
    expect(() => expectedFuses({ runAsNode: false }, 'release', index)).toThrow(
      /enableNodeCliInspectArguments must be false/,
    );
    expect(() => expectedFuses({ enableNodeCliInspectArguments: true }, 'e2e', index)).toThrow(
      /must be false in electron-builder.yml/,
    );
  });

  it('refuses unknown fuses, non-boolean values and unknown flavours; skips non-fuse options', () => {
    const base = { enableNodeCliInspectArguments: false };
    expect(() => expectedFuses({ ...base, runAsNod: false }, 'release', index)).toThrow(
      /runAsNod is not a fuse/,
    );
    expect(() => expectedFuses({ ...base, runAsNode: 'false' }, 'release', index)).toThrow(
      /must be true or false/,
    );
    expect(() => expectedFuses(base, 'debug' as 'release', index)).toThrow(/Unknown flavour/);
    expect(() => expectedFuses(undefined, 'release', index)).toThrow(/no electronFuses/);
    expect(expectedFuses({ ...base, resetAdHocDarwinSignature: true }, 'e2e', index)).toEqual({
      enableNodeCliInspectArguments: true,
    });
  });
});

describe('compareFuses', () => {
  it('uses the state bytes of @electron/fuses', () => {
    expect(FUSE_STATE[OFF as 48]).toBe('off');
    expect(FUSE_STATE[ON as 49]).toBe('on');
    expect(FUSE_STATE[REMOVED as 114]).toBe('removed');
    expect(FUSE_STATE[INHERIT as 144]).toBe('inherit');
  });

  it('passes a wire flipped exactly as configured', async () => {
    const expected = expectedFuses(await builderFuses(), 'release', index);
    const { ok, rows } = compareFuses(expected, wireOf(statesFor(RELEASE)), index);
    expect(ok).toBe(true);
    expect(rows).toHaveLength(7);
    expect(formatFuseReport(rows).every((line) => line.startsWith('ok  '))).toBe(true);
  });

  it('fails a release check on an e2e build, naming the fuse', async () => {
    const expected = expectedFuses(await builderFuses(), 'release', index);
    const e2eWire = wireOf(statesFor({ ...RELEASE, EnableNodeCliInspectArguments: true }));
    const { ok, rows } = compareFuses(expected, e2eWire, index);
    expect(ok).toBe(false);
    expect(rows.filter((r) => !r.ok)).toEqual([
      {
        key: 'enableNodeCliInspectArguments',
        fuse: 'EnableNodeCliInspectArguments',
        expected: 'off',
        actual: 'on',
        ok: false,
      },
    ]);
  });

  it('reports fuses never flipped, removed, or missing from a short wire', async () => {
    const expected = expectedFuses(await builderFuses(), 'e2e', index);
    const states = statesFor({ ...RELEASE, EnableNodeCliInspectArguments: true });
    states[Number(index.RunAsNode)] = INHERIT;
    states[Number(index.EnableCookieEncryption)] = REMOVED;
    const short = states.slice(0, Number(index.GrantFileProtocolExtraPrivileges));
    const { ok, rows } = compareFuses(expected, wireOf(short), index);
    expect(ok).toBe(false);
    expect(Object.fromEntries(rows.filter((r) => !r.ok).map((r) => [r.fuse, r.actual]))).toEqual({
      RunAsNode: 'inherit',
      EnableCookieEncryption: 'removed',
      GrantFileProtocolExtraPrivileges: 'absent',
    });
  });

  it('refuses a wire version it does not know', () => {
    expect(() => compareFuses({}, { version: '2' }, index)).toThrow(/wire version 2/);
  });
});

describe('scripts/check-fuses.mjs', () => {
  const dirs: { cleanup(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await dir.cleanup();
  });

  /** A file holding a fuse wire where a binary holds it, between other bytes. */
  async function fakeBinary(states: number[]): Promise<string> {
    const dir = await tempDir('renderio-fuses-');
    dirs.push(dir);
    const path = join(dir.path, 'renderio-desktop');
    await writeFile(
      path,
      Buffer.concat([
        Buffer.from('\x7fELF and other bytes'),
        Buffer.from(SENTINEL),
        Buffer.from([1, states.length, ...states]),
        Buffer.from('more bytes'),
      ]),
    );
    return path;
  }

  async function checkFuses(app: string, flavour: string) {
    return run(process.execPath, ['scripts/check-fuses.mjs', '--app', app, '--flavour', flavour], {
      cwd: root,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  }

  it('passes an e2e wire for the e2e flavour and fails it for release', async () => {
    const app = await fakeBinary(statesFor({ ...RELEASE, EnableNodeCliInspectArguments: true }));
    const e2e = await checkFuses(app, 'e2e');
    expect(e2e.code).toBe(0);
    expect(e2e.stdout).toContain('check-fuses: all fuses as configured.');
    expect(e2e.stdout).toMatch(/ok {3}EnableNodeCliInspectArguments\s+expected on\s+found on/);

    const release = await checkFuses(app, 'release');
    expect(release.code).toBe(1);
    expect(release.stdout).toMatch(/FAIL EnableNodeCliInspectArguments\s+expected off\s+found on/);
    expect(release.stderr).toContain('differ from electron-builder.yml (release flavour)');
  });

  it('fails a build whose fuses were never flipped', async () => {
    const app = await fakeBinary(Array.from({ length: 8 }, () => INHERIT));
    const result = await checkFuses(app, 'e2e');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL RunAsNode\s+expected off\s+found inherit/);
  });

  it('says what is wrong with its arguments', async () => {
    const missing = await checkFuses(join(root, 'release', 'nothing-here'), 'e2e');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
    const app = await fakeBinary(statesFor(RELEASE));
    const flavour = await checkFuses(app, 'debug');
    expect(flavour.code).toBe(1);
    expect(flavour.stderr).toContain('Usage:');
  });
});
