import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** What findChromium looks at; the defaults are the real environment (tests pass their own). */
export interface ChromiumLookup {
  env?: Record<string, string | undefined>;
  exists?: (path: string) => boolean;
  /** Playwright's own download, or null/throws when it has none. */
  playwrightPath?: () => string | null;
}

function playwrightOwn(): string | null {
  return chromium.executablePath();
}

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, then Debian's /usr/bin/chromium (and
 * Ubuntu's /usr/bin/chromium-browser), then Playwright's own download. With none, the run stops
 * here and says how to get one (and, when CHROMIUM_PATH was set, that it points at nothing).
 */
export function findChromium(lookup: ChromiumLookup = {}): string {
  const env = lookup.env ?? process.env;
  const exists = lookup.exists ?? existsSync;
  const own = lookup.playwrightPath ?? playwrightOwn;
  const configured = env.CHROMIUM_PATH?.trim() || undefined;
  const candidates = [configured, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) if (candidate && exists(candidate)) return candidate;
  try {
    const path = own();
    if (path && exists(path)) return path;
  } catch {
    // Playwright has no browser of its own installed.
  }
  throw new Error(
    'No Chromium found for the browser tests' +
      (configured ? ` (CHROMIUM_PATH=${configured} does not exist)` : '') +
      '. Set CHROMIUM_PATH to a Chromium or Chrome binary, ' +
      'install Debian\'s (apt-get install -y chromium), or run "npx playwright install chromium".',
  );
}

/**
 * The features Playwright turns off (playwright-core's chromiumSwitches.ts, 1.65), repeated in
 * ours: Chromium keeps only the LAST --disable-features on its command line, so a list of our
 * own after Playwright's would silently turn all of these back on. chromium.test.ts reads the
 * command line of a launched browser and fails when Playwright's list has grown.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
] as const;

/**
 * Chromium's own browser UI, which an Electron window does not have: every new window preloads
 * the address bar's suggestion popup (chrome://omnibox-popup.top-chrome/ and its AI-mode page)
 * in a renderer of its own. On this 2-core machine that renderer took 370–750 ms of CPU during
 * each load of the app's page, beside the page's own renderer (measured per process from
 * /proc, bench/window.ts), so every page load measured Chromium's UI as much as the app.
 */
export const BROWSER_UI_FEATURES = [
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
  'PreloadTopChromeWebUI',
] as const;

/**
 * The flags every browser test and bench launches Chromium with: no sandbox (containers), no
 * GPU, nothing fetched in the background (this machine has no internet), and none of Chromium's
 * own UI pages.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES].join(',')}`,
];
