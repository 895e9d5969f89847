// @ts-check
/**
 * Which Electron the `_electron` suite drives, decided in one place for `npm run test:electron`,
 * its Playwright config and its fixture: the packaged app named by RENDERIO_ELECTRON_APP, else
 * the development binary found the way scripts/start.mjs finds it (node_modules/electron/path.txt
 * + dist/, or ELECTRON_OVERRIDE_DIST_PATH). Pure: the file system comes in as two functions.
 */
import { isAbsolute, join, resolve } from 'node:path';

/** The executable inside an Electron dist folder, as electron's own install.js names it. */
export const PLATFORM_BINARY = /** @type {const} */ ({
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
});

/** Printed, alone on its line, when there is nothing to run; CI greps for nothing else. */
export const SKIP_LINE = 'skipped: no Electron binary';

export const HOW_TO_GET =
  'To get one: with internet access run "node node_modules/electron/install.js" (or ' +
  'ELECTRON_MIRROR=https://your-mirror/electron/ in front of it), or point ' +
  'ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron; RENDERIO_ELECTRON_APP runs a packaged app.';

/**
 * @typedef {object} Lookup
 * @property {string} root the repository root
 * @property {Record<string, string | undefined>} env
 * @property {NodeJS.Platform} platform
 * @property {(path: string) => boolean} exists
 * @property {(path: string) => string} readText
 */

/**
 * @typedef {{ kind: 'dev', executable: string, appArgs: string[] }
 *   | { kind: 'packaged', executable: string, appArgs: string[] }
 *   | { kind: 'skip' }
 *   | { kind: 'error', message: string }} ElectronTarget
 * `appArgs` go before the suite's own switches: the development binary needs the app folder
 * (its package.json "main" is dist/main/main.mjs), a packaged app loads its own app.asar.
 */

/**
 * The development binary, or null. Same rules as scripts/start.mjs: path.txt is written by a
 * successful download; with ELECTRON_OVERRIDE_DIST_PATH there may never have been one, so the
 * platform's own name is used, as node_modules/electron does.
 * @param {Lookup} lookup
 * @returns {{ binary: string | null, lookedFor: string | null }}
 */
export function findElectronBinary({ root, env, platform, exists, readText }) {
  const electronDir = join(root, 'node_modules', 'electron');
  const override = env.ELECTRON_OVERRIDE_DIST_PATH || undefined;
  const pathFile = join(electronDir, 'path.txt');
  const relative = exists(pathFile)
    ? readText(pathFile).trim()
    : override
      ? platformBinary(platform)
      : null;
  if (!relative) return { binary: null, lookedFor: null };
  const binary = join(override ?? join(electronDir, 'dist'), relative);
  return { binary: exists(binary) ? binary : null, lookedFor: binary };
}

/** @param {NodeJS.Platform} platform */
function platformBinary(platform) {
  return platform === 'darwin' || platform === 'win32' ? PLATFORM_BINARY[platform] : 'electron';
}

/**
 * What `npm run test:electron` runs. Missing binaries skip, unless RENDERIO_REQUIRE_ELECTRON=1
 * (hosted CI, where a skip would hide a broken download) or the person named a binary that is
 * not there (RENDERIO_ELECTRON_APP, ELECTRON_OVERRIDE_DIST_PATH): those are errors.
 * @param {Lookup} lookup
 * @returns {ElectronTarget}
 */
export function electronTarget(lookup) {
  const { env, root, exists } = lookup;
  const packaged = env.RENDERIO_ELECTRON_APP?.trim();
  if (packaged) {
    const executable = isAbsolute(packaged) ? packaged : resolve(root, packaged);
    if (!exists(executable))
      return {
        kind: 'error',
        message: `RENDERIO_ELECTRON_APP=${packaged} does not exist (the packaged app's executable).`,
      };
    return { kind: 'packaged', executable, appArgs: [] };
  }
  const { binary, lookedFor } = findElectronBinary(lookup);
  if (binary) return { kind: 'dev', executable: binary, appArgs: [root] };
  if (env.ELECTRON_OVERRIDE_DIST_PATH)
    return {
      kind: 'error',
      message:
        `ELECTRON_OVERRIDE_DIST_PATH=${env.ELECTRON_OVERRIDE_DIST_PATH} holds no Electron executable` +
        ` (looked for ${lookedFor}). Point it at an unpacked Electron release folder.`,
    };
  if (env.RENDERIO_REQUIRE_ELECTRON === '1')
    return {
      kind: 'error',
      message: `RENDERIO_REQUIRE_ELECTRON=1 but there is no Electron binary. ${HOW_TO_GET}`,
    };
  return { kind: 'skip' };
}

/**
 * Where a run's screenshots and Playwright output go: one folder per kind, so the CI job can
 * run the suite on the development binary and then on the packaged app without the second run
 * wiping the first one's artifacts.
 * @param {Record<string, string | undefined>} env
 */
export function resultsDir(env) {
  return join('test-results', 'electron', env.RENDERIO_ELECTRON_APP?.trim() ? 'packaged' : 'dev');
}
