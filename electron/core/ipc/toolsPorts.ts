/**
 * What the tools' handlers (toolsHandlers.ts) need from main: the preset library, the vault's
 * profiles, the settings, the watch folders, and three native dialogs a browser test answers
 * for itself (appBinding.ts builds this from the core and the host's dialogs).
 */
import type { PresetImportReport, ToolsSettings } from '../../../shared/ipc/contract';
import type { PresetInputArgs } from '../../../shared/ipc/toolsContract';
import type { Preset } from '../../../shared/presetTypes';
import type { VaultStatus } from '../../../shared/profileTypes';
import type { AddWatchRequest, WatchFolderStatus } from '../../../shared/watchTypes';

export interface ToolsDialogs {
  /** A preset file to import; null when cancelled. */
  pickPresetFile(): Promise<string | null>;
  /** Where to save exported presets; null when cancelled. */
  pickPresetSaveFile(defaultName: string): Promise<string | null>;
  /** A folder to watch; null when cancelled. */
  pickWatchFolder(): Promise<string | null>;
}

export interface IpcTools {
  presets: {
    get(id: string): Preset | undefined;
    create(input: PresetInputArgs): Promise<Preset>;
    update(id: string, input: PresetInputArgs): Promise<Preset>;
    remove(id: string): Promise<void>;
    importJson(text: string): Promise<PresetImportReport>;
    exportJson(ids?: string[]): string;
  };
  profiles: {
    add(input: { name: string; baseUrl: string }): Promise<VaultStatus>;
    update(profileId: string, input: { name?: string; baseUrl?: string }): Promise<VaultStatus>;
    remove(profileId: string): Promise<VaultStatus>;
    setWeakStorage(allow: boolean): Promise<VaultStatus>;
    /** The name of another profile that already holds this key (the key pasted into the wrong one), or null. */
    otherProfileWithKey(key: string, profileId: string | undefined): Promise<string | null>;
  };
  settings: {
    get(): ToolsSettings;
    update(patch: Partial<ToolsSettings>): Promise<ToolsSettings>;
  };
  watch: {
    list(): WatchFolderStatus[];
    add(request: AddWatchRequest): Promise<WatchFolderStatus>;
    setPaused(id: string, paused: boolean): Promise<WatchFolderStatus>;
    remove(id: string): Promise<void>;
  };
  dialogs: ToolsDialogs;
  /** Reads a preset file the person chose (bounded), and writes an export. */
  readTextFile(path: string, maxBytes: number): Promise<string>;
  writeTextFile(path: string, text: string): Promise<void>;
}
