/**
 * The channel names of the IPC contract, with no schema code: the preload and the harness
 * bundle only this (a few hundred bytes), while main validates with contract.ts.
 */
import { historyChannels } from './historyChannels';
import { toolsChannels } from './toolsChannels';
export const ipcChannels = {
  queue: {
    snapshot: 'queue:snapshot',
    add: 'queue:add',
    pauseAll: 'queue:pause-all',
    resumeAll: 'queue:resume-all',
    stopAfterRunning: 'queue:stop-after-running',
    retryAllFailed: 'queue:retry-all-failed',
    retryNow: 'queue:retry-now',
    clearFinished: 'queue:clear-finished',
    window: 'queue:window',
    ids: 'queue:ids',
    briefs: 'queue:briefs',
  },
  jobs: {
    cancel: 'job:cancel',
    retry: 'job:retry',
    remove: 'job:remove',
    move: 'job:move',
    cancelMany: 'job:cancel-many',
    retryMany: 'job:retry-many',
    removeMany: 'job:remove-many',
    change: 'job:change',
    reveal: 'job:reveal',
    locateSource: 'job:locate-source',
    open: 'job:open',
    startDrag: 'job:start-drag',
    details: 'job:details',
  },
  presets: {
    list: 'presets:list',
    refreshAccount: 'presets:refresh-account',
  },
  // The tools of issue 13: preset editor, key profiles, app settings, watch folders.
  ...toolsChannels,
  settings: {
    get: 'settings:get',
    update: 'settings:update',
  },
  vault: {
    status: 'vault:status',
    pasteFromClipboard: 'vault:paste-from-clipboard',
    importFromFile: 'vault:import-from-file',
    clear: 'vault:clear',
    setActive: 'vault:set-active',
  },
  dialogs: {
    pickSources: 'dialog:pick-sources',
    pickOutputDir: 'dialog:pick-output-dir',
  },
  shell: {
    openExternal: 'shell:open-external',
  },
  engine: {
    status: 'engine:status',
    chooseFfmpeg: 'engine:choose-ffmpeg',
    useAutomaticFfmpeg: 'engine:use-automatic-ffmpeg',
    restart: 'engine:restart',
  },
  // The history of finished jobs (issue 12).
  ...historyChannels,
} as const;

export type IpcChannels = typeof ipcChannels;

/** Main → renderer: the queue's patches, throttled, in order. */
export const QUEUE_UPDATE_CHANNEL = 'queue:update';
/** Main → renderer: this computer's engine, each time its status changes. */
export const ENGINE_STATUS_CHANNEL = 'engine:status-changed';
/** Main → renderer: an app-menu item the page carries out ({ command }, shared/shortcuts.ts). */
export const MENU_COMMAND_CHANNEL = 'menu:command';
/** Every push channel the preload lets the page listen to. */
export const PUSH_CHANNELS: readonly string[] = [
  QUEUE_UPDATE_CHANNEL,
  ENGINE_STATUS_CHANNEL,
  MENU_COMMAND_CHANNEL,
];
