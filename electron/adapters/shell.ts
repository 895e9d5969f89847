/** File manager and browser hand-offs. openExternal only ever sees a checked https URL. */
import { shell } from 'electron';
import type { IpcShell } from '../core/ipc/ports';

export function createShell(): IpcShell {
  return {
    showItemInFolder: (path) => shell.showItemInFolder(path),
    openExternal: async (url) => {
      if (new URL(url).protocol !== 'https:') throw new Error('Only https links can be opened.');
      await shell.openExternal(url);
    },
  };
}
