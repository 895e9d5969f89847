/** The one application window: sandboxed, isolated, no Node, no <webview>. */
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './appProtocolPath';

/** `backgroundColor`: the page's own background for the saved theme (main/theme.ts). */
export function createMainWindow(preloadPath: string, backgroundColor: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'RenderIO',
    backgroundColor,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
