/**
 * The sandboxed preload. It exposes exactly `window.renderio`: one function per contract
 * operation (built by shared/ipc from the contract) and `pathsForFiles` for dropped files.
 * Every operation resolves to an envelope of plain data, never rejects: an Error would cross
 * contextBridge with its message alone. The page rebuilds typed errors in its own world
 * (createRendererApi). Never ipcRenderer itself, never process.env. One bundled CommonJS file.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  createBridgeApi,
  type RendererTransport,
  type RenderioWindowApi,
} from '../shared/ipc/rendererApi';
import { PUSH_CHANNELS } from '../shared/ipc/channels';

const transport: RendererTransport = {
  invoke: (channel, arg) => ipcRenderer.invoke(channel, arg),
  subscribe(channel, listener) {
    if (!PUSH_CHANNELS.includes(channel)) throw new Error(`Unknown push channel ${channel}.`);
    // The event object stays here: the page only gets the payload.
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

const api: RenderioWindowApi<File> = {
  ...createBridgeApi(transport),
  pathsForFiles(files: readonly File[]): string[] {
    const paths: string[] = [];
    for (const file of Array.from(files)) {
      if (!(file instanceof File)) continue;
      const path = webUtils.getPathForFile(file);
      if (path) paths.push(path);
    }
    return paths;
  },
};

contextBridge.exposeInMainWorld('renderio', api);
