/**
 * The double of Electron's `app` and its start-up order (docs/api/app.md):
 * - `whenReady()` resolves, and `isReady()` turns true, only when the test says the app is
 *   ready (control.emitReady), as Electron does once Chromium is up;
 * - `quit()` emits 'before-quit' (which may be prevented), then, unless prevented, closes the
 *   windows and emits 'will-quit' and 'quit'; the process then ends with code 0. A window whose
 *   'close' is prevented cancels the quit (shell/browser/browser.cc OnWindowCloseCancelled), and
 *   so does a prevented 'will-quit' (Browser::NotifyAndShutdown);
 * - `exit(code)` ends at once: no 'before-quit' / 'will-quit' (docs: "All windows will be closed
 *   immediately without asking the user, and the before-quit and will-quit events will not be
 *   emitted");
 * - `getPath(name)` throws for names Electron does not know ("Failed to get 'x' path").
 * The process does not really exit (it is the test runner): the double records how it ended.
 */
import { EventEmitter } from 'node:events';

const PATH_NAMES = new Set([
  'home',
  'appData',
  'userData',
  'sessionData',
  'temp',
  'exe',
  'module',
  'desktop',
  'documents',
  'downloads',
  'music',
  'pictures',
  'videos',
  'recent',
  'logs',
  'crashDumps',
]);

export interface AppEndState {
  /** How the process ended: quit() that went through, or exit(code). */
  ended: { by: 'quit' | 'exit'; code: number } | null;
}

export class AppDouble extends EventEmitter {
  readonly end: AppEndState = { ended: null };
  /** Run from a package (app.asar), not from `electron .`: the double is never packaged. */
  readonly isPackaged = false;
  private ready = false;
  private quitting = false;
  private readonly readyWaiters: (() => void)[] = [];
  private singleInstance: boolean;

  constructor(
    private readonly paths: Record<string, string>,
    /** closeAllWindows: false when a window refused to close. */
    private readonly hooks: { closeAllWindows(): boolean },
    options: { singleInstance?: boolean } = {},
  ) {
    super();
    this.singleInstance = options.singleInstance ?? true;
  }

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** control: Chromium is up. */
  markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit('will-finish-launching');
    this.emit('ready', { preventDefault() {} }, {});
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }

  getPath(name: string): string {
    if (!PATH_NAMES.has(name)) throw new Error(`Failed to get '${name}' path`);
    const path = this.paths[name];
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  }

  getName(): string {
    return 'RenderIO';
  }

  getVersion(): string {
    return '0.0.0-double';
  }

  quit(): void {
    if (this.end.ended) return;
    let prevented = false;
    this.emit('before-quit', {
      preventDefault: () => {
        prevented = true;
      },
    });
    if (prevented) return;
    // docs/api/app.md 'window-all-closed': not emitted when the windows close because of quit().
    this.quitting = true;
    const closed = this.hooks.closeAllWindows();
    this.quitting = false;
    if (!closed) return;
    let willQuitPrevented = false;
    this.emit('will-quit', {
      preventDefault: () => {
        willQuitPrevented = true;
      },
    });
    if (willQuitPrevented) return;
    this.end.ended = { by: 'quit', code: 0 };
    this.emit('quit', { preventDefault() {} }, 0);
  }

  /**
   * The last window closed (windows.ts): 'window-all-closed' to its listeners; with none,
   * Electron quits ("If you do not subscribe to this event and all windows are closed, the
   * default behavior is to quit the app", docs/api/app.md). Not during quit() itself.
   */
  lastWindowClosed(): void {
    if (this.quitting || this.end.ended) return;
    if (this.listenerCount('window-all-closed') > 0) this.emit('window-all-closed');
    else this.quit();
  }

  exit(code = 0): void {
    if (this.end.ended) return;
    this.end.ended = { by: 'exit', code };
  }
}
