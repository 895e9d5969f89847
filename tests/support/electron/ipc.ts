/**
 * The double of IPC between the main process and a page's preload (docs/api/ipc-main.md,
 * ipc-renderer.md; lib/browser/ipc-main-impl.ts, lib/renderer/api/ipc-renderer.ts,
 * lib/browser/ipc-dispatch.ts), restated:
 * - `ipcMain.handle` twice for one channel throws ("Attempted to register a second handler for
 *   'x'"); a non-function handler throws a TypeError;
 * - arguments and results cross by the structured clone algorithm ("Sending Functions,
 *   Promises, Symbols, WeakMaps, or WeakSets will throw an exception"; class instances arrive
 *   as plain objects);
 * - an invoke with no handler rejects with "Error invoking remote method 'x': Error: No handler
 *   registered for 'x'"; a handler that throws reaches the page as "Error invoking remote method
 *   'x': <error as text>" (only the message survives);
 * - `event.senderFrame` is null once the frame has navigated away or been destroyed
 *   (electron.d.ts: "may be null if accessed after the frame has either navigated or been
 *   destroyed"); it is a getter, read when accessed, not when the message came
 *   (shell/browser/electron_api_ipc_handler_impl.cc: dict.SetGetter("senderFrame", frame));
 * - `webContents.send` to a destroyed webContents throws ("Object has been destroyed"), and
 *   delivery is asynchronous.
 */
import { EventEmitter } from 'node:events';

export interface FrameDouble {
  url: string;
  /** Navigated away or destroyed: senderFrame is then null. */
  detached: boolean;
}

export interface InvokeEvent {
  sender: unknown;
  senderFrame: FrameDouble | null;
  processId: number;
  frameId: number;
}

type Handler = (event: InvokeEvent, ...args: unknown[]) => unknown;

export class IpcMainDouble extends EventEmitter {
  private readonly handlers = new Map<string, Handler>();

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    if (typeof handler !== 'function')
      throw new TypeError(`Expected handler to be a function, but found type '${typeof handler}'`);
    this.handlers.set(channel, handler);
  }

  handleOnce(channel: string, handler: Handler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return handler(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  channels(): string[] {
    return [...this.handlers.keys()];
  }

  /** The main side of an invoke: what the page's ipcRenderer.invoke resolves or rejects with. */
  async dispatchInvoke(event: InvokeEvent, channel: string, args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler)
      throw new Error(
        `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`,
      );
    try {
      return structuredClone(await handler(event, ...args));
    } catch (error) {
      // Only error.toString() crosses (ipc-dispatch.ts replyWithError): a cause would carry the
      // main-side error to the page.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    }
  }
}

/** One page's ipcRenderer, bound to the webContents and frame that load it. */
export class IpcRendererDouble extends EventEmitter {
  constructor(
    private readonly ipcMain: IpcMainDouble,
    private readonly contents: { id: number; mainFrame: FrameDouble },
  ) {
    super();
  }

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const cloned = structuredClone(args);
    const frame = this.contents.mainFrame;
    const event = { sender: this.contents, processId: 1, frameId: 1 } as InvokeEvent;
    Object.defineProperty(event, 'senderFrame', {
      get: () => (frame.detached ? null : frame),
      enumerable: true,
    });
    return this.ipcMain.dispatchInvoke(event, channel, cloned);
  }

  /** From main's webContents.send: the arguments arrive cloned, after the current task. */
  deliver(channel: string, args: unknown[]): void {
    const cloned = structuredClone(args);
    setImmediate(() => this.emit(channel, { sender: this, senderId: 0 }, ...cloned));
  }
}
