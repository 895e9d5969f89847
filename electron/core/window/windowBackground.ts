/**
 * The colour Electron paints a window with before the page has drawn, and again wherever it
 * has not drawn yet while the window grows: it must be the page's own background (styles.css
 * `--bg`, light and dark), or a person who chose the light theme sees a dark flash at start
 * and dark bands while resizing. A test reads styles.css to keep the two the same.
 */
import type { AppSettings } from '../settings/settingsSchema';

export const WINDOW_BACKGROUND = { light: '#f5f6f8', dark: '#121418' } as const;

/** The saved theme is what `nativeTheme.themeSource` takes: 'system', 'light' or 'dark'. */
export type ThemeSource = AppSettings['theme'];

/** The window's colour once `nativeTheme` has resolved the theme to dark or not. */
export function windowBackground(dark: boolean): string {
  return dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}
