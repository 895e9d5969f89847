import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PLATFORM_BINARY,
  electronTarget,
  findElectronBinary,
  resultsDir,
  type Lookup,
} from '../../../scripts/lib/electronTarget.mjs';

const root = '/repo';
const electronDir = join(root, 'node_modules', 'electron');

/** A file system holding exactly `files` (path → text). */
function lookup(
  files: Record<string, string>,
  env: Record<string, string | undefined> = {},
  platform: NodeJS.Platform = 'linux',
): Lookup {
  return {
    root,
    env,
    platform,
    exists: (path) => path in files,
    readText: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT ${path}`);
      return text;
    },
  };
}

describe('findElectronBinary (the rules of scripts/start.mjs)', () => {
  it('follows path.txt into node_modules/electron/dist', () => {
    const binary = join(electronDir, 'dist', 'electron');
    const found = findElectronBinary(
      lookup({ [join(electronDir, 'path.txt')]: 'electron\n', [binary]: '' }),
    );
    expect(found).toEqual({ binary, lookedFor: binary });
  });

  it('finds nothing when the download never happened', () => {
    expect(findElectronBinary(lookup({}))).toEqual({ binary: null, lookedFor: null });
  });

  it('finds nothing when path.txt points at a binary that is gone', () => {
    const found = findElectronBinary(lookup({ [join(electronDir, 'path.txt')]: 'electron' }));
    expect(found.binary).toBeNull();
    expect(found.lookedFor).toBe(join(electronDir, 'dist', 'electron'));
  });

  it.each([
    ['darwin', PLATFORM_BINARY.darwin],
    ['win32', PLATFORM_BINARY.win32],
    ['linux', 'electron'],
  ] as const)(
    'with ELECTRON_OVERRIDE_DIST_PATH and no path.txt, uses the %s name',
    (platform, name) => {
      const binary = join('/opt/electron', name);
      const found = findElectronBinary(
        lookup({ [binary]: '' }, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }, platform),
      );
      expect(found.binary).toBe(binary);
    },
  );

  it('with the override and a path.txt, joins the two', () => {
    const binary = join('/opt/electron', 'electron');
    const found = findElectronBinary(
      lookup(
        { [join(electronDir, 'path.txt')]: 'electron', [binary]: '' },
        { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' },
      ),
    );
    expect(found.binary).toBe(binary);
  });
});

describe('electronTarget', () => {
  it('skips when there is no binary anywhere', () => {
    expect(electronTarget(lookup({}))).toEqual({ kind: 'skip' });
  });

  it('is an error instead of a skip when CI requires Electron', () => {
    const target = electronTarget(lookup({}, { RENDERIO_REQUIRE_ELECTRON: '1' }));
    expect(target.kind).toBe('error');
    expect(target.kind === 'error' && target.message).toMatch(/RENDERIO_REQUIRE_ELECTRON=1/);
  });

  it('is an error when ELECTRON_OVERRIDE_DIST_PATH holds no executable', () => {
    const target = electronTarget(lookup({}, { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' }));
    expect(target.kind === 'error' && target.message).toContain(join('/nowhere', 'electron'));
  });

  it('runs the development binary on the repository folder', () => {
    const binary = join(electronDir, 'dist', 'electron');
    const target = electronTarget(
      lookup({ [join(electronDir, 'path.txt')]: 'electron', [binary]: '' }),
    );
    expect(target).toEqual({ kind: 'dev', executable: binary, appArgs: [root] });
  });

  it('prefers the packaged app named by RENDERIO_ELECTRON_APP, relative to the root', () => {
    const exe = resolve(root, 'release', 'linux-unpacked', 'renderio-desktop');
    const binary = join(electronDir, 'dist', 'electron');
    const target = electronTarget(
      lookup(
        { [exe]: '', [join(electronDir, 'path.txt')]: 'electron', [binary]: '' },
        { RENDERIO_ELECTRON_APP: 'release/linux-unpacked/renderio-desktop' },
      ),
    );
    expect(target).toEqual({ kind: 'packaged', executable: exe, appArgs: [] });
  });

  it('is an error, not a skip, when RENDERIO_ELECTRON_APP names nothing', () => {
    const target = electronTarget(lookup({}, { RENDERIO_ELECTRON_APP: '/gone/RenderIO.exe' }));
    expect(target.kind === 'error' && target.message).toMatch(/\/gone\/RenderIO\.exe/);
  });
});

describe('resultsDir', () => {
  it('keeps the development and packaged runs apart', () => {
    expect(resultsDir({})).toBe(join('test-results', 'electron', 'dev'));
    expect(resultsDir({ RENDERIO_ELECTRON_APP: '/x/RenderIO' })).toBe(
      join('test-results', 'electron', 'packaged'),
    );
  });
});
