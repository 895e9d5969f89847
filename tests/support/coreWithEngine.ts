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
  engine: EngineHandle;
  /** Closes the core, then the engine. */
  close(): Promise<void>;
}

export async function openCoreWithEngine(
  options: Omit<AppCoreOptions, 'localEngine'> & {
    engineOptions?: Partial<Omit<EngineOptions, 'dataDir' | 'port' | 'apiKeys'>>;
  },
): Promise<CoreWithEngine> {
  const { engineOptions, ...coreOptions } = options;
  const { handle, link } = await startLocalEngine({
    dataDir: join(options.dataDir, 'engine'),
    ...engineOptions,
  });
  try {
    const core = await createAppCore({ ...coreOptions, localEngine: link });
    return {
      core,
      engine: handle,
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
