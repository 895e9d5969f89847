/**
 * A stand-in for the `electron` module, for loading the BUILT main and preload bundles in
 * plain Node (the Electron binary cannot run here). It records what the bundles ask of
 * Electron so tests can check the security settings and the IPC wiring; everything behind
 * it (core, engine, router) is real.
 */
export const ELECTRON_STUB_SOURCE = String.raw`
import { EventEmitter } from 'node:events';
const rec = (globalThis.__electronStub ??= {
  handlers: new Map(), windows: [], schemes: [], protocolHandlers: new Map(), sent: [],
  permissionRequest: null, permissionCheck: null, opened: [], notifications: [], progress: [],
  appEvents: new EventEmitter(), readyResolve: null, quitCalled: 0, userData: '',
});
export const app = {
  requestSingleInstanceLock: () => true,
  quit: () => { rec.quitCalled++; },
  on: (name, fn) => { rec.appEvents.on(name, fn); return app; },
  whenReady: () => new Promise((resolve) => { rec.readyResolve = resolve; }),
  getPath: () => rec.userData,
};
class WebContents extends EventEmitter {
  constructor() { super(); this.windowOpenHandler = null; }
  send(channel, payload) { rec.sent.push({ channel, payload }); }
  setWindowOpenHandler(fn) { this.windowOpenHandler = fn; }
}
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options; this.webContents = new WebContents(); this.loaded = null; this.destroyed = false;
    rec.windows.push(this);
    rec.appEvents.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows() { return rec.windows; }
  loadURL(url) { this.loaded = url; return Promise.resolve(); }
  isDestroyed() { return this.destroyed; }
  isMinimized() { return false; }
  setProgressBar(v) { rec.progress.push(v); }
  show() {}
}
export const ipcMain = {
  handle: (channel, fn) => { rec.handlers.set(channel, fn); },
  removeHandler: (channel) => { rec.handlers.delete(channel); },
};
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => { rec.schemes.push(...schemes); },
  handle: (scheme, fn) => { rec.protocolHandlers.set(scheme, fn); },
};
export const net = { fetch: (input, init) => fetch(input, init) };
export const session = { defaultSession: {
  setPermissionRequestHandler: (fn) => { rec.permissionRequest = fn; },
  setPermissionCheckHandler: (fn) => { rec.permissionCheck = fn; },
  setDevicePermissionHandler: () => {},
} };
export const shell = { openExternal: async (url) => { rec.opened.push(url); }, showItemInFolder: () => {} };
export const dialog = { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) };
export const clipboard = { readText: () => '' };
export class Notification { static isSupported() { return true; } constructor(o) { this.o = o; } show() { rec.notifications.push(this.o); } }
// Linux without a key store: the adapter must call this insecure.
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(s).reverse(),
  decryptString: (b) => Buffer.from(b).reverse().toString(),
  getSelectedStorageBackend: () => 'basic_text',
};
export default { app, BrowserWindow, ipcMain, protocol, net, session, shell, dialog, clipboard, Notification, safeStorage };
`;
