/** The renderer's only way out: `window.renderio`, exposed by the preload (or the e2e harness). */
import type { RenderioWindowApi } from '../../shared/ipc/rendererApi';

declare global {
  interface Window {
    renderio?: RenderioWindowApi<File>;
  }
}

export type Api = RenderioWindowApi<File>;

export function getApi(): Api | null {
  return window.renderio ?? null;
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
