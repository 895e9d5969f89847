/**
 * Tools intents: each calls main, then says what happened in the open tool. An action a person
 * takes (`toolIntent`) first clears what the last one said, so an old message never stands
 * beside what is true now; a read the tools make by themselves (`toolRead`: the watch list every
 * second, the settings when a tab opens) leaves it, and speaks only when it fails.
 */
import { errorMessage, requireApi, type Api } from '../../api';
import { useAppStore } from '../../store/appStore';
import { useToolsStore, type ToolMessage } from '../../store/toolsStore';
import { applyThemeToPage } from '../../lib/themeCache';

/** Forgets what the tools last said: a new action, or what it spoke of changed. */
export function clearToolMessage(): void {
  if (useToolsStore.getState().message !== null) useToolsStore.setState({ message: null });
}

/**
 * What a done action says: a sentence (success), or a sentence with its tone when it was done
 * with a caveat (`warn`: keys stored weakly, part of a file imported).
 */
export type Success<T> = (value: T) => string | (ToolMessage & { kind: 'ok' | 'warn' });

export async function toolIntent<T>(
  run: (api: Api) => Promise<T>,
  success?: Success<T>,
): Promise<T | undefined> {
  clearToolMessage();
  return toolRead(run, success);
}

/** As toolIntent, but what was said before stays (a read the tools make by themselves). */
export async function toolRead<T>(
  run: (api: Api) => Promise<T>,
  success?: Success<T>,
): Promise<T | undefined> {
  try {
    const value = await run(requireApi());
    if (success) {
      const said = success(value);
      if (typeof said === 'string') useToolsStore.getState().say('ok', said);
      else useToolsStore.getState().say(said.kind, said.text);
    }
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
