/** File manager and browser hand-offs. openExternal only ever sees a checked https URL. */
import { nativeImage, shell, type BrowserWindow } from 'electron';
import { isSafeExternalUrl } from '../core/ipc/handlers';
import type { IpcShell } from '../core/ipc/ports';

// A 16x16 file glyph for the drag image: startDrag refuses an empty icon.
const DRAG_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAJUlEQVR4nGNgoCawcYv6TwzGa8CHT9/w4lEDRg0YKQZQlJnIAQCWkMJUErlEXgAAAABJRU5ErkJggg==';

/** `win()`: the window a drag starts from (the app has one). */
export function createShell(win: () => BrowserWindow | null = () => null): IpcShell {
  return {
    showItemInFolder: (path) => shell.showItemInFolder(path),
    openPath: (path) => shell.openPath(path),
    startDrag: (path) => {
      win()?.webContents.startDrag({ file: path, icon: nativeImage.createFromDataURL(DRAG_ICON) });
    },
    openExternal: async (url) => {
      if (!isSafeExternalUrl(url)) throw new Error('Only https links can be opened.');
      await shell.openExternal(url);
    },
  };
}
