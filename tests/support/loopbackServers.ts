/**
 * Servers on 127.0.0.1:0 for the transports' tests, each closed (its connections cut) when the
 * test that started it finishes, so they are started inside a test: a node:http server answering
 * with a handler (`serve`) or holding a body back in its middle (`serveStalledBody`), and a raw
 * TCP server writing exact bytes (`rawServe`, `rawAnswer`) for malformed, split or unusual answers.
 */
import { onTestFinished } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface LoopbackServer {
  url: string;
  port: number;
  /** Closes the server before the test ends (a refused connection); safe to call again. */
  close(): Promise<void>;
}

export interface ClosedConnections {
  /** Resolves when the server-side end of the n-th connection (from 0) has closed. */
  closed(n: number): Promise<void>;
}

export interface RawServer extends LoopbackServer, ClosedConnections {
  /** Each request head as received, up to and with its blank line. */
  requests: string[];
  connections: number;
}

/** Watches sockets as they come, for `closed(n)`. */
function closeWatch(): ClosedConnections & { watch(socket: Socket): void } {
  const closes: Promise<void>[] = [];
  return {
    watch: (socket) => {
      closes.push(new Promise<void>((resolve) => socket.once('close', () => resolve())));
    },
    closed: async (n) => {
      while (closes[n] === undefined) await sleep(5);
      await closes[n];
    },
  };
}

/** Listens on 127.0.0.1:0; `close` runs once, however often it is called, and at the test's end. */
async function listen(
  server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown },
  closeOnce: () => Promise<void>,
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeOnce());
  onTestFinished(close);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, close };
}

/** A node:http server on 127.0.0.1:0 answering with `handler`; closed after the test. */
export async function serve(handler: HttpHandler): Promise<LoopbackServer> {
  const server = createServer(handler);
  return listen(
    server,
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
}

/**
 * A node:http server that answers every request with a head saying `length` bytes and sends
 * `first`, then nothing more until the client goes away: a body to abort in its middle. One
 * connection per request (the body never ends), so `closed(n)` is the n-th request's.
 */
export async function serveStalledBody(
  first: Buffer,
  length: number,
): Promise<LoopbackServer & ClosedConnections> {
  const connections = closeWatch();
  const server = await serve((req, res) => {
    connections.watch(req.socket);
    res.writeHead(200, { 'content-length': length });
    res.write(first);
  });
  return { ...server, closed: connections.closed };
}

/**
 * A raw TCP server on 127.0.0.1:0: for each connection, once the request head has arrived,
 * `answer` gets the socket (no delay; errors ignored) and that head, and writes exact bytes.
 * Its sockets are destroyed and it is closed after the test.
 */
export async function rawServe(
  answer: (socket: Socket, request: string) => unknown = () => undefined,
): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const closes = closeWatch();
  const requests: string[] = [];
  let connections = 0;
  const server = createNetServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    closes.watch(socket);
    socket.once('close', () => sockets.delete(socket));
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const request = head.slice(0, end + 4);
      requests.push(request);
      void Promise.resolve(answer(socket, request)).catch(() => socket.destroy());
    };
    socket.on('data', onData);
  });
  const listening = await listen(
    server,
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return {
    ...listening,
    requests,
    get connections() {
      return connections;
    },
    closed: closes.closed,
  };
}

/** A raw server answering every request with `answer`'s bytes (a string as latin-1), then closing. */
export function rawAnswer(answer: string | Buffer): Promise<RawServer> {
  return rawServe((socket) =>
    socket.end(typeof answer === 'string' ? Buffer.from(answer, 'latin1') : answer),
  );
}
