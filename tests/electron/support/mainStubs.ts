/**
 * What a test cannot click, replaced inside the running main process: the native open dialog
 * answers with the paths the "person" chose, "Show in folder" records its path instead of
 * opening a file manager, and the clipboard holds the text a person would have copied. The
 * adapters (electron/adapters) look these functions up on Electron's modules at each call, so
 * the app's own code runs on both sides of them.
 */
import type { ElectronApplication } from '@playwright/test';

interface StubGlobals {
  __renderioRevealed?: string[];
}

/** Every open dialog (files, folder, key file) answers with `paths`, as if chosen. */
export async function chooseInOpenDialog(app: ElectronApplication, paths: string[]): Promise<void> {
  await app.evaluate(({ dialog }, chosen) => {
    dialog.showOpenDialog = async () => ({ canceled: false, filePaths: chosen });
  }, paths);
}

/** "Show in folder" records the path main asked to reveal. */
export async function recordReveals(app: ElectronApplication): Promise<void> {
  await app.evaluate(({ shell }) => {
    const g = globalThis as StubGlobals;
    g.__renderioRevealed = [];
    shell.showItemInFolder = (path: string) => void g.__renderioRevealed?.push(path);
  });
}

export function revealedPaths(app: ElectronApplication): Promise<string[]> {
  return app.evaluate(() => [...((globalThis as StubGlobals).__renderioRevealed ?? [])]);
}

/** Puts text on the real system clipboard, from main (the page cannot write it). */
export async function copyToClipboard(app: ElectronApplication, text: string): Promise<void> {
  await app.evaluate(({ clipboard }, value) => clipboard.writeText(value), text);
}
