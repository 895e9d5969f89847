/**
 * App-wide guards from Electron's security checklist: no navigation, no new windows (https
 * links open in the browser after a URL check), no <webview>, and every permission denied.
 */
import { app, session, shell, type WebContents } from 'electron';
import { isSafeExternalUrl } from '../core/ipc/handlers';

function guardContents(contents: WebContents): void {
  // Also keeps a file dropped outside the drop zone from replacing the UI.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function installSecurityGuards(): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}
