/**
 * Runs in the page, before the app: builds `window.renderio` with the SAME createBridgeApi
 * the preload uses, over HTTP (invokes) and server-sent events (the push channel), and hands
 * it to the page with contextBridge's copy rules (tests/support/electron/contextBridge.ts), so
 * the page sees what it sees in the app: envelopes of plain data, errors with their message
 * alone, frozen objects. Bundled by the harness with esbuild and served from the page's own
 * origin, so the app's CSP holds.
 */
import {
  createBridgeApi,
  type RendererTransport,
  type RenderioWindowApi,
} from '../../../shared/ipc/rendererApi';
import { exposeInWorld } from '../../support/electron/contextBridge';

// Typed without the DOM lib (this folder is checked as Node code): just what is used.
interface EventSourceLike {
  addEventListener(type: 'message', listener: (event: { data: string }) => void): void;
}
const { EventSource } = globalThis as unknown as {
  EventSource: new (url: string) => EventSourceLike;
};

const listeners = new Map<string, Set<(payload: unknown) => void>>();
const source = new EventSource('/__harness/events');
source.addEventListener('message', (event) => {
  const { channel, payload } = JSON.parse(event.data) as { channel: string; payload: unknown };
  for (const listener of listeners.get(channel) ?? []) listener(payload);
});

const transport: RendererTransport = {
  async invoke(channel, arg) {
    const response = await fetch(`/__harness/ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // An absent argument stays absent, as with ipcRenderer.invoke(channel).
      body: JSON.stringify(arg === undefined ? { args: [] } : { args: [arg] }),
    });
    return response.json();
  },
  subscribe(channel, listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
};

/**
 * What Electron's webUtils.getPathForFile knows and a browser cannot: the path on disk of a
 * File the OS dropped. A test that plays a drop from the file manager registers the File's
 * name with its real path (`__harnessDropPaths`); any other File (made in the page) has no
 * path, as getPathForFile returns '' for one.
 */
const dropPaths = new Map<string, string>();
(globalThis as unknown as { __harnessDropPaths: Map<string, string> }).__harnessDropPaths =
  dropPaths;

const api: RenderioWindowApi = {
  ...createBridgeApi(transport),
  pathsForFiles: (files) =>
    files.map((f) => dropPaths.get((f as { name: string }).name) ?? '').filter((p) => p !== ''),
};
exposeInWorld(globalThis, 'renderio', api);
