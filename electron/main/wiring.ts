/**
 * Wires the core to Electron: the safeStorage cipher and net.fetch into createAppCore, the
 * IPC router onto ipcMain (sender: app://renderer only), queue patches to the window, and
 * the aggregate to the taskbar plus one notification per failure and per finished queue.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { createAppCore } from '../core/appCore';
import { createIpcCore } from '../core/ipc/appBinding';
import { createIpcRouter, type IpcMainLike } from '../core/ipc/router';
import { createClipboard } from '../adapters/clipboard';
import { createDialogs } from '../adapters/dialogs';
import { appFetch } from '../adapters/appTransport';
import { createNotifier } from '../adapters/notifier';
import { createSafeStorageCipher } from '../adapters/safeStorageCipher';
import { createShell } from '../adapters/shell';
import { APP_ORIGIN } from './appProtocolPath';
import { createAttentionTracker } from './attention';

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
}): Promise<RunningApp> {
  let win: BrowserWindow | null = null;
  const live = (): BrowserWindow | null => (win && !win.isDestroyed() ? win : null);

  const core = await createAppCore({
    dataDir: options.dataDir,
    env: options.env,
    cipher: createSafeStorageCipher(),
    fetch: appFetch,
    startLocalEngine: true,
    // Lines arrive already redacted by the core's loggers.
    logSink: (level, line) =>
      level === 'error' || level === 'warn' ? console.error(line) : console.log(line),
  });

  const router = createIpcRouter({
    ipcMain: ipcMain as unknown as IpcMainLike,
    core: createIpcCore(core, {
      dialogs: createDialogs(live),
      clipboard: createClipboard(),
      shell: createShell(),
    }),
    allowedOrigins: [APP_ORIGIN],
    push: { send: (channel, payload) => live()?.webContents.send(channel, payload) },
    onError: (line) => console.error(line),
  });

  const notifier = createNotifier();
  const attention = createAttentionTracker(core.queue.snapshot(), {
    setProgress: (value) => live()?.setProgressBar(value),
    notify: (title, body) => notifier.notify(title, body),
  });
  const stopAttention = core.queue.subscribe((patches) => attention.onPatches(patches));

  return {
    attachWindow(next) {
      win = next;
      next.on('closed', () => {
        if (win === next) win = null;
      });
    },
    async close() {
      stopAttention();
      router.dispose();
      await core.close();
    },
  };
}
