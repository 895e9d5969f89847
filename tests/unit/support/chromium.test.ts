/**
 * The Chromium lookup the browser tests start with: CHROMIUM_PATH, then /usr/bin/chromium, then
 * Playwright's own download; with none, an error that says how to get one. The file system and
 * Playwright's answer are passed in, so each order is checked whatever this machine has.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import {
  BROWSER_UI_FEATURES,
  CHROMIUM_ARGS,
  findChromium,
  PLAYWRIGHT_DISABLED_FEATURES,
} from '../../support/chromium';

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

/** The command lines of the browsers this process started (Linux: /proc). */
function childBrowserCommandLines(): string[][] {
  const lines: string[][] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes('--remote-debugging-pipe')) lines.push(args);
    } catch {
      // The process ended while the list was read.
    }
  }
  return lines;
}

describe.runIf(process.platform === 'linux')('CHROMIUM_ARGS, in a launched browser', () => {
  it('keeps every feature Playwright turns off, and turns off Chromium’s own UI pages', async () => {
    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage();
      await page.goto('data:text/html,<p>page</p>');
      const [args] = childBrowserCommandLines();
      expect(args).toBeDefined();
      const lists = (args ?? [])
        .filter((a) => a.startsWith('--disable-features='))
        .map((a) => a.slice('--disable-features='.length).split(','));
      // Chromium keeps the last one: it must hold all the others (Playwright's own first).
      const last = lists.at(-1) ?? [];
      expect(lists.length).toBeGreaterThan(1);
      for (const earlier of lists) expect(last).toEqual(expect.arrayContaining(earlier));
      expect(last).toEqual(
        expect.arrayContaining([...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES]),
      );
      // No page but ours: without BROWSER_UI_FEATURES, chrome://omnibox-popup.top-chrome/
      // pages are listed here beside it.
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { type: string; url: string }[];
      };
      expect(targetInfos.map((t) => `${t.type} ${t.url}`)).toEqual([
        'page data:text/html,<p>page</p>',
      ]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('would see Chromium’s UI pages without them (what the check above rules out)', async (ctx) => {
    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: CHROMIUM_ARGS.filter((a) => !a.startsWith('--disable-features=')),
    });
    try {
      await browser.newPage();
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { type: string; url: string }[];
      };
      // A build without an address bar (Playwright's chromium-headless-shell) has none to
      // turn off: nothing to show there. Debian's Chromium, which CI uses, has them.
      const popups = targetInfos.filter((t) => t.url.startsWith('chrome://omnibox-popup'));
      if (popups.length === 0 && !findChromium().startsWith('/usr/bin/')) ctx.skip();
      expect(popups.length).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
