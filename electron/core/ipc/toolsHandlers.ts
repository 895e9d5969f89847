/**
 * Handlers of the tools' rows (shared/ipc/toolsContract.ts), given arguments the router has
 * validated. Paths never come from the page alone: a preset file is read or written where
 * main's own dialog pointed, a watched folder must have been chosen in main's folder dialog,
 * and its output folder must pass the same check as the queue's (`allowOutputDir`).
 */
import type { z } from 'zod';
import type { IpcContract, ToolsSettings } from '../../../shared/ipc/contract';
import { IpcFailure } from './errors';
import type { IpcTools } from './toolsPorts';

type Args<G extends keyof IpcContract, M extends keyof IpcContract[G]> = IpcContract[G][M] extends {
  args: infer S extends z.ZodType;
}
  ? z.output<S>
  : never;

/** A preset file bigger than this is refused unread. */
export const MAX_PRESET_FILE_BYTES = 32 * 1024 * 1024;

/** Why removing a profile does not end its key: said every time, in the same words. */
export const REMOVE_PROFILE_NOTE =
  'Removing a profile deletes its key from this computer only: the key still works at RenderIO until you revoke it there (https://renderio.dev/dashboard/api-keys).';

const failure = (code: string) => (error: unknown) => {
  throw new IpcFailure(code, error instanceof Error ? error.message : String(error));
};

export function createToolsHandlers(
  maybeTools: IpcTools | undefined,
  allowOutputDir: (dir: string) => Promise<void>,
) {
  const chosenWatchFolders = new Set<string>();
  // A host without the tools (a narrow test core) answers every tools row with this.
  const missing = (): never => {
    throw new IpcFailure('unavailable', 'This part of the app is not available here.');
  };
  const tools: IpcTools =
    maybeTools ?? (new Proxy({}, { get: () => new Proxy({}, { get: () => missing }) }) as IpcTools);
  return {
    presetEditor: {
      create: (arg: Args<'presetEditor', 'create'>) =>
        tools.presets.create(arg.preset).catch(failure('invalid-preset')),
      update: (arg: Args<'presetEditor', 'update'>) =>
        tools.presets.update(arg.id, arg.preset).catch(failure('invalid-preset')),
      remove: (arg: Args<'presetEditor', 'remove'>) =>
        tools.presets.remove(arg.id).catch(failure('invalid-preset')),
      duplicate: async (arg: Args<'presetEditor', 'duplicate'>) => {
        const source = tools.presets.get(arg.id);
        if (!source) throw new IpcFailure('not-found', 'That preset no longer exists.');
        if (source.ffmpegCommand === undefined && source.ffmpegCommands === undefined)
          throw new IpcFailure(
            'invalid-preset',
            'This account preset keeps its command at RenderIO, so there is nothing here to copy.',
          );
        const copyName = `${source.name} (copy)`.slice(0, 100);
        return tools.presets
          .create({
            name: copyName,
            description: source.description,
            category: source.category,
            accepts: [...source.accepts],
            outputs: source.outputs.map((o) => ({ ...o })),
            ...(source.ffmpegCommands
              ? { ffmpegCommands: [...source.ffmpegCommands] }
              : { ffmpegCommand: source.ffmpegCommand }),
          })
          .catch(failure('invalid-preset'));
      },
      importFile: async () => {
        const path = await tools.dialogs.pickPresetFile();
        if (path === null) return null;
        const text = await tools.readTextFile(path, MAX_PRESET_FILE_BYTES).catch(() => {
          throw new IpcFailure(
            'invalid-file',
            'That file could not be read, or it is too large to be a preset file.',
          );
        });
        return tools.presets.importJson(text).catch(failure('invalid-file'));
      },
      exportFile: async (arg: Args<'presetEditor', 'exportFile'>) => {
        const text = tools.presets.exportJson(arg?.ids);
        const path = await tools.dialogs.pickPresetSaveFile('renderio-presets.json');
        if (path === null) return null;
        await tools.writeTextFile(path, text);
        return path;
      },
    },
    profiles: {
      add: (arg: Args<'profiles', 'add'>) =>
        tools.profiles.add(arg).catch(failure('invalid-profile')),
      update: (arg: Args<'profiles', 'update'>) =>
        tools.profiles
          .update(arg.profileId, {
            ...(arg.name !== undefined ? { name: arg.name } : {}),
            ...(arg.baseUrl !== undefined ? { baseUrl: arg.baseUrl } : {}),
          })
          .catch(failure('invalid-profile')),
      remove: (arg: Args<'profiles', 'remove'>) =>
        tools.profiles.remove(arg.profileId).catch(failure('invalid-profile')),
      setWeakStorage: (arg: Args<'profiles', 'setWeakStorage'>) =>
        tools.profiles.setWeakStorage(arg.allow),
    },
    appSettings: {
      get: () => tools.settings.get(),
      update: (arg: Args<'appSettings', 'update'>) => {
        const patch: Partial<ToolsSettings> = {};
        for (const [k, v] of Object.entries(arg))
          if (v !== undefined) Object.assign(patch, { [k]: v });
        return tools.settings.update(patch).catch(failure('invalid-settings'));
      },
    },
    watch: {
      list: () => tools.watch.list(),
      pickFolder: async () => {
        const folder = await tools.dialogs.pickWatchFolder();
        if (folder !== null) chosenWatchFolders.add(folder);
        return folder;
      },
      add: async (arg: Args<'watch', 'add'>) => {
        if (!chosenWatchFolders.has(arg.folder))
          throw new IpcFailure(
            'forbidden-path',
            'Choose the folder to watch with "Choose folder…".',
          );
        await allowOutputDir(arg.outputDir);
        return tools.watch.add(arg).catch(failure('invalid-watch'));
      },
      setPaused: (arg: Args<'watch', 'setPaused'>) =>
        tools.watch.setPaused(arg.id, arg.paused).catch(failure('not-found')),
      remove: (arg: Args<'watch', 'remove'>) =>
        tools.watch.remove(arg.id).catch(failure('not-found')),
    },
  };
}
