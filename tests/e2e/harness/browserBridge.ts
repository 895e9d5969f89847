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

const api: RenderioWindowApi = {
  ...createBridgeApi(transport),
  // A browser File has no path on disk, as webUtils.getPathForFile returns '' for one.
  pathsForFiles: () => [],
};
exposeInWorld(globalThis, 'renderio', api);
