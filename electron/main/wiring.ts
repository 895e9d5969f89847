/**
 * Wires the core to Electron: the safeStorage cipher and net.fetch into createAppCore, the
 * IPC router onto ipcMain (sender: app://renderer only), queue patches to the window, and
 * the aggregate to the taskbar plus one notification per failure and per finished queue.
 */
import { app, ipcMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../core/appCore';
import type { LocalEngineState } from '../../shared/localEngine';
import { redactValue } from '../../shared/redact';
import { superviseLocalEngine } from './localEngine';
import { createIpcCore } from '../core/ipc/appBinding';
import { createIpcRouter, type IpcMainLike } from '../core/ipc/router';
import { createClipboard } from '../adapters/clipboard';
import { createDialogs, createFfmpegDialog, createToolsDialogs } from '../adapters/dialogs';
import { readSavedChosenFfmpeg } from '../core/settings/appSettings';
import { applyTheme, followThemeInWindows } from './theme';
import { appFetch } from '../adapters/appTransport';
import { createNotifier } from '../adapters/notifier';
import { createSafeStorageCipher } from '../adapters/safeStorageCipher';
import { createShell } from '../adapters/shell';
import { APP_ORIGIN } from './appProtocolPath';
import { createAttentionTracker } from './attention';
import { createMenuController, type MenuController } from '../core/menu/menuController';
import { setApplicationMenu } from './menu';

export interface RunningApp {
  attachWindow(win: BrowserWindow): void;
  close(): Promise<void>;
}

/**
 * Takes the RenderIO variables out of process.env before anything else runs, so the key is
 * not inherited by the programs Electron starts (the browser for openExternal, the file
 * manager for showItemInFolder, xdg-open). The core gets its own copy.
 */
export function takeRenderioEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete process.env.RENDERIO_API_KEY;
  delete process.env.RENDERIO_BASE_URL;
  return env;
}

export async function startApp(options: {
  dataDir: string;
  env: Record<string, string | undefined>;
  /** The built engine entry (dist/engine/engineProcess.mjs), run in a utilityProcess. */
  enginePath: string;
}): Promise<RunningApp> {
  let win: BrowserWindow | null = null;
  const live = (): BrowserWindow | null => (win && !win.isDestroyed() ? win : null);

  // The local engine first, in its own process; the core gets its address and key. An engine
  // that cannot start leaves the app usable on RenderIO, and says why.
  let core: AppCore | null = null;
  let engineState: LocalEngineState = { state: 'starting' };
  // The first start comes before the core opens the settings: the saved choice is read here.
  const savedFfmpeg = await readSavedChosenFfmpeg(options.dataDir);
  const supervisor = superviseLocalEngine({
    enginePath: options.enginePath,
    dataDir: join(options.dataDir, 'engine'),
    chosenFfmpeg: () => (core ? core.settings.get().chosenFfmpeg : savedFfmpeg),
    onLink: async (link) => {
      await core?.setLocalEngine(link);
    },
    onState: (state) => {
      engineState = state;
      core?.reportLocalEngineState(state);
    },
  });
  const localEngine = await supervisor.start().catch((error: unknown) => {
    console.error(redactValue(error));
    return null;
  });

  core = await createAppCore({
    dataDir: options.dataDir,
    env: options.env,
    cipher: createSafeStorageCipher(),
    fetch: appFetch,
    localEngine,
    // Lines arrive already redacted by the core's loggers.
    logSink: (level, line) =>
      level === 'error' || level === 'warn' ? console.error(line) : console.log(line),
  });
  const started = core;
  // What happened before the core existed (a failed start) is told now.
  const before = engineState as LocalEngineState;
  if (before.state !== 'ready') core.reportLocalEngineState(before);

  const shell = createShell(live);
  const push = {
    send: (channel: string, payload: unknown) => live()?.webContents.send(channel, payload),
  };
  const router = createIpcRouter({
    ipcMain: ipcMain as unknown as IpcMainLike,
    core: createIpcCore(started, {
      dialogs: createDialogs(live),
      clipboard: createClipboard(),
      shell,
      toolsDialogs: createToolsDialogs(live),
      engineControl: {
        ...createFfmpegDialog(live),
        // The supervisor reads settings.chosenFfmpeg as it starts; its state reaches the window.
        restart: async () => void (await supervisor.restart()),
      },
    }),
    allowedOrigins: [APP_ORIGIN],
    push,
    onError: (line) => console.error(line),
  });

  // The app menu: rebuilt when what it offers changes (Pause or Resume); clicks run in main
  // or go to the page over the menu push channel.
  let menu: MenuController | null = null;
  const runMenuCommand = (command: Parameters<MenuController['run']>[0]): void =>
    void menu?.run(command).catch((error: unknown) => console.error(redactValue(error)));
  menu = createMenuController({
    queue: started.queue,
    settings: started.settings,
    shell,
    push,
    apply: (template) => setApplicationMenu(template, runMenuCommand),
    platform: process.platform,
    development: !app.isPackaged,
    onError: (line) => console.error(line),
  });

  const notifier = createNotifier();
  const attention = createAttentionTracker(started.queue.snapshot(), {
    setProgress: (value) => live()?.setProgressBar(value),
    // The person may turn notifications off in Settings; the taskbar progress stays.
    notify: (title, body) => {
      if (started.settings.get().notifications) notifier.notify(title, body);
    },
  });
  const stopAttention = started.queue.subscribe((patches) => attention.onPatches(patches));

  // The saved theme decides the window's first colour (set before any window opens) and
  // follows a change in Settings or, for 'system', in the OS.
  let theme = started.settings.get().theme;
  applyTheme(theme);
  const stopThemeInWindows = followThemeInWindows();
  const stopThemeSetting = started.settings.subscribe((next) => {
    if (next.theme === theme) return;
    theme = next.theme;
    applyTheme(theme);
  });

  return {
    attachWindow(next) {
      win = next;
      next.on('closed', () => {
        if (win === next) win = null;
      });
    },
    async close() {
      menu?.dispose();
      stopAttention();
      stopThemeSetting();
      stopThemeInWindows();
      router.dispose();
      await started.close();
      await supervisor.stop();
    },
  };
}
