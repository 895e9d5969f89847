/**
 * The Electron double's IPC (tests/support/electron/ipc.ts and windows.ts) refuses and fails
 * as Electron's ipcMain / ipcRenderer / webContents.send do. The page side is the ipcRenderer
 * the double gives a loaded page's preload. Sources: lib/browser/ipc-main-impl.ts,
 * lib/browser/ipc-dispatch.ts, lib/renderer/api/ipc-renderer.ts, docs/api/ipc-*.md.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { createElectronDouble } from '../../../support/electron';
import type { InvokeEvent, IpcRendererDouble } from '../../../support/electron/ipc';
import type { BrowserWindowDouble } from '../../../support/electron/windows';

const electron = createElectronDouble({ userData: '/nonexistent' });
electron.control.emitReady();
afterAll(() => electron.control.dispose());
const { ipcMain, BrowserWindow } = electron.main;

let channelCount = 0;
/** A channel name no other test uses (handlers live on the one ipcMain). */
const channel = (): string => `test:${++channelCount}`;

/** A window with a page loaded at app://renderer/, and that page's ipcRenderer. */
function page(): { win: BrowserWindowDouble; ipcRenderer: IpcRendererDouble } {
  const win = new BrowserWindow({});
  void win.loadURL('app://renderer/index.html');
  electron.loadPage(win, '');
  return { win, ipcRenderer: win.webContents.page! };
}

describe('ipcMain.handle', () => {
  // lib/browser/ipc-main-impl.ts handle: "Attempted to register a second handler for '<x>'".
  it('handle twice for one channel throws "Attempted to register a second handler for \'x\'"', async () => {
    const name = channel();
    ipcMain.handle(name, () => 'first');
    expect(() => ipcMain.handle(name, () => 'second')).toThrow(
      `Attempted to register a second handler for '${name}'`,
    );
    expect(await page().ipcRenderer.invoke(name)).toBe('first');
  });

  // lib/browser/ipc-dispatch.ts: `new Error(\`No handler registered for '${channel}'\`)`, sent
  // as error.toString(); lib/renderer/api/ipc-renderer.ts wraps it as "Error invoking remote
  // method '<x>': <error>".
  it("invoke with no handler rejects with \"Error invoking remote method 'x': Error: No handler registered for 'x'\"", async () => {
    const name = channel();
    const error = await page()
      .ipcRenderer.invoke(name)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `Error invoking remote method '${name}': Error: No handler registered for '${name}'`,
    );
  });

  // ipc-dispatch.ts replyWithError: only `error.toString()` crosses, so the page gets
  // "Error invoking remote method '<x>': <Name>: <message>" and none of the error's properties.
  it("a throwing handler's error reaches the page as \"Error invoking remote method 'x': Error: ...\", without its properties", async () => {
    const name = channel();
    const typed = channel();
    ipcMain.handle(name, () => {
      throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    });
    ipcMain.handle(typed, async () => {
      await Promise.resolve();
      throw new TypeError('bad argument');
    });
    const { ipcRenderer } = page();
    const error = (await ipcRenderer.invoke(name).then(
      () => null,
      (e: unknown) => e,
    )) as Error & { code?: string };
    expect(error.message).toBe(`Error invoking remote method '${name}': Error: disk full`);
    expect(error.code).toBeUndefined();
    const typedError = await ipcRenderer.invoke(typed).then(
      () => null,
      (e: unknown) => e,
    );
    expect((typedError as Error).message).toBe(
      `Error invoking remote method '${typed}': TypeError: bad argument`,
    );
  });
});

describe('arguments cross by structured clone', () => {
  // docs/api/ipc-renderer.md invoke: "Sending Functions, Promises, Symbols, WeakMaps, or
  // WeakSets will throw an exception" (invoke is async, so it rejects); the handler never runs.
  it('a function argument makes invoke reject, and the handler never runs', async () => {
    const name = channel();
    const calls: unknown[] = [];
    ipcMain.handle(name, (_event, ...args) => calls.push(args));
    const error = await page()
      .ipcRenderer.invoke(name, { onDone: () => undefined })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/could not be cloned/);
    expect(calls).toEqual([]);
  });

  // docs/api/ipc-renderer.md: arguments are serialized with the Structured Clone Algorithm, so
  // a class instance arrives as a plain object with its own data and no prototype methods.
  it('a class instance argument arrives as a plain object without its methods, and later changes do not follow it', async () => {
    class Request {
      paths = ['/a.mp4'];
      size(): number {
        return this.paths.length;
      }
    }
    const name = channel();
    let received: unknown;
    ipcMain.handle(name, (_event, arg) => {
      received = arg;
      return 'ok';
    });
    const sent = new Request();
    const answer = page().ipcRenderer.invoke(name, sent);
    sent.paths.push('/changed.mp4');
    expect(await answer).toBe('ok');
    expect(received).not.toBeInstanceOf(Request);
    expect(Object.getPrototypeOf(received)).toBe(Object.prototype);
    expect(received).toEqual({ paths: ['/a.mp4'] });
    expect((received as { size?: unknown }).size).toBeUndefined();
  });
});

describe('the sender', () => {
  // electron.d.ts IpcMainInvokeEvent.senderFrame: "may be null if accessed after the frame has
  // either navigated or been destroyed"; electron_api_ipc_handler_impl.cc makes it a getter.
  it('event.senderFrame is the page frame while it lives and null once the frame is gone', async () => {
    const name = channel();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const frames: unknown[] = [];
    ipcMain.handle(name, async (event: InvokeEvent) => {
      frames.push(event.senderFrame?.url ?? null);
      await held;
      frames.push(event.senderFrame);
      return 'done';
    });
    const { win, ipcRenderer } = page();
    const answer = ipcRenderer.invoke(name);
    await Promise.resolve();
    win.destroy();
    release();
    expect(await answer).toBe('done');
    expect(frames).toEqual(['app://renderer/index.html', null]);
  });

  // lib/browser/api/web-contents.ts send → this.mainFrame.send; a destroyed webContents throws
  // "Object has been destroyed" (gin_helper's destroyed wrapper).
  it('webContents.send after the window is destroyed throws "Object has been destroyed"', () => {
    const { win } = page();
    const contents = win.webContents;
    win.destroy();
    expect(contents.isDestroyed()).toBe(true);
    expect(() => contents.send('queue:update', [])).toThrow('Object has been destroyed');
  });

  // docs/api/web-contents.md send: the message goes to the renderer process over IPC, serialized
  // at once; it cannot arrive during the call.
  it('webContents.send delivers later, not during the call, with the arguments as they were when sent', async () => {
    const { win, ipcRenderer } = page();
    const received: unknown[] = [];
    ipcRenderer.on('queue:update', (_event, patch) => received.push(patch));
    const patch = { jobs: [{ id: 1, state: 'running' }] };
    const arrived = once(ipcRenderer, 'queue:update');
    win.webContents.send('queue:update', patch);
    patch.jobs[0]!.state = 'changed after send';
    expect(received).toEqual([]);
    await arrived;
    expect(received).toEqual([{ jobs: [{ id: 1, state: 'running' }] }]);
    expect(received[0]).not.toBe(patch);
  });
});
