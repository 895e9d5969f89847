/**
 * A small HTTP proxy on 127.0.0.1 in front of a RenderIO-compatible engine, for checking the
 * app's own transport (Electron's network stack in main, under the client's redirect handling):
 *
 * - the key check, `GET /api/v1/commands?limit=1`, is answered with a 307 to the same request
 *   under /moved/ on the proxy's own origin, so the client must follow it by hand and send the
 *   key again (same origin);
 * - /moved/... and everything else are forwarded to the engine, bodies streamed both ways.
 *
 * It records what arrived: method, path, the answer's status, the body size, and whether the
 * request carried the key the test expects (compared here, never stored).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_KEY_HEADER } from '../../../shared/renderioApi';

export interface ProxiedRequest {
  method: string;
  /** Path and query as the app sent them. */
  path: string;
  status: number;
  bodyBytes: number;
  carriedKey: boolean;
  /** Answered here with a redirect instead of being forwarded. */
  redirected: boolean;
}

export interface RedirectingProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export const MOVED_PREFIX = '/moved';

/** Headers that describe one connection, not the message: never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'host']);

function isKeyCheck(req: IncomingMessage): boolean {
  const url = new URL(req.url ?? '/', 'http://proxy');
  return (
    req.method === 'GET' &&
    url.pathname === '/api/v1/commands' &&
    url.searchParams.get('limit') === '1'
  );
}

export async function startRedirectingProxy(
  engineUrl: string,
  expectedKey: () => string,
): Promise<RedirectingProxy> {
  const engine = new URL(engineUrl);
  const requests: ProxiedRequest[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const record: ProxiedRequest = {
      method: req.method ?? '',
      path,
      status: 0,
      bodyBytes: 0,
      carriedKey: req.headers[API_KEY_HEADER.toLowerCase()] === expectedKey(),
      redirected: false,
    };
    requests.push(record);
    req.on('data', (chunk: Buffer) => (record.bodyBytes += chunk.length));

    if (isKeyCheck(req)) {
      record.redirected = true;
      record.status = 307;
      req.resume();
      res.writeHead(307, { Location: `${MOVED_PREFIX}${path}`, 'Content-Length': '0' });
      res.end();
      return;
    }

    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    const upstream = request(
      {
        host: engine.hostname,
        port: engine.port,
        method: req.method,
        path: path.startsWith(`${MOVED_PREFIX}/`) ? path.slice(MOVED_PREFIX.length) : path,
        headers: { ...headers, host: engine.host },
      },
      (answer) => {
        record.status = answer.statusCode ?? 0;
        const back: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers))
          if (value !== undefined && !HOP_BY_HOP.has(name)) back[name] = value;
        res.writeHead(record.status, back);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      record.status = 502;
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
