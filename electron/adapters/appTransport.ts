/**
 * The app's transport: the core's FetchLike over Electron's `net.request`, so every RenderIO
 * call goes through Chromium's network stack (system proxy, PAC, the OS certificate store).
 * The rules it keeps are in electron/core/client/netRequestFetch.ts and docs/ELECTRON.md.
 */
import { net } from 'electron';
import { createNetRequestFetch } from '../core/client/netRequestFetch';

export const appFetch = createNetRequestFetch((options) => net.request(options));
