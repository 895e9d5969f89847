/**
 * What the IPC router needs from the rest of main. The app wires these to the core and to
 * Electron adapters; the end-to-end harness wires them to the same core and test doubles
 * for the things a browser test cannot click (native dialogs, the clipboard, the file manager).
 */
import type {
  AccountPresetsResult,
  OutputSettings,
  OutputSettingsPatch,
} from '../../../shared/ipc/contract';
import type {
  BulkResult,
  Job,
  JobBrief,
  JobChange,
  QueueControls,
  QueueWindow,
} from '../../../shared/jobs';
import type { JobDetails } from '../../../shared/jobDetails';
import type { Preset } from '../../../shared/presetTypes';
import type { VaultStatus } from '../../../shared/profileTypes';
import type {
  EngineRestartResult,
  FfmpegChoiceResult,
  LocalEngineStatus,
} from '../../../shared/localEngine';
import type { IpcTools } from './toolsPorts';
import type { IpcHistory } from './historyHandlers';

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
  /** Opens a file in its default app; resolves to '' or the reason it could not (shell.openPath). */
  openPath(path: string): Promise<string>;
  /** Starts dragging a file out of the window (webContents.startDrag of the sender's window). */
  startDrag(path: string): void;
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

/** The queue's controls, and the selection's: each reports what it did and why not the rest. */
export type IpcQueue = Omit<QueueControls, 'applyPreset'> & {
  /** One job (a copy), or undefined when it is not in the queue. */
  get(id: string): Job | undefined;
  window(offset: number, limit: number): QueueWindow;
  ids(): string[];
  briefs(): JobBrief[];
  change(ids: readonly string[], change: JobChange): BulkResult;
  cancelMany(ids: readonly string[]): Promise<BulkResult>;
  retryMany(ids: readonly string[]): BulkResult;
  removeMany(ids: readonly string[]): Promise<BulkResult>;
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
  /** A job's details: stage times, the command, the server's or ffmpeg's words. */
  jobDetails(id: string): Promise<JobDetails>;
  /** The preset editor, key profiles, settings and watch folders (toolsHandlers.ts). */
  tools?: IpcTools;
  /** The history of finished jobs (historyHandlers.ts); without it those rows refuse. */
  history?: IpcHistory;
  /** This computer's engine: how it is, and word of each change. */
  engine: {
    status(): LocalEngineStatus;
    subscribe(listener: (status: LocalEngineStatus) => void): () => void;
    /** "Choose ffmpeg…" / "Use automatic"; refused where the host cannot restart its engine. */
    chooseFfmpeg?(): Promise<FfmpegChoiceResult>;
    useAutomaticFfmpeg?(): Promise<FfmpegChoiceResult>;
    /** "Start converter again" once it gave up or was stopped; refused where the host cannot. */
    restart?(): Promise<EngineRestartResult>;
  };
}
