/**
 * The core with a local engine started in this process, as the CLI wires them: the engine on
 * 127.0.0.1 with a per-launch key (engine/localEngine.ts), its link handed to createAppCore.
 * For tests and the e2e harness, which also need the engine itself (its request log, more keys).
 */
import { join } from 'node:path';
import { createAppCore, type AppCore, type AppCoreOptions } from '../../electron/core/appCore';
import type { EngineHandle, EngineOptions } from '../../engine/index';
import { startLocalEngine } from '../../engine/localEngine';

export interface CoreWithEngine {
  core: AppCore;
  /** The engine as first started (restartEngine answers the new one). */
  engine: EngineHandle;
  /**
   * Starts the engine again with the saved ffmpeg choice (settings.chosenFfmpeg), as the app's
   * supervisor does after "Choose ffmpeg…", and hands the core its new link.
   */
  restartEngine(): Promise<EngineHandle>;
  /** Closes the core, then the engine. */
  close(): Promise<void>;
}

export async function openCoreWithEngine(
  options: Omit<AppCoreOptions, 'localEngine'> & {
    engineOptions?: Partial<Omit<EngineOptions, 'dataDir' | 'port' | 'apiKeys'>>;
  },
): Promise<CoreWithEngine> {
  const { engineOptions, ...coreOptions } = options;
  const start = (ffmpegPath?: string | null) =>
    startLocalEngine({
      dataDir: join(options.dataDir, 'engine'),
      ...engineOptions,
      ...(ffmpegPath ? { ffmpegPath } : {}),
    });
  let { handle, link } = await start();
  try {
    const core = await createAppCore({ ...coreOptions, localEngine: link });
    return {
      core,
      engine: handle,
      async restartEngine() {
        await handle.close();
        ({ handle, link } = await start(core.settings.get().chosenFfmpeg));
        await core.setLocalEngine(link);
        return handle;
      },
      close: async () => {
        await core.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
