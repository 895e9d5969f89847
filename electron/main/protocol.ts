/**
 * Serves the built renderer over `app://renderer/` instead of file:// (checklist item 18):
 * a real origin for the CSP and for IPC sender checks, and no file-system reach beyond
 * dist/renderer.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { stat } from 'node:fs/promises';
import { APP_CSP, APP_SCHEME, contentTypeFor, resolveAppPath } from './appProtocolPath';

/** Must run before `app.whenReady()`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const path = resolveAppPath(rendererDir, request.url);
    if (!path) return new Response('Not found', { status: 404 });
    try {
      if (!(await stat(path)).isFile()) return new Response('Not found', { status: 404 });
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const file = await net.fetch(pathToFileURL(path).toString());
    return new Response(file.body, {
      status: 200,
      headers: {
        'Content-Type': contentTypeFor(path),
        'Content-Security-Policy': APP_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      },
    });
  });
}
