/** Native dialogs, always parented to the app window and always opened from main. */
import {
  dialog,
  type BrowserWindow,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import type { IpcDialogs } from '../core/ipc/ports';
import type { ToolsDialogs } from '../core/ipc/toolsPorts';
// The same list the core uses to accept files, so the dialog offers exactly what is taken.
import { SUPPORTED_EXTENSIONS } from '../../shared/presets';

export function createDialogs(getWindow: () => BrowserWindow | null): IpcDialogs {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const win = getWindow();
    const result = win
      ? await dialog.showOpenDialog(win, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
  return {
    pickSources: (kind) =>
      kind === 'folder'
        ? open({ title: 'Add a folder', properties: ['openDirectory', 'multiSelections'] })
        : open({
            title: 'Add files',
            properties: ['openFile', 'multiSelections'],
            filters: [
              { name: 'Media files', extensions: [...SUPPORTED_EXTENSIONS] },
              { name: 'All files', extensions: ['*'] },
            ],
          }),
    pickOutputDir: async () =>
      (
        await open({ title: 'Save results in', properties: ['openDirectory', 'createDirectory'] })
      )[0] ?? null,
    locateSource: async (name) =>
      (
        await open({
          title: `Where is ${name} now?`,
          properties: ['openFile'],
          filters: [
            { name: 'Media files', extensions: [...SUPPORTED_EXTENSIONS] },
            { name: 'All files', extensions: ['*'] },
          ],
        })
      )[0] ?? null,
    pickKeyFile: async () =>
      (
        await open({
          title: 'Import a RenderIO API key',
          properties: ['openFile'],
          filters: [
            { name: 'Key or text files', extensions: ['txt', 'key', 'env'] },
            { name: 'All files', extensions: ['*'] },
          ],
        })
      )[0] ?? null,
  };
}

/** The tools' dialogs: preset files to import or export, a folder to watch. */
export function createToolsDialogs(getWindow: () => BrowserWindow | null): ToolsDialogs {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = getWindow();
    const result = win
      ? await dialog.showOpenDialog(win, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  const save = async (options: SaveDialogOptions): Promise<string | null> => {
    const win = getWindow();
    const result = win
      ? await dialog.showSaveDialog(win, options)
      : await dialog.showSaveDialog(options);
    return result.canceled ? null : (result.filePath ?? null);
  };
  return {
    pickPresetFile: () =>
      open({
        title: 'Import presets',
        properties: ['openFile'],
        filters: [{ name: 'Preset files', extensions: ['json'] }],
      }),
    pickPresetSaveFile: (defaultName) =>
      save({
        title: 'Export presets',
        defaultPath: defaultName,
        filters: [{ name: 'Preset files', extensions: ['json'] }],
      }),
    pickWatchFolder: () => open({ title: 'Watch a folder', properties: ['openDirectory'] }),
  };
}

/**
 * "Choose ffmpeg…": one file, the program itself. Windows offers .exe files; elsewhere ffmpeg has
 * no extension, so no filter. The core checks the file before anything is saved.
 */
export function createFfmpegDialog(getWindow: () => BrowserWindow | null): {
  pickFfmpeg(): Promise<string | null>;
} {
  return {
    async pickFfmpeg() {
      const options: OpenDialogOptions = {
        title: 'Choose ffmpeg',
        buttonLabel: 'Use this ffmpeg',
        properties: ['openFile', 'showHiddenFiles'],
        ...(process.platform === 'win32'
          ? { filters: [{ name: 'Programs', extensions: ['exe'] }] }
          : {}),
      };
      const win = getWindow();
      const result = win
        ? await dialog.showOpenDialog(win, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
