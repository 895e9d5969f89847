/**
 * What the IPC router needs from the rest of main. The app wires these to the core and to
 * Electron adapters; the end-to-end harness wires them to the same core and test doubles
 * for the things a browser test cannot click (native dialogs, the clipboard, the file manager).
 */
import type {
  AccountPresetsResult,
  ApplyPresetResult,
  OutputSettings,
  OutputSettingsPatch,
} from '../../../shared/ipc/contract';
import type { QueueControls } from '../../../shared/jobs';
import type { Preset } from '../../../shared/presetTypes';
import type { VaultStatus } from '../../../shared/profileTypes';
import type { LocalEngineStatus } from '../../../shared/localEngine';

export interface IpcDialogs {
  /** Native open dialog; [] when cancelled. */
  pickSources(kind: 'files' | 'folder'): Promise<string[]>;
  pickOutputDir(): Promise<string | null>;
  /** One file: where a job's moved source is now; null when cancelled. */
  locateSource(name: string): Promise<string | null>;
  /** A file holding an API key; null when cancelled. */
  pickKeyFile(): Promise<string | null>;
}

export interface IpcShell {
  showItemInFolder(path: string): void | Promise<void>;
  /** Only ever called with an https URL the router has checked. */
  openExternal(url: string): Promise<void>;
}

export interface IpcClipboard {
  readText(): string | Promise<string>;
}

export interface IpcVault {
  status(): Promise<VaultStatus>;
  /** Checks the format, verifies and stores; throws a readable error when refused. */
  setKey(key: string, options: { profileId?: string; sessionOnly?: boolean }): Promise<SavedKey>;
  clear(profileId?: string): Promise<VaultStatus>;
  /** Makes a profile the one new jobs run on (the handler has checked that it has a key). */
  setActive(profileId: string): Promise<VaultStatus>;
  /** Whether the person chose "This computer" to run jobs, rather than it being the default. */
  isLocalChosen(): boolean;
}

/** What a saved key reports: status only, plus the profile it went to and whether it was checked. */
export interface SavedKey {
  status: VaultStatus;
  message: string;
  profileId: string;
  /** true: the API accepted it; null: it could not be checked (saved unverified). */
  verified: boolean | null;
}

export interface IpcSettings {
  get(): OutputSettings | Promise<OutputSettings>;
  update(patch: OutputSettingsPatch): OutputSettings | Promise<OutputSettings>;
}

/** The queue's controls; applyPreset also reports which jobs took the preset (JobQueue does). */
export type IpcQueue = Omit<QueueControls, 'applyPreset'> & {
  applyPreset(ids: string[], presetId: string): ApplyPresetResult | void;
};

export interface IpcCore {
  queue: IpcQueue;
  presets: {
    list(): Preset[] | Promise<Preset[]>;
    refreshAccount(): Promise<AccountPresetsResult>;
  };
  settings: IpcSettings;
  vault: IpcVault;
  dialogs: IpcDialogs;
  clipboard: IpcClipboard;
  shell: IpcShell;
  /** Reads a small text file (a key file the person chose in the native dialog). */
  readTextFile(path: string, maxBytes: number): Promise<string>;
  /** This computer's engine: how it is, and word of each change. */
  engine: {
    status(): LocalEngineStatus;
    subscribe(listener: (status: LocalEngineStatus) => void): () => void;
  };
}
