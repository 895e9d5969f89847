/**
 * The renderer's only way out: `window.renderio`, exposed by the preload (or the e2e harness).
 * It answers with envelopes of plain data; createRendererApi turns them into results and
 * RenderioIpcErrors made here, in the page's own world, so their `code` survives.
 */
import {
  createRendererApi,
  type RendererApi,
  type RenderioWindowApi,
} from '../../shared/ipc/rendererApi';

declare global {
  interface Window {
    renderio?: RenderioWindowApi<File>;
  }
}

export type Api = RendererApi & { pathsForFiles(files: readonly File[]): string[] };

let built: { bridge: RenderioWindowApi<File>; api: Api } | null = null;

export function getApi(): Api | null {
  const bridge = window.renderio;
  if (!bridge) return null;
  if (built?.bridge !== bridge) {
    built = {
      bridge,
      api: { ...createRendererApi(bridge), pathsForFiles: (files) => bridge.pathsForFiles(files) },
    };
  }
  return built.api;
}

/** The bridge for a call that cannot go without it: its absence is thrown, as any call failure. */
export function requireApi(): Api {
  const found = getApi();
  if (!found) throw new Error('The app bridge is missing.');
  return found;
}

/** A message fit to show from anything an API call threw (main already redacted it). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
