/**
 * The `launchApp` fixture: the real app in real Electron (the development binary on dist/, or a
 * packaged e2e build, as scripts/lib/electronTarget.mjs decides), each launch with its own
 * user-data folder, closed and removed after the test. What the suite cannot click (native
 * dialogs, the clipboard, the file manager) is replaced inside main by electronApp.evaluate,
 * in tests/electron/support/mainStubs.ts; everything else is the shipped code.
 */
import {
  _electron,
  expect,
  test as base,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { electronTarget, resultsDir } from '../../scripts/lib/electronTarget.mjs';
import { tempDir } from '../support/media';

const root = resolve(import.meta.dirname, '../..');
const target = electronTarget({
  root,
  env: process.env,
  platform: process.platform,
  exists: existsSync,
  readText: (path) => readFileSync(path, 'utf8'),
});

/**
 * Chromium switches that make the key store the same on every run: Linux's basic_text (what a
 * machine without a keyring has, and what makes main refuse to persist a key), and macOS's mock
 * keychain, so a hosted runner never shows a keychain prompt.
 */
const KEY_STORE_SWITCHES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['--password-store=basic'],
  darwin: ['--use-mock-keychain'],
};

/** Never inherited from the shell that runs the suite: a developer's real key must not leak in. */
const NOT_INHERITED = new Set([
  'RENDERIO_API_KEY',
  'RENDERIO_BASE_URL',
  'ELECTRON_RUN_AS_NODE',
  'NODE_OPTIONS',
]);

export interface LaunchOptions {
  /** Added to the app's environment, e.g. RENDERIO_API_KEY and RENDERIO_BASE_URL. */
  env?: Record<string, string>;
  /** Runs on the new user-data folder before the app starts: state an earlier session left. */
  prepare?: (userData: string) => Promise<void>;
  /** The test provokes a CSP violation on purpose; otherwise any violation fails the test. */
  expectCspViolations?: boolean;
}

export interface RunningApp {
  app: ElectronApplication;
  page: Page;
  userData: string;
  /** Everything main wrote to stdout and stderr so far (its log lines are redacted). */
  mainOutput(): string;
  /** Console messages of the window that report a Content-Security-Policy violation. */
  cspViolations: string[];
}

/** Main will find the weak basic_text store (and refuse to persist a key without asking). */
export const basicTextKeyStore =
  KEY_STORE_SWITCHES[process.platform]?.includes('--password-store=basic') === true;

export const test = base.extend<{
  media: string;
  launchApp: (options?: LaunchOptions) => Promise<RunningApp>;
}>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern.
  media: async ({}, use) => {
    const dir = await tempDir('renderio-electron-media-');
    try {
      // The canonical path (macOS /private/var, Windows long names), as main resolves sources:
      // output paths the test computes then compare equal to main's.
      await use(realpathSync.native(dir.path));
    } finally {
      await dir.cleanup();
    }
  },

  // eslint-disable-next-line no-empty-pattern -- as above.
  launchApp: async ({}, use, testInfo) => {
    if (target.kind === 'error') throw new Error(target.message);
    testInfo.skip(target.kind === 'skip', 'no Electron binary (see npm run test:electron)');
    if (target.kind === 'skip') return;

    const launched: {
      userData: string;
      options: LaunchOptions;
      app?: ElectronApplication;
      running?: RunningApp;
    }[] = [];
    await use(async (options = {}) => {
      const profile = await tempDir('renderio-electron-profile-');
      const entry: (typeof launched)[number] = { userData: profile.path, options };
      launched.push(entry);
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(process.env))
        if (value !== undefined && !NOT_INHERITED.has(name)) env[name] = value;
      Object.assign(env, options.env);
      await options.prepare?.(profile.path);

      const app = await _electron.launch({
        executablePath: target.executable,
        args: [
          ...target.appArgs,
          `--user-data-dir=${profile.path}`,
          ...(KEY_STORE_SWITCHES[process.platform] ?? []),
        ],
        env,
        cwd: root,
        timeout: 60_000,
      });
      entry.app = app;
      let output = '';
      app.process().stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      app.process().stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

      // The profile must be the one given: otherwise a run would read and write the real one.
      const userData = await app.evaluate(({ app: electronApp }) =>
        electronApp.getPath('userData'),
      );
      expect(realpathSync.native(userData)).toBe(realpathSync.native(profile.path));

      const page = await app.firstWindow();
      const cspViolations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      entry.running = {
        app,
        page,
        userData: profile.path,
        mainOutput: () => output,
        cspViolations,
      };
      await expect(page.locator('.app')).toHaveAttribute('data-state', 'ready', {
        timeout: 30_000,
      });
      return entry.running;
    });

    for (const { app, userData, options, running } of launched.reverse()) {
      try {
        if (running && testInfo.status !== testInfo.expectedStatus)
          await snap(running.page, `failed-${testInfo.titlePath.slice(1).join(' ')}`).catch(
            () => undefined,
          );
        if (running && !options.expectCspViolations) expect(running.cspViolations).toEqual([]);
      } finally {
        // Quits through the app's own before-quit path, which closes the core and its engine.
        await app?.close();
        // Windows may hold a file of the closed app for a moment longer.
        await rm(userData, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      }
    }
  },
});

export { expect };

/** A screenshot of the window into test-results/electron/<dev|packaged>/<name>.png. */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = resultsDir(process.env);
  mkdirSync(dir, { recursive: true });
  const file = name.replace(/[^\w.-]+/g, '-').slice(0, 120);
  await page.screenshot({ path: join(dir, `${file}.png`), animations: 'disabled' });
}
