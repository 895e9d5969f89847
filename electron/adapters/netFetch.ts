/** Electron's net.fetch as the core's FetchLike: Chromium's network stack, so system proxies apply. */
import { net } from 'electron';
import type { FetchLike } from '../core/ports';

export const electronFetch: FetchLike = (input, init) =>
  net.fetch(input, init as Parameters<typeof net.fetch>[1]);
