/** Tools intents: each calls main, then says what happened in the open tool. */
import { errorMessage, requireApi, type Api } from '../../api';
import { useAppStore } from '../../store/appStore';
import { useToolsStore } from '../../store/toolsStore';
import { applyThemeToPage } from '../../lib/themeCache';

export async function toolIntent<T>(
  run: (api: Api) => Promise<T>,
  success?: (value: T) => string,
): Promise<T | undefined> {
  try {
    const value = await run(requireApi());
    if (success) useToolsStore.getState().say('ok', success(value));
    return value;
  } catch (error) {
    useToolsStore.getState().say('error', errorMessage(error));
    return undefined;
  }
}

/** The preset list again, after a change (the picker reads the same store). */
export async function reloadPresets(): Promise<void> {
  const presets = await requireApi().presets.list();
  useAppStore.getState().setPresets(presets);
}

/** Applies the theme and remembers it for the next start (lib/themeCache.ts). */
export function applyTheme(theme: 'system' | 'light' | 'dark'): void {
  applyThemeToPage(theme);
}
