/**
 * The theme as the window applies it, remembered in the page's own storage so the next start
 * applies it before the app has loaded (public/theme-boot.js reads it; main's settings remain
 * the source of truth and win as soon as they arrive).
 */
export type Theme = 'system' | 'light' | 'dark';

export const THEME_KEY = 'renderio.theme';

export function applyThemeToPage(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') {
    delete root.dataset.theme;
    root.style.colorScheme = '';
  } else {
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  }
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    /* storage unavailable: only the early start follows the system */
  }
}
