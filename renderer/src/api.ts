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

/** A message fit to show from anything an API call threw (main already redacted it). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
