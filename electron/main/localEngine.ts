/**
 * The local engine in Electron's utilityProcess (its own process, away from main's IPC and
 * window): forked from the built dist/engine/engineProcess.mjs, kept running by the core's
 * EngineSupervisor, which hands it its per-launch key over the parent port.
 */
import { app, utilityProcess } from 'electron';
import { EngineSupervisor } from '../core/localEngine/engineSupervisor';
import type { LocalEngineLink, LocalEngineState } from '../../shared/localEngine';
import { bundledFfmpegDir } from '../../shared/node/ffmpeg/bundledFfmpeg';
import { createLogger } from '../../shared/redact';

export function superviseLocalEngine(options: {
  /** dist/engine/engineProcess.mjs */
  enginePath: string;
  dataDir: string;
  /** The ffmpeg chosen in the app (settings.chosenFfmpeg), read at each start; null: automatic. */
  chosenFfmpeg(): string | null;
  onLink(link: LocalEngineLink): Promise<void>;
  onState(state: LocalEngineState): void;
}): EngineSupervisor {
  return new EngineSupervisor({
    fork: () =>
      utilityProcess.fork(options.enginePath, [], {
        serviceName: 'RenderIO local engine',
        stdio: 'inherit',
      }),
    startRequest: () => {
      const chosen = options.chosenFfmpeg();
      return {
        dataDir: options.dataDir,
        ...(chosen ? { ffmpegPath: chosen } : {}),
        ...(app.isPackaged ? { bundledDir: bundledFfmpegDir(process.resourcesPath) } : {}),
      };
    },
    onLink: options.onLink,
    onState: options.onState,
    logger: createLogger('engine', (level, line) =>
      level === 'error' || level === 'warn' ? console.error(line) : console.log(line),
    ),
  });
}
