/**
 * The double of BrowserWindow and its webContents (docs/api/browser-window.md, web-contents.md):
 * - a BrowserWindow cannot be made before the app is ready ("Cannot create BrowserWindow before
 *   app is ready", shell/browser/api/electron_api_browser_window.cc);
 * - each new webContents is announced by app's 'web-contents-created' before anyone can use it;
 * - `webContents.send` on a destroyed webContents throws ("Object has been destroyed"), and so
 *   do most methods of a destroyed window;
 * - `close()` emits 'close' (preventable) then 'closed'; the window is destroyed after.
 * - `webContents.startDrag(item)` (shell/browser/api/electron_api_web_contents.cc StartDrag):
 *   `icon` is required ("'icon' parameter is required"); it must be a NativeImage or a path
 *   to an image ("Argument must be a file path or a NativeImage", "Failed to load image from
 *   path '…'": electron_api_native_image.cc TryConvertNativeImage); `files` (when given) wins
 *   over `file`, and neither → "Must specify either 'file' or 'files' option". An EMPTY icon
 *   makes Electron return silently with no drag at all; the double throws (stricter, so a test
 *   sees the drag that would never start).
 * A page (its preload and world) is attached by the test with ElectronDouble.loadPage.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { FrameDouble, IpcRendererDouble } from './ipc';
import { decodePngSize, NativeImageDouble } from './nativeImage';

let nextId = 1;

export class WebContentsDouble extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FrameDouble = { url: '', detached: false };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  /** The page's ipcRenderer once a page is loaded (ElectronDouble.loadPage). */
  page: IpcRendererDouble | null = null;
  private destroyedFlag = false;

  isDestroyed(): boolean {
    return this.destroyedFlag;
  }

  destroyForTest(): void {
    this.destroyedFlag = true;
    this.mainFrame.detached = true;
  }

  getURL(): string {
    this.alive();
    return this.mainFrame.url;
  }

  send(channel: string, ...args: unknown[]): void {
    this.alive();
    this.page?.deliver(channel, args);
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  /** The files of every drag that started, in order. */
  readonly drags: string[][] = [];

  startDrag(item: { file?: unknown; files?: unknown; icon?: unknown }): void {
    this.alive();
    const files: string[] = [];
    if (item.files !== undefined) {
      if (!Array.isArray(item.files) || item.files.some((f) => typeof f !== 'string'))
        throw new TypeError("'files' must be an array of paths");
      files.push(...(item.files as string[]));
    } else if (typeof item.file === 'string') files.push(item.file);
    if (!('icon' in item) || item.icon === undefined)
      throw new Error("'icon' parameter is required");
    let icon: NativeImageDouble;
    if (typeof item.icon === 'string') {
      let size = { width: 0, height: 0 };
      try {
        size = decodePngSize(readFileSync(item.icon));
      } catch {
        // unreadable: empty, as NativeImage::CreateFromPath gives
      }
      if (size.width === 0) throw new Error(`Failed to load image from path '${item.icon}'`);
      icon = new NativeImageDouble(size, item.icon);
    } else if (item.icon instanceof NativeImageDouble) icon = item.icon;
    else throw new Error('Argument must be a file path or a NativeImage');
    if (icon.isEmpty())
      throw new Error(
        "startDrag: the icon is an empty image, so Electron would start no drag (electron_api_web_contents.cc returns when icon->image().IsEmpty()); give a non-empty 'icon'",
      );
    if (files.length === 0) throw new Error("Must specify either 'file' or 'files' option");
    this.drags.push(files);
  }

  private alive(): void {
    if (this.destroyedFlag) throw new Error('Object has been destroyed');
  }
}

export interface WindowHost {
  isReady(): boolean;
  announce(contents: WebContentsDouble): void;
  windows: BrowserWindowDouble[];
  lastWindowClosed(): void;
}

export class BrowserWindowDouble extends EventEmitter {
  readonly webContents = new WebContentsDouble();
  readonly progress: number[] = [];
  loadedUrl: string | null = null;
  shown = false;
  private destroyedFlag = false;

  constructor(
    readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> },
    private readonly host: WindowHost,
  ) {
    super();
    if (!host.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    host.windows.push(this);
    host.announce(this.webContents);
  }

  loadURL(url: string): Promise<void> {
    this.alive();
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    setImmediate(() => {
      if (!this.destroyedFlag) this.emit('ready-to-show');
    });
    return Promise.resolve();
  }

  show(): void {
    this.alive();
    this.shown = true;
  }
  focus(): void {
    this.alive();
  }
  restore(): void {
    this.alive();
  }
  isMinimized(): boolean {
    this.alive();
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyedFlag;
  }
  setProgressBar(value: number): void {
    this.alive();
    this.progress.push(value);
  }
  /** Every colour set after creation, in order (docs/api/base-window.md setBackgroundColor). */
  readonly backgroundColors: string[] = [];
  setBackgroundColor(colour: string): void {
    this.alive();
    if (typeof colour !== 'string') throw new TypeError('Error processing argument at index 0');
    this.backgroundColors.push(colour);
  }

  close(): void {
    if (this.destroyedFlag) return;
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroy();
  }

  destroy(): void {
    if (this.destroyedFlag) return;
    this.destroyedFlag = true;
    this.webContents.destroyForTest();
    const i = this.host.windows.indexOf(this);
    if (i >= 0) this.host.windows.splice(i, 1);
    this.emit('closed');
    if (this.host.windows.length === 0) this.host.lastWindowClosed();
  }

  private alive(): void {
    if (this.destroyedFlag) throw new Error('Object has been destroyed');
  }
}
