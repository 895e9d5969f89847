/**
 * The main process, kept thin: lifecycle, the window, and wiring the core to Electron.
 * Security guards live in electron/main/security.ts, the app:// protocol in protocol.ts, the
 * core's wiring (IPC router, adapters, taskbar and notifications) in electron/main/wiring.ts.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { redactValue } from '../shared/redact';
import { installRedactedFatalHandlers } from '../shared/node/fatalErrors';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleAppProtocol, registerAppScheme } from './main/protocol';
import { installSecurityGuards } from './main/security';
import { currentWindowBackground } from './main/theme';
import { createMainWindow } from './main/window';
import { startApp, takeRenderioEnv, type RunningApp } from './main/wiring';

// dist/main/main.mjs → dist/renderer, dist/preload/preload.cjs
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const rendererDir = join(distDir, 'renderer');
const preloadPath = join(distDir, 'preload', 'preload.cjs');

// No crashReporter is started, so Crashpad writes no minidumps; a fatal error prints its
// redacted text only.
installRedactedFatalHandlers();
const renderioEnv = takeRenderioEnv();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let running: RunningApp | null = null;

  const openWindow = (): BrowserWindow => {
    const win = createMainWindow(preloadPath, currentWindowBackground());
    running?.attachWindow(win);
    return win;
  };

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app
    .whenReady()
    .then(async () => {
      installSecurityGuards();
      handleAppProtocol(rendererDir);
      running = await startApp({
        dataDir: app.getPath('userData'),
        env: renderioEnv,
        enginePath: join(distDir, 'engine', 'engineProcess.mjs'),
      });
      openWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow();
      });
    })
    .catch((error: unknown) => {
      // Say why instead of leaving a process with no window; the text is redacted.
      dialog.showErrorBox('RenderIO could not start', redactValue(error));
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !running) return;
    // Let the core persist the queue before the process goes.
    event.preventDefault();
    closing = true;
    void running.close().finally(() => app.quit());
  });
}
