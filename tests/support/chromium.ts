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
