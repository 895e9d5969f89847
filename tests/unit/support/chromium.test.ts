/**
 * The Chromium lookup the browser tests start with: CHROMIUM_PATH, then /usr/bin/chromium, then
 * Playwright's own download; with none, an error that says how to get one. The file system and
 * Playwright's answer are passed in, so each order is checked whatever this machine has.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { findChromium } from '../../support/chromium';

const OWN = '/home/me/.cache/ms-playwright/chromium-1/chrome-linux/chrome';
const on =
  (...present: string[]) =>
  (path: string) =>
    present.includes(path);

describe('findChromium', () => {
  it('prefers CHROMIUM_PATH, then /usr/bin/chromium, then Playwright’s own download', () => {
    const all = on('/opt/chrome/chrome', '/usr/bin/chromium', OWN);
    const own = () => OWN;
    expect(
      findChromium({
        env: { CHROMIUM_PATH: '/opt/chrome/chrome' },
        exists: all,
        playwrightPath: own,
      }),
    ).toBe('/opt/chrome/chrome');
    expect(findChromium({ env: {}, exists: all, playwrightPath: own })).toBe('/usr/bin/chromium');
    expect(findChromium({ env: {}, exists: on(OWN), playwrightPath: own })).toBe(OWN);
    // A CHROMIUM_PATH that points at nothing falls through to the next place.
    expect(
      findChromium({
        env: { CHROMIUM_PATH: '/nonexistent' },
        exists: on('/usr/bin/chromium', OWN),
        playwrightPath: own,
      }),
    ).toBe('/usr/bin/chromium');
  });

  it('fails with a message that says how to get one when there is none', () => {
    const none = { exists: on(), playwrightPath: () => OWN };
    expect(() => findChromium({ env: {}, ...none })).toThrow(
      /No Chromium found.*CHROMIUM_PATH.*apt-get install -y chromium.*npx playwright install chromium/,
    );
    expect(() => findChromium({ env: { CHROMIUM_PATH: '/nonexistent' }, ...none })).toThrow(
      /CHROMIUM_PATH=\/nonexistent does not exist/,
    );
    // Playwright throwing (no browsers installed) is the same as having none.
    expect(() =>
      findChromium({
        env: {},
        exists: on(),
        playwrightPath: () => {
          throw new Error('Executable does not exist');
        },
      }),
    ).toThrow(/No Chromium found/);
  });

  it('finds a real, runnable browser on this machine (the one the e2e tests use)', () => {
    const path = findChromium();
    expect(existsSync(path)).toBe(true);
    expect(
      execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ).toMatch(/Chrom(e|ium)/);
  });
});
