/**
 * The saved theme reaches Electron: `nativeTheme.themeSource` follows the setting (so menus,
 * dialogs and the page's prefers-color-scheme agree with it, docs/api/native-theme.md), and
 * every window's background follows what that resolves to, now and when the OS switches.
 */
import { BrowserWindow, nativeTheme } from 'electron';
import { windowBackground, type ThemeSource } from '../core/window/windowBackground';

/** Applies a theme: the open windows repaint through followThemeInWindows' 'updated'. */
export function applyTheme(theme: ThemeSource): void {
  nativeTheme.themeSource = theme;
}

export function currentWindowBackground(): string {
  return windowBackground(nativeTheme.shouldUseDarkColors);
}

/** Keeps the open windows' background in step with the theme; returns the unsubscribe. */
export function followThemeInWindows(): () => void {
  const repaint = (): void => {
    const colour = currentWindowBackground();
    for (const win of BrowserWindow.getAllWindows())
      if (!win.isDestroyed()) win.setBackgroundColor(colour);
  };
  nativeTheme.on('updated', repaint);
  return () => void nativeTheme.off('updated', repaint);
}
