/**
 * The end-to-end harness: serves the built renderer (dist/renderer) to real Chromium, injects
 * a `window.renderio` built by the same createRendererApi, and routes every invoke through
 * the SAME IPC router main uses (sender check, schema validation, error redaction) to the
 * real core. Only what a browser test cannot drive (native dialogs, clipboard, file manager)
 * is provided by the test through IpcCore's ports.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { createIpcRouter, type IpcRouter } from '../../../electron/core/ipc/router';
import type { IpcCore } from '../../../electron/core/ipc/ports';
import { APP_CSP, contentTypeFor } from '../../../electron/main/appProtocolPath';
import { fakeIpcMain } from '../../support/fakeIpcMain';

const repoRoot = resolve(import.meta.dirname, '../../..');

export interface Harness {
  url: string;
  /** The router's channels, as registered. */
  channels: readonly string[];
  /** Sends a push as main's router does (the window bench replays progress patches). */
  push(channel: string, payload: unknown): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  core?: IpcCore;
  rendererDir?: string;
}

async function bundleBridge(): Promise<string> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'browserBridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bridge bundle.');
  return file.text;
}

function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The built renderer's files, read once when the harness starts (source maps left out): the
 * app loads them from disk through its own protocol in the browser process, so the page should
 * not wait on a stat and a read on the test's event loop for each (under load those took
 * 20–70 ms a file, all on the path to the first paint).
 */
async function readRenderer(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.map')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split('\\').join('/'), await readFile(path));
  }
  return files;
}

let bridgeBundle: Promise<string> | null = null;

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const rendererDir = resolve(options.rendererDir ?? join(repoRoot, 'dist/renderer'));
  try {
    await stat(join(rendererDir, 'index.html'));
  } catch {
    throw new Error(`No built renderer in ${rendererDir}: run "npm run build" first.`);
  }
  const files = await readRenderer(rendererDir);
  // The bridge is the same for every harness of a process: bundled once.
  const bridge = options.core ? await (bridgeBundle ??= bundleBridge()) : null;
  const { ipcMain, handlers } = fakeIpcMain();
  const sseClients = new Set<ServerResponse>();
  let origin = '';
  let router: IpcRouter | null = null;

  const headersFor = (path: string) => ({
    'Content-Type': contentTypeFor(path),
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  // The bridge stands for the preload, which runs before the page's scripts without holding
  // up its parsing: a deferred script in <head> runs after the document is parsed and before
  // the app's module script (deferred too, later in the document), so the parser and the
  // preload scanner reach theme-boot.js, the stylesheet and the app's modules at once instead
  // of after a round trip for the bridge.
  const indexHtml = files.get('index.html');
  if (indexHtml && bridge)
    files.set(
      'index.html',
      Buffer.from(
        indexHtml
          .toString('utf8')
          .replace('<head>', '<head>\n    <script defer src="/__harness/bridge.js"></script>'),
      ),
    );

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/__harness/bridge.js' && bridge) {
        res
          .writeHead(200, {
            'Content-Type': 'text/javascript; charset=utf-8',
            'Cache-Control': 'no-store',
          })
          .end(bridge);
        return;
      }
      if (req.method === 'GET' && url.pathname === '/__harness/events' && router) {
        res.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
      if (req.method === 'POST' && url.pathname.startsWith('/__harness/ipc/') && router) {
        const channel = decodeURIComponent(url.pathname.slice('/__harness/ipc/'.length));
        const handler = handlers.get(channel);
        if (!handler) {
          res.writeHead(404, { 'Content-Type': 'application/json' }).end(
            JSON.stringify({
              ok: false,
              error: { code: 'unknown-channel', message: 'No such channel.' },
            }),
          );
          return;
        }
        const body = JSON.parse((await readBody(req)) || '{}') as { args?: unknown[] };
        // The page that made the request is the sender, as event.senderFrame is in Electron.
        const senderUrl = req.headers.referer ?? req.headers.origin ?? '';
        const envelope = await handler(
          { senderFrame: { url: String(senderUrl) } },
          ...(body.args ?? []),
        );
        res
          .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
          .end(JSON.stringify(envelope));
        return;
      }
      if (req.method !== 'GET') {
        res.writeHead(405).end();
        return;
      }
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
      const target = resolve(rendererDir, rel);
      const inside = relative(rendererDir, target);
      if (pathname.includes('\0') || inside.startsWith('..') || isAbsolute(inside)) {
        res.writeHead(404).end();
        return;
      }
      const inMemory = files.get(inside.split('\\').join('/'));
      if (inMemory) {
        res.writeHead(200, headersFor(target)).end(inMemory);
        return;
      }
      // Not read at the start (a source map): from the disk.
      try {
        if (!(await stat(target)).isFile()) throw new Error('not a file');
      } catch {
        res.writeHead(404).end('Not found');
        return;
      }
      res.writeHead(200, headersFor(target)).end(await readFile(target));
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  if (options.core) {
    router = createIpcRouter({
      ipcMain,
      core: options.core,
      allowedOrigins: [origin],
      push: {
        send(channel, payload) {
          const frame = `data: ${JSON.stringify({ channel, payload })}\n\n`;
          for (const client of sseClients) client.write(frame);
        },
      },
      onError: (line) => console.error(line),
    });
  }

  return {
    url: `${origin}/`,
    channels: router?.channels ?? [],
    push(channel, payload) {
      const frame = `data: ${JSON.stringify({ channel, payload })}\n\n`;
      for (const client of sseClients) client.write(frame);
    },
    async close() {
      router?.dispose();
      for (const client of sseClients) client.end();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
