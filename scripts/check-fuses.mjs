// @ts-check
// Reads the fuses back from a packaged app and fails when one differs from electron-builder.yml's
// `electronFuses` (the e2e flavour differs in EnableNodeCliInspectArguments only).
//
//   node scripts/check-fuses.mjs --app release/linux-unpacked/renderio-desktop --flavour e2e
//   node scripts/check-fuses.mjs --app release/mac-arm64/RenderIO.app --flavour release
//
// --app is what @electron/fuses reads: the executable on Linux and Windows, the .app on macOS.
// The comparison is scripts/lib/fuses.mjs; this file reads the YAML and the binary.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fuses from '@electron/fuses';
import { compareFuses, expectedFuses, formatFuseReport } from './lib/fuses.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE =
  'Usage: node scripts/check-fuses.mjs --app <packaged app> --flavour release|e2e [--config electron-builder.yml]';

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`check-fuses: ${message}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      app: { type: 'string' },
      flavour: { type: 'string' },
      config: { type: 'string', default: 'electron-builder.yml' },
    },
  }));
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
}
const { app, flavour, config } = values;
if (!app || (flavour !== 'release' && flavour !== 'e2e')) fail(USAGE);
const appPath = resolve(app);
if (!existsSync(appPath)) fail(`${appPath} does not exist.`);

// Parsed with the YAML library electron-builder itself reads this file with.
const yaml = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))(
  'js-yaml',
);
const builderConfig = yaml.load(
  readFileSync(resolve(root, config ?? 'electron-builder.yml'), 'utf8'),
);

try {
  const index = /** @type {Record<string, number | string>} */ (
    /** @type {unknown} */ (fuses.FuseV1Options)
  );
  const expected = expectedFuses(builderConfig?.electronFuses, flavour, index);
  const wire = await fuses.getCurrentFuseWire(appPath);
  const { ok, rows } = compareFuses(
    expected,
    /** @type {Record<string | number, unknown>} */ (/** @type {unknown} */ (wire)),
    index,
  );
  console.log(`Fuses of ${appPath} (${flavour} flavour):`);
  for (const line of formatFuseReport(rows)) console.log(`  ${line}`);
  if (!ok) fail(`the packaged fuses differ from electron-builder.yml (${flavour} flavour).`);
  console.log('check-fuses: all fuses as configured.');
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
