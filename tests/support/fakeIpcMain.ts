/**
 * An `ipcMain` for the IPC router outside Electron: it keeps the handlers the router registers
 * in a map, from which a test (or the e2e harness) invokes a channel as Electron would.
 */
import type { IpcInvokeEventLike, IpcMainLike } from '../../electron/core/ipc/router';

export type IpcHandler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

export function fakeIpcMain(): { ipcMain: IpcMainLike; handlers: Map<string, IpcHandler> } {
  const handlers = new Map<string, IpcHandler>();
  const ipcMain: IpcMainLike = {
    handle: (channel, handler) => void handlers.set(channel, handler),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers };
}
