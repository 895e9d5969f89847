/**
 * A strict double of the `electron` module, for running the app's own wiring (the built main
 * and preload bundles) in plain Node, where no Electron binary can be had. It refuses what
 * Electron refuses; each rule cites its source in the module that holds it:
 *   net/         net.request / net.fetch over real HTTP (restricted headers, body buffering,
 *                redirects, net::ERR_ errors, start-up order)
 *   app.ts       lifecycle and start-up order; quit / exit
 *   windows.ts   BrowserWindow, webContents (no window before ready; destroyed objects)
 *   ipc.ts       ipcMain / ipcRenderer (structured clone, error text, senderFrame null)
 *   contextBridge.ts   what crosses from the preload's world to the page's
 *   safeStorage.ts     the async API with shouldReEncrypt; before-ready refusals
 *   utility/     utilityProcess.fork (a real child process with process.parentPort)
 *   menu.ts      Menu.buildFromTemplate / setApplicationMenu (template, role, type, accelerator)
 *   nativeImage.ts     createFromDataURL decodes PNG/JPEG or gives an empty image
 *   nativeTheme.ts     themeSource takes system/light/dark only; shouldUseDarkColors follows it
 *   windows.ts also holds webContents.startDrag (icon required and not empty, file or files)
 * and here: session (TypeError before ready), protocol (schemes only before ready, handlers
 * only after), dialog (only after ready, but showErrorBox), shell, clipboard, Notification,
 * webUtils. Anything the app calls that is not modelled is absent, so it fails loudly.
 * docs/ELECTRON.md lists the rules and what only the `_electron` suite can prove.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { runInNewContext } from 'node:vm';
import { AppDouble } from './app';
import { exposeInWorld } from './contextBridge';
import { IpcMainDouble, IpcRendererDouble } from './ipc';
import { createNetDouble, type NetDouble } from './net/netModule';
import type { NetworkEnvironment } from './net/urlLoader';
import { SafeStorageDouble, type SafeStorageDoubleOptions } from './safeStorage';
import { BrowserWindowDouble, type WebContentsDouble, type WindowHost } from './windows';
import { UtilityProcessDouble, type ForkOptions } from './utility/utilityProcess';
import { createMenuModule, type MenuModule } from './menu';
import { nativeImageDouble } from './nativeImage';
import { NativeThemeDouble } from './nativeTheme';

export interface ElectronDoubleOptions {
  userData: string;
  platform?: NodeJS.Platform;
  safeStorage?: Omit<SafeStorageDoubleOptions, 'platform'>;
  /** Certificates the "operating system" trusts (Chromium verifies with the OS store). */
  trustedCertificates?: string[];
  /** Whether the OS prefers dark colours (nativeTheme with themeSource 'system'). */
  systemDark?: boolean;
}

export interface OpenDialogAnswer {
  canceled: boolean;
  filePaths: string[];
}

type Listener = (...args: unknown[]) => void;

export interface ProtocolScheme {
  scheme: string;
  privileges?: Record<string, boolean>;
}

export interface ElectronDouble {
  /** What `import … from 'electron'` gives the main process. */
  main: ReturnType<typeof buildMainModule>;
  control: {
    emitReady(): void;
    app: AppDouble;
    windows: BrowserWindowDouble[];
    schemes: ProtocolScheme[];
    /** Calls the app's protocol handler as Chromium would for a page request. */
    protocolFetch(url: string): Promise<Response>;
    permissionRequest: Listener | null;
    permissionCheck: ((...args: unknown[]) => boolean) | null;
    openDialogAnswers: OpenDialogAnswer[];
    openDialogCalls: unknown[];
    errorBoxes: { title: string; content: string }[];
    clipboardText: string;
    opened: string[];
    revealed: string[];
    notifications: { title?: string; body?: string }[];
    network: NetworkEnvironment;
    safeStorage: SafeStorageDouble;
    /** The utility processes the app forked (real child processes). */
    utilityProcesses: UtilityProcessDouble[];
    /** Menu's record: every application menu set, the roles clicked. */
    menu: MenuModule;
    /** nativeTheme, with `setSystemDark` standing for the OS's switch. */
    nativeTheme: NativeThemeDouble;
    /** A File the page can hold whose path webUtils.getPathForFile knows. */
    fileWithPath(path: string, name?: string): File;
    dispose(): void;
  };
  /**
   * Loads a page into a window: runs the preload in its own world (a sandboxed preload may
   * require only 'electron', 'events', 'timers' and 'url': docs/tutorial/sandbox.md) with the
   * renderer side of the double, and returns the page's world (its `window`).
   */
  loadPage(win: BrowserWindowDouble, preloadSource: string): Record<string, unknown>;
}

function buildMainModule(parts: {
  app: AppDouble;
  net: NetDouble;
  ipcMain: IpcMainDouble;
  host: WindowHost;
  session: () => unknown;
  protocol: unknown;
  dialog: unknown;
  shell: unknown;
  clipboard: unknown;
  safeStorage: SafeStorageDouble;
  Notification: unknown;
  utilityProcess: unknown;
  menu: MenuModule;
  nativeTheme: NativeThemeDouble;
}) {
  const { host } = parts;
  class BrowserWindow extends BrowserWindowDouble {
    constructor(options: Record<string, unknown>) {
      super(options, host);
    }
    static getAllWindows(): BrowserWindowDouble[] {
      return [...host.windows];
    }
    static fromWebContents(contents: unknown): BrowserWindowDouble | null {
      return host.windows.find((w) => w.webContents === contents) ?? null;
    }
  }
  return {
    app: parts.app,
    BrowserWindow,
    ipcMain: parts.ipcMain,
    net: parts.net,
    get session() {
      return {
        get defaultSession() {
          return parts.session();
        },
      };
    },
    protocol: parts.protocol,
    dialog: parts.dialog,
    shell: parts.shell,
    clipboard: parts.clipboard,
    safeStorage: parts.safeStorage,
    Notification: parts.Notification,
    utilityProcess: parts.utilityProcess,
    Menu: parts.menu.Menu,
    nativeImage: nativeImageDouble,
    nativeTheme: parts.nativeTheme,
  };
}

export function createElectronDouble(options: ElectronDoubleOptions): ElectronDouble {
  const windows: BrowserWindowDouble[] = [];
  const app = new AppDouble(
    { userData: options.userData, temp: options.userData, logs: options.userData },
    {
      closeAllWindows: () => {
        [...windows].forEach((w) => w.close());
        return windows.length === 0;
      },
    },
  );
  const requireReady = (message: string, kind?: 'TypeError'): void => {
    if (app.isReady()) return;
    throw kind === 'TypeError' ? new TypeError(message) : new Error(message);
  };
  const network: NetworkEnvironment = {
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) RenderIO/0.0.0 Chrome/140.0.0.0 Electron/45.6.1 Safari/537.36',
    trustedCertificates: options.trustedCertificates ?? [],
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
    stats: { peakBufferedUploadBytes: 0, requests: 0, chunkedUploads: 0 },
  };
  const net = createNetDouble(network, requireReady);
  const ipcMain = new IpcMainDouble();
  const host: WindowHost = {
    isReady: () => app.isReady(),
    announce: (contents: WebContentsDouble) => app.emit('web-contents-created', {}, contents),
    windows,
    lastWindowClosed: () => app.lastWindowClosed(),
  };
  const schemes: ProtocolScheme[] = [];
  const handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  const safeStorage = new SafeStorageDouble(
    { platform: options.platform ?? 'linux', ...options.safeStorage },
    () => app.isReady(),
  );
  const menu = createMenuModule({ platform: options.platform ?? 'linux', appName: 'RenderIO' });
  const nativeTheme = new NativeThemeDouble(options.systemDark ?? false);
  const control: ElectronDouble['control'] = {
    emitReady: () => app.markReady(),
    menu,
    nativeTheme,
    app,
    windows,
    schemes,
    async protocolFetch(url) {
      const scheme = new URL(url).protocol.slice(0, -1);
      const handler = handlers.get(scheme);
      if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${scheme})`);
      return handler(new Request(url));
    },
    permissionRequest: null,
    permissionCheck: null,
    openDialogAnswers: [],
    openDialogCalls: [],
    errorBoxes: [],
    clipboardText: '',
    opened: [],
    revealed: [],
    notifications: [],
    network,
    safeStorage,
    utilityProcesses: [],
    fileWithPath(path, name) {
      const file = new File([], name ?? path.split(/[\\/]/).pop() ?? 'file');
      filePaths.set(file, path);
      return file;
    },
    dispose() {
      network.httpAgent.destroy();
      network.httpsAgent.destroy();
      for (const child of control.utilityProcesses) child.crashForTest();
    },
  };
  const filePaths = new WeakMap<object, string>();

  const defaultSession = {
    setPermissionRequestHandler: (fn: Listener) => void (control.permissionRequest = fn),
    setPermissionCheckHandler: (fn: (...a: unknown[]) => boolean) =>
      void (control.permissionCheck = fn),
    setDevicePermissionHandler: () => undefined,
    fetch: (input: string | Request, init?: RequestInit) => net.fetch(input, init),
    protocol: {
      handle(scheme: string, handler: (request: Request) => Response | Promise<Response>) {
        if (handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
        handlers.set(scheme, handler);
      },
      unhandle(scheme: string) {
        if (!handlers.delete(scheme)) throw new Error(`Failed to unhandle protocol: ${scheme}`);
      },
      isProtocolHandled: (scheme: string) => handlers.has(scheme),
    },
  };
  // session.defaultSession and everything reached through it need a ready app
  // (shell/browser/api/electron_api_session.cc FromPartition: a TypeError).
  const session = (): typeof defaultSession => {
    requireReady('Session can only be received when app is ready', 'TypeError');
    return defaultSession;
  };
  const protocol = {
    registerSchemesAsPrivileged(custom: ProtocolScheme[]) {
      // electron_api_protocol.cc: "should be called before app is ready".
      if (app.isReady())
        throw new Error(
          'protocol.registerSchemesAsPrivileged should be called before app is ready',
        );
      schemes.push(...custom);
    },
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) =>
      session().protocol.handle(scheme, handler),
    unhandle: (scheme: string) => session().protocol.unhandle(scheme),
    isProtocolHandled: (scheme: string) => session().protocol.isProtocolHandled(scheme),
  };
  const dialog = {
    // docs/api/dialog.md: "This API can be called safely before the ready event".
    showErrorBox: (title: string, content: string) =>
      void control.errorBoxes.push({ title, content }),
    showOpenDialog(...args: unknown[]): Promise<OpenDialogAnswer> {
      // lib/browser/api/dialog.ts checkAppInitialized, in a function that is not async: it
      // throws before any promise exists.
      requireReady('dialog module can only be used after app is ready');
      checkOpenDialogOptions(args.at(-1));
      control.openDialogCalls.push(args.at(-1));
      return Promise.resolve(
        control.openDialogAnswers.shift() ?? { canceled: true, filePaths: [] },
      );
    },
  };
  const shell = {
    openExternal: async (url: string) => void control.opened.push(url),
    showItemInFolder: (path: string) => void control.revealed.push(path),
    openPath: async (path: string) => (control.opened.push(path), ''),
  };
  const clipboard = {
    readText: () => control.clipboardText,
    writeText: (text: string) => void (control.clipboardText = text),
  };
  class Notification {
    static isSupported(): boolean {
      return true;
    }
    constructor(private readonly o: { title?: string; body?: string }) {}
    show(): void {
      control.notifications.push(this.o);
    }
  }
  const utilityProcess = {
    fork(modulePath: string, args: string[] = [], options: ForkOptions = {}): UtilityProcessDouble {
      // electron_api_utility_process.cc: a TypeError before ready.
      requireReady('utilityProcess cannot be created before app is ready.', 'TypeError');
      const child = new UtilityProcessDouble(modulePath, args, options);
      control.utilityProcesses.push(child);
      return child;
    },
  };
  const main = buildMainModule({
    app,
    net,
    ipcMain,
    host,
    session,
    protocol,
    dialog,
    shell,
    clipboard,
    safeStorage,
    Notification,
    utilityProcess,
    menu,
    nativeTheme,
  });

  return {
    main,
    control,
    loadPage(win, preloadSource) {
      const world: Record<string, unknown> = {};
      const ipcRenderer = new IpcRendererDouble(ipcMain, win.webContents);
      win.webContents.page = ipcRenderer;
      const rendererElectron = {
        contextBridge: {
          exposeInMainWorld: (key: string, api: unknown) => exposeInWorld(world, key, api),
        },
        ipcRenderer: {
          invoke: (channel: string, ...args: unknown[]) => ipcRenderer.invoke(channel, ...args),
          on: (channel: string, listener: Listener) => (
            ipcRenderer.on(channel, listener),
            undefined
          ),
          removeListener: (channel: string, listener: Listener) => (
            ipcRenderer.removeListener(channel, listener),
            undefined
          ),
          off: (channel: string, listener: Listener) => (
            ipcRenderer.off(channel, listener),
            undefined
          ),
        },
        webUtils: {
          // docs/api/web-utils.md: '' for a File not backed by a file on disk.
          getPathForFile: (file: File) => filePaths.get(file) ?? '',
        },
      };
      const allowed = new Set(['electron', 'events', 'timers', 'url']);
      const module = { exports: {} };
      runInNewContext(preloadSource, {
        module,
        exports: module.exports,
        require: (id: string) => {
          if (!allowed.has(id)) throw new Error(`module not found: ${id}`);
          if (id === 'electron') return rendererElectron;
          throw new Error(`the double provides only 'electron' to a preload, not ${id}`);
        },
        console,
        File,
        Blob,
        setTimeout,
        clearTimeout,
        queueMicrotask,
        structuredClone,
      });
      return world;
    },
  };
}

/**
 * lib/browser/api/dialog.ts openDialog: the options' types are checked before the native dialog
 * opens (TypeErrors, thrown synchronously); unknown `properties` entries are ignored there.
 */
function checkOpenDialogOptions(options: unknown): void {
  if (options === null || options === undefined) return;
  const o = options as Record<string, unknown>;
  const properties = o.properties ?? ['openFile'];
  if (!Array.isArray(properties)) throw new TypeError('Properties must be an array');
  const strings: [string, string][] = [
    ['title', 'Title'],
    ['buttonLabel', 'Button label'],
    ['defaultPath', 'Default path'],
    ['message', 'Message'],
  ];
  for (const [key, name] of strings)
    if (o[key] !== undefined && typeof o[key] !== 'string')
      throw new TypeError(`${name} must be a string`);
}
