// @ts-check
/**
 * The fuses a packaged app must carry, from electron-builder.yml's `electronFuses`, and their
 * comparison with the fuse wire read back from the binary (`getCurrentFuseWire` of
 * @electron/fuses). Pure: the YAML text, the wire and the fuse index table come in as values.
 */

/** Flavours: what `npm run dist` ships, and the e2e build Playwright's _electron can drive. */
export const FLAVOURS = /** @type {const} */ (['release', 'e2e']);

/**
 * The one fuse the e2e flavour turns on: Playwright's _electron attaches through `--inspect`,
 * which a release build refuses (docs/ELECTRON.md "Fuses").
 */
export const E2E_EXCEPTION = 'enableNodeCliInspectArguments';

/** Options electron-builder accepts under `electronFuses` that are not fuses. */
const NOT_FUSES = new Set(['resetAdHocDarwinSignature', 'strictlyRequireAllFuses']);

/**
 * A fuse's state byte in the wire. These are Electron's own ASCII markers ('0', '1', 'r'),
 * mirrored by FuseState in @electron/fuses (tests/unit/scripts/fuses.test.ts checks that).
 */
export const FUSE_STATE = /** @type {const} */ ({
  48: 'off',
  49: 'on',
  114: 'removed',
  144: 'inherit',
});

/**
 * `runAsNode` (electron-builder's key) → `RunAsNode` (the FuseV1Options name).
 * @param {string} key
 */
export function fuseOptionName(key) {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * The fuses the packaged app of a flavour must have, by electron-builder key.
 * @param {unknown} electronFuses the parsed `electronFuses` block
 * @param {'release' | 'e2e'} flavour
 * @param {Record<string, number | string>} fuseIndex FuseV1Options: name → wire position
 * @returns {Record<string, boolean>}
 */
export function expectedFuses(electronFuses, flavour, fuseIndex) {
  if (!FLAVOURS.includes(flavour))
    throw new Error(`Unknown flavour "${flavour}" (expected ${FLAVOURS.join(' or ')}).`);
  if (electronFuses === null || typeof electronFuses !== 'object' || Array.isArray(electronFuses))
    throw new Error('electron-builder.yml has no electronFuses block.');
  /** @type {Record<string, boolean>} */
  const expected = {};
  for (const [key, value] of Object.entries(electronFuses)) {
    if (NOT_FUSES.has(key)) continue;
    if (typeof fuseIndex[fuseOptionName(key)] !== 'number')
      throw new Error(`electronFuses.${key} is not a fuse @electron/fuses knows.`);
    if (typeof value !== 'boolean')
      throw new Error(`electronFuses.${key} must be true or false, not ${JSON.stringify(value)}.`);
    expected[key] = value;
  }
  // The release value is what ships: an inspector left on there is the bug this check exists for.
  if (expected[E2E_EXCEPTION] !== false)
    throw new Error(
      `electronFuses.${E2E_EXCEPTION} must be false in electron-builder.yml (release); ` +
        'only the e2e flavour turns it on, on the command line.',
    );
  if (flavour === 'e2e') expected[E2E_EXCEPTION] = true;
  return expected;
}

/**
 * @typedef {object} FuseRow
 * @property {string} key electron-builder's name
 * @property {string} fuse the FuseV1Options name
 * @property {'on' | 'off'} expected
 * @property {string} actual on, off, inherit (never flipped), removed, or absent (wire too short)
 * @property {boolean} ok
 */

/**
 * @param {Record<string, boolean>} expected from expectedFuses
 * @param {Record<string | number, unknown>} wire getCurrentFuseWire's answer: { version, 0: byte, 1: byte, ... }
 * @param {Record<string, number | string>} fuseIndex FuseV1Options
 * @returns {{ ok: boolean, rows: FuseRow[] }}
 */
export function compareFuses(expected, wire, fuseIndex) {
  if (String(wire.version) !== '1')
    throw new Error(`Unknown fuse wire version ${String(wire.version)}; update @electron/fuses.`);
  const rows = Object.entries(expected).map(([key, on]) => {
    const fuse = fuseOptionName(key);
    const byte = wire[/** @type {number} */ (fuseIndex[fuse])];
    const actual =
      typeof byte === 'number'
        ? (FUSE_STATE[/** @type {keyof typeof FUSE_STATE} */ (byte)] ?? `unknown (${byte})`)
        : 'absent';
    /** @type {'on' | 'off'} */
    const want = on ? 'on' : 'off';
    return { key, fuse, expected: want, actual, ok: actual === want };
  });
  return { ok: rows.every((r) => r.ok), rows };
}

/** One line per fuse, then the verdict. @param {FuseRow[]} rows */
export function formatFuseReport(rows) {
  return rows.map(
    (r) =>
      `${r.ok ? 'ok  ' : 'FAIL'} ${r.fuse.padEnd(38)} expected ${r.expected.padEnd(3)} found ${r.actual}`,
  );
}
