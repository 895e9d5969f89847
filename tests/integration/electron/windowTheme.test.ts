/**
 * The window's colour before the page draws (electron/main/theme.ts, core/window/
 * windowBackground.ts): the BUILT main under the Electron double sets `nativeTheme.themeSource`
 * from the saved theme before the window opens, opens the window in the page's own background,
 * and repaints it when Settings or the OS switch. Then styles.css is read: the colours are the
 * page's `--bg`, light and dark, so nothing flashes between the two.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_BACKGROUND } from '../../../electron/core/window/windowBackground';
import {
  builtBundlesExist,
  startBuiltApp,
  type RunningBuiltApp,
} from '../../support/electron/builtApp';
import { NativeThemeDouble } from '../../support/electron/nativeTheme';
import { tempDir } from '../../support/media';

const built = builtBundlesExist();

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await sleep(20);
}

describe.runIf(built)('the window follows the theme from its first frame', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: RunningBuiltApp;

  beforeAll(async () => {
    dir = await tempDir('renderio-window-theme-');
    // A light system: the default theme ('system') resolves to light, which the window's old
    // fixed dark colour would have failed.
    app = await startBuiltApp({ dir: dir.path, double: { platform: 'linux', systemDark: false } });
  });
  afterAll(async () => {
    await app?.quit();
    await dir?.cleanup();
  });

  it('opens in the light background on a light system, with themeSource "system"', () => {
    expect(app.double.control.nativeTheme.themeSource).toBe('system');
    expect(app.win.options.backgroundColor).toBe(WINDOW_BACKGROUND.light);
  });

  it('a dark theme chosen in Settings repaints the window dark, and the OS no longer moves it', async () => {
    await app.api.appSettings.update({ theme: 'dark' });
    await until(() => app.win.backgroundColors.at(-1) === WINDOW_BACKGROUND.dark);
    expect(app.double.control.nativeTheme.themeSource).toBe('dark');
    expect(app.win.backgroundColors.at(-1)).toBe(WINDOW_BACKGROUND.dark);
    app.double.control.nativeTheme.setSystemDark(true);
    app.double.control.nativeTheme.setSystemDark(false);
    expect(app.win.backgroundColors.at(-1)).toBe(WINDOW_BACKGROUND.dark);
  });

  it('back on "system", the window follows the OS as it switches', async () => {
    await app.api.appSettings.update({ theme: 'system' });
    await until(() => app.win.backgroundColors.at(-1) === WINDOW_BACKGROUND.light);
    expect(app.win.backgroundColors.at(-1)).toBe(WINDOW_BACKGROUND.light);
    app.double.control.nativeTheme.setSystemDark(true);
    expect(app.win.backgroundColors.at(-1)).toBe(WINDOW_BACKGROUND.dark);
  });

  it('a theme saved last time is applied before the window exists', async () => {
    const second = join(dir.path, 'second');
    await mkdir(join(second, 'userData'), { recursive: true });
    await writeFile(
      join(second, 'userData', 'settings.json'),
      JSON.stringify({ version: 1, theme: 'light' }),
    );
    const again = await startBuiltApp({
      dir: second,
      double: { platform: 'linux', systemDark: true },
    });
    try {
      expect(again.double.control.nativeTheme.themeSource).toBe('light');
      expect(again.win.options.backgroundColor).toBe(WINDOW_BACKGROUND.light);
      expect(again.win.backgroundColors).toEqual([]);
    } finally {
      await again.quit();
    }
  });
});

describe('the window colours are the page’s own', () => {
  it('match styles.css --bg for light (the root) and dark (the data-theme override)', async () => {
    const css = await readFile(
      join(import.meta.dirname, '../../../renderer/src/styles.css'),
      'utf8',
    );
    const bgs = [...css.matchAll(/--bg:\s*(#[0-9a-f]{6})/gi)].map((m) => m[1]!.toLowerCase());
    expect(bgs[0]).toBe(WINDOW_BACKGROUND.light);
    expect(bgs.slice(1).every((c) => c === WINDOW_BACKGROUND.dark)).toBe(true);
    expect(bgs.length).toBeGreaterThanOrEqual(2);
  });
});

describe('the double of nativeTheme refuses what Electron refuses', () => {
  it('takes only system, light or dark, and keeps shouldUseDarkColors read-only', () => {
    const theme = new NativeThemeDouble(true);
    expect(() => (theme.themeSource = 'Dark')).toThrow(TypeError);
    expect(() => (theme.themeSource = undefined)).toThrow(TypeError);
    expect(theme.themeSource).toBe('system');
    expect(() => ((theme as { shouldUseDarkColors: boolean }).shouldUseDarkColors = false)).toThrow(
      TypeError,
    );
    let updates = 0;
    theme.on('updated', () => updates++);
    theme.themeSource = 'light';
    expect([theme.shouldUseDarkColors, updates]).toEqual([false, 1]);
    theme.setSystemDark(false);
    theme.themeSource = 'system';
    expect([theme.shouldUseDarkColors, updates]).toEqual([false, 3]);
  });
});
