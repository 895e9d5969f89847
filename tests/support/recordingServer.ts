/**
 * A small HTTP server on 127.0.0.1:0 that records every request it receives (method, path,
 * headers, body size) and answers with a handler the test gives. Used as "another origin":
 * a storage host, a redirect target, a proxy that answers HTML, a server that cuts a body.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  at: number;
  method: string;
  /** Path with the query. */
  url: string;
  headers: IncomingMessage['headers'];
  /** Raw header lines as received (names and values), to search for a key anywhere. */
  rawHeaders: string[];
  bodyBytes: number;
  /** The first 64 KiB of the body (enough to check multipart headers). */
  bodyHead: Buffer;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  recorded: RecordedRequest,
) => unknown;

export interface RecordingServer {
  url: string;
  origin: string;
  requests: RecordedRequest[];
  /** Replace the answer for the following requests. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

const BODY_HEAD = 64 * 1024;

export async function startRecordingServer(initial?: Handler): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let handler: Handler =
    initial ??
    ((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
  const server = createServer((req, res) => {
    const recorded: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      bodyBytes: 0,
      bodyHead: Buffer.alloc(0),
    };
    requests.push(recorded);
    const head: Buffer[] = [];
    let headSize = 0;
    req.on('data', (chunk: Buffer) => {
      recorded.bodyBytes += chunk.length;
      if (headSize < BODY_HEAD) {
        head.push(chunk.subarray(0, BODY_HEAD - headSize));
        headSize = Math.min(BODY_HEAD, headSize + chunk.length);
      }
    });
    req.on('end', () => {
      recorded.bodyHead = Buffer.concat(head);
      Promise.resolve(handler(req, res, recorded)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    origin,
    requests,
    handle: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every place a secret could hide in what the server received. */
export function everythingReceived(requests: readonly RecordedRequest[]): string {
  return requests
    .map(
      (r) => `${r.method} ${r.url}\n${r.rawHeaders.join('\n')}\n${r.bodyHead.toString('latin1')}`,
    )
    .join('\n');
}
