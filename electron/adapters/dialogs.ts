/** Native dialogs, always parented to the app window and always opened from main. */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { IpcDialogs } from '../core/ipc/ports';

const MEDIA_EXTENSIONS = [
  'mp4',
  'mov',
  'mkv',
  'webm',
  'avi',
  'm4v',
  'mpg',
  'mpeg',
  'ts',
  'mts',
  'm2ts',
  'wmv',
  'flv',
  '3gp',
  'ogv',
  'mp3',
  'wav',
  'flac',
  'm4a',
  'aac',
  'ogg',
  'opus',
  'wma',
  'aif',
  'aiff',
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
  'bmp',
  'tif',
  'tiff',
  'heic',
];

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
              { name: 'Media files', extensions: MEDIA_EXTENSIONS },
              { name: 'All files', extensions: ['*'] },
            ],
          }),
    pickOutputDir: async () =>
      (
        await open({ title: 'Save results in', properties: ['openDirectory', 'createDirectory'] })
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
