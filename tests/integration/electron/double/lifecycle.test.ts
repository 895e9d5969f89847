/**
 * The Electron double's start-up order and lifecycle (tests/support/electron/app.ts,
 * windows.ts, index.ts): app, BrowserWindow, protocol, session and dialog refuse what Electron
 * refuses before and after 'ready', and quit / exit go as Electron's do. Each test names its
 * source.
 */
import { describe, expect, it } from 'vitest';
import {
  createElectronDouble,
  type OpenDialogAnswer,
  type ProtocolScheme,
} from '../../../support/electron';

/** The parts of Electron's protocol and dialog these tests call (the double types them unknown). */
interface Protocol {
  registerSchemesAsPrivileged(schemes: ProtocolScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response): void;
}
interface Dialog {
  showOpenDialog(options: unknown): Promise<OpenDialogAnswer>;
  showErrorBox(title: string, content: string): void;
}

function notReady() {
  const double = createElectronDouble({ userData: '/tmp/renderio-user-data' });
  return {
    ...double,
    protocol: double.main.protocol as Protocol,
    dialog: double.main.dialog as Dialog,
  };
}

function ready() {
  const double = notReady();
  double.control.emitReady();
  return double;
}

describe('before and after ready', () => {
  // shell/browser/api/electron_api_browser_window.cc: "Cannot create BrowserWindow before app
  // is ready".
  it('new BrowserWindow before ready throws "Cannot create BrowserWindow before app is ready"', () => {
    const double = notReady();
    expect(() => new double.main.BrowserWindow({})).toThrow(
      'Cannot create BrowserWindow before app is ready',
    );
    expect(double.main.BrowserWindow.getAllWindows()).toEqual([]);
    double.control.emitReady();
    expect(new double.main.BrowserWindow({}).isDestroyed()).toBe(false);
  });

  // shell/browser/api/electron_api_protocol.cc RegisterSchemesAsPrivileged: "should be called
  // before app is ready".
  it('protocol.registerSchemesAsPrivileged works before ready and throws after it', () => {
    const double = notReady();
    double.protocol.registerSchemesAsPrivileged([
      { scheme: 'app', privileges: { standard: true } },
    ]);
    double.control.emitReady();
    expect(() =>
      double.protocol.registerSchemesAsPrivileged([{ scheme: 'late', privileges: {} }]),
    ).toThrow('protocol.registerSchemesAsPrivileged should be called before app is ready');
    expect(double.control.schemes.map((s) => s.scheme)).toEqual(['app']);
  });

  // lib/browser/api/protocol.ts handle → session.defaultSession.protocol; lib/browser/api/
  // session.ts defaultSession → fromPartition(''), which throws a TypeError before ready
  // (shell/browser/api/electron_api_session.cc FromPartition).
  it('protocol.handle and session.defaultSession before ready throw TypeError("Session can only be received when app is ready")', async () => {
    const double = notReady();
    const serve = (): Response => new Response('page');
    expect(() => double.protocol.handle('app', serve)).toThrow(
      new TypeError('Session can only be received when app is ready'),
    );
    expect(() => double.protocol.handle('app', serve)).toThrow(TypeError);
    expect(() => double.main.session.defaultSession).toThrow(TypeError);
    double.control.emitReady();
    double.protocol.handle('app', serve);
    expect(await (await double.control.protocolFetch('app://renderer/')).text()).toBe('page');
  });

  // lib/browser/api/dialog.ts: showOpenDialog is a plain function whose openDialog calls
  // checkAppInitialized first, so it throws (no promise); showErrorBox has no such check
  // (docs/api/dialog.md: "This API can be called safely before the ready event").
  it('dialog.showOpenDialog before ready throws at once; dialog.showErrorBox works before ready', async () => {
    const double = notReady();
    expect(() => double.dialog.showOpenDialog({ properties: ['openFile'] })).toThrow(
      'dialog module can only be used after app is ready',
    );
    expect(double.control.openDialogCalls).toEqual([]);
    double.dialog.showErrorBox('RenderIO could not start', 'why');
    expect(double.control.errorBoxes).toEqual([
      { title: 'RenderIO could not start', content: 'why' },
    ]);
    double.control.emitReady();
    expect(await double.dialog.showOpenDialog({ properties: ['openFile'] })).toEqual({
      canceled: true,
      filePaths: [],
    });
  });

  // lib/browser/api/dialog.ts openDialog: TypeErrors for options of the wrong type, before any
  // dialog opens; unknown properties are ignored (setupOpenDialogProperties).
  it('dialog.showOpenDialog refuses options of the wrong type, as Electron does', async () => {
    const double = ready();
    expect(() => double.dialog.showOpenDialog({ properties: 'openFile' })).toThrow(
      new TypeError('Properties must be an array'),
    );
    expect(() => double.dialog.showOpenDialog({ buttonLabel: 7 })).toThrow(
      new TypeError('Button label must be a string'),
    );
    expect(() => double.dialog.showOpenDialog({ title: null })).toThrow(
      new TypeError('Title must be a string'),
    );
    expect(double.control.openDialogCalls).toEqual([]);
    await expect(
      double.dialog.showOpenDialog({
        title: 'Choose ffmpeg',
        buttonLabel: 'Use this ffmpeg',
        properties: ['openFile', 'showHiddenFiles', 'notAProperty'],
      }),
    ).resolves.toEqual({ canceled: true, filePaths: [] });
  });

  // docs/api/app.md 'web-contents-created': "Emitted when a new webContents is created."
  it("'web-contents-created' fires for a new window, with its webContents, before the constructor returns", () => {
    const double = ready();
    const created: unknown[] = [];
    double.main.app.on('web-contents-created', (_event: unknown, contents: unknown) =>
      created.push(contents),
    );
    const win = new double.main.BrowserWindow({});
    expect(created).toEqual([win.webContents]);
  });

  // shell/browser/api/electron_api_app.cc GetPath: "Failed to get '<name>' path".
  it('app.getPath of an unknown name throws "Failed to get \'x\' path"', () => {
    const { app } = ready().main;
    expect(() => app.getPath('nonsense')).toThrow("Failed to get 'nonsense' path");
    expect(app.getPath('userData')).toBe('/tmp/renderio-user-data');
  });
});

describe('quit and exit', () => {
  // shell/browser/browser.cc Quit: before-quit (HandleBeforeQuit), then the windows close, then
  // NotifyAndShutdown: will-quit, then Shutdown: quit.
  it("app.quit emits 'before-quit', closes the windows, then 'will-quit' and 'quit'", () => {
    const double = ready();
    const { app, BrowserWindow } = double.main;
    const events: string[] = [];
    const win = new BrowserWindow({});
    win.on('closed', () => events.push('window closed'));
    for (const name of ['before-quit', 'will-quit', 'quit']) app.on(name, () => events.push(name));
    app.quit();
    expect(events).toEqual(['before-quit', 'window closed', 'will-quit', 'quit']);
    expect(double.control.app.end.ended).toEqual({ by: 'quit', code: 0 });
  });

  // docs/api/app.md 'before-quit': "Calling event.preventDefault() will prevent the default
  // behavior, which is terminating the application."
  it("a prevented 'before-quit' stops the quit: no window closes, no 'will-quit' or 'quit'", () => {
    const double = ready();
    const { app, BrowserWindow } = double.main;
    const events: string[] = [];
    const win = new BrowserWindow({});
    app.once('before-quit', (event: { preventDefault(): void }) => event.preventDefault());
    for (const name of ['will-quit', 'quit']) app.on(name, () => events.push(name));
    app.quit();
    expect(events).toEqual([]);
    expect(win.isDestroyed()).toBe(false);
    expect(double.control.app.end.ended).toBeNull();
    app.quit();
    expect(events).toEqual(['will-quit', 'quit']);
  });

  // browser.cc OnWindowCloseCancelled: "Once a beforeunload handler has prevented the closing,
  // we think the quit is cancelled too."; NotifyAndShutdown: a prevented will-quit returns.
  it("a window that prevents 'close', or a prevented 'will-quit', cancels the quit", () => {
    const double = ready();
    const { app, BrowserWindow } = double.main;
    const win = new BrowserWindow({});
    win.once('close', (event: { preventDefault(): void }) => event.preventDefault());
    const events: string[] = [];
    for (const name of ['will-quit', 'quit']) app.on(name, () => events.push(name));
    app.quit();
    expect(events).toEqual([]);
    expect(win.isDestroyed()).toBe(false);
    expect(double.control.app.end.ended).toBeNull();

    app.once('will-quit', (event: { preventDefault(): void }) => event.preventDefault());
    app.quit();
    expect(win.isDestroyed()).toBe(true);
    expect(events).toEqual(['will-quit']);
    expect(double.control.app.end.ended).toBeNull();
  });

  // docs/api/app.md exit: "the before-quit and will-quit events will not be emitted".
  it("app.exit(code) ends with that code and emits neither 'before-quit' nor 'will-quit'", () => {
    const double = ready();
    const { app } = double.main;
    const events: string[] = [];
    for (const name of ['before-quit', 'will-quit']) app.on(name, () => events.push(name));
    app.exit(3);
    expect(events).toEqual([]);
    expect(double.control.app.end.ended).toEqual({ by: 'exit', code: 3 });
  });

  // docs/api/app.md 'window-all-closed': "If you do not subscribe to this event and all windows
  // are closed, the default behavior is to quit the app"; not emitted when quit() closed them.
  it("closing the last window emits 'window-all-closed', or quits when nobody listens; never during quit()", () => {
    const listened = ready();
    const events: string[] = [];
    listened.main.app.on('window-all-closed', () => events.push('window-all-closed'));
    new listened.main.BrowserWindow({}).close();
    expect(events).toEqual(['window-all-closed']);
    expect(listened.control.app.end.ended).toBeNull();
    new listened.main.BrowserWindow({});
    listened.main.app.quit();
    expect(events).toEqual(['window-all-closed']);

    const unheard = ready();
    new unheard.main.BrowserWindow({}).close();
    expect(unheard.control.app.end.ended).toEqual({ by: 'quit', code: 0 });
  });
});
