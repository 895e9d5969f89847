/**
 * A network-fault tool for tests: a TCP proxy in front of the real engine that can drop the
 * network (refuse and cut every connection) and bring it back on the same port, or stall it
 * (connections stay open, no byte goes through to the engine) and let it flow again.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface NetProxy {
  url: string;
  /** Cuts every open connection and refuses new ones. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Holds every byte sent to the engine, on open and new connections. */
  stall(): void;
  /**
   * Lets bytes through again on new connections; the ones that hung are cut (their bytes are
   * lost, as on a network that dropped them), so a stalled request never arrives late.
   */
  flow(): void;
  close(): Promise<void>;
}

export async function startNetProxy(targetUrl: string): Promise<NetProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const pairs = new Map<Socket, Socket>();
  let stalled = false;
  let port = 0;
  let server: Server | null = null;
  const listen = async (): Promise<void> => {
    const s = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      sockets.add(client);
      sockets.add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
        pairs.delete(client);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      pairs.set(client, upstream);
      upstream.pipe(client);
      if (stalled) client.pause();
      else client.pipe(upstream);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as { port: number }).port;
    server = s;
  };
  await listen();
  const down = async (): Promise<void> => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    down,
    up: listen,
    stall() {
      stalled = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        client.pause();
      }
    },
    flow() {
      stalled = false;
      for (const [client, upstream] of pairs) {
        if (!client.isPaused()) continue;
        client.destroy();
        upstream.destroy();
      }
    },
    close: down,
  };
}
