/**
 * The local engine as the app runs it: in Electron's utilityProcess, away from the main
 * process's IPC and window (docs/ELECTRON.md, "The local engine"). Main forks this module, sends
 * `start` with the data folder and the per-launch key over the parent port (never argv or the
 * environment), and gets `ready` with the engine's address and the ffmpeg it runs. `stop` closes
 * the engine (and its ffmpeg children) and ends the process.
 */
import type { EngineProcessEvent, EngineProcessRequest } from '../shared/localEngine';
import { createLogger } from '../shared/redact';
import type { EngineHandle } from './index';
import { startLocalEngine } from './localEngine';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: EngineProcessEvent): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('engineProcess runs only as a utility process');
const port = parentPort;

let engine: EngineHandle | null = null;
let stopping = false;

async function start(request: Extract<EngineProcessRequest, { type: 'start' }>): Promise<void> {
  const logger = createLogger('engine', (level, line) =>
    port.postMessage({ type: 'log', level, line }),
  );
  try {
    const { handle, link } = await startLocalEngine({
      dataDir: request.dataDir,
      key: request.key,
      logger,
      ...(request.ffmpegPath ? { ffmpegPath: request.ffmpegPath } : {}),
      ...(request.bundledDir ? { ffmpegSearch: { bundledDir: request.bundledDir } } : {}),
      ...(request.concurrency ? { concurrency: request.concurrency } : {}),
    });
    engine = handle;
    port.postMessage({
      type: 'ready',
      url: link.url,
      ffmpeg: link.ffmpeg,
      commandSlots: link.commandSlots,
    });
  } catch (error) {
    port.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
    });
    process.exit(1);
  }
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await engine?.close().catch(() => undefined);
  process.exit(0);
}

port.on('message', ({ data }) => {
  const request = data as EngineProcessRequest;
  if (request?.type === 'start' && engine === null) void start(request);
  else if (request?.type === 'stop') void stop();
});
process.on('SIGTERM', () => void stop());
