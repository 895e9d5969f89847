/** File manager and browser hand-offs. openExternal only ever sees a checked https URL. */
import { shell } from 'electron';
import { isSafeExternalUrl } from '../core/ipc/handlers';
import type { IpcShell } from '../core/ipc/ports';

export function createShell(): IpcShell {
  return {
    showItemInFolder: (path) => shell.showItemInFolder(path),
    openExternal: async (url) => {
      if (!isSafeExternalUrl(url)) throw new Error('Only https links can be opened.');
      await shell.openExternal(url);
    },
  };
}
