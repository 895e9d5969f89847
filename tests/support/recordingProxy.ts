/**
 * A reverse proxy on 127.0.0.1:0 in front of a real server (an engine standing in for the
 * cloud): it records each request's method, path and headers as they arrived, streams the
 * body through, and may answer some requests with a redirect instead (to check that a client
 * follows it by hand, keeping its key on its own origin).
 */
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The status this proxy answered (a redirect it made, or the target's). */
  status?: number;
}

export interface RecordingProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(
  target: string,
  options: { redirect?(req: IncomingMessage): { status: number; location: string } | null } = {},
): Promise<RecordingProxy> {
  const requests: ProxiedRequest[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const entry: ProxiedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: { ...req.headers },
    };
    requests.push(entry);
    const redirect = options.redirect?.(req);
    if (redirect) {
      entry.status = redirect.status;
      req.resume();
      res.writeHead(redirect.status, { location: redirect.location, 'content-length': '0' }).end();
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        entry.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
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
