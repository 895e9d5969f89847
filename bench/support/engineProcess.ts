/**
 * The local engine as the window runs it, for benches: the built dist/engine/engineProcess.mjs
 * in its own process (the Electron double's utilityProcess: a real child Node process with
 * `process.parentPort`), kept by the app's own EngineSupervisor, and the core handed its link,
 * as electron/main/wiring.ts does. Only the Electron binary is stood in for.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createAppCore, type AppCore, type AppCoreOptions } from '../../electron/core/appCore';
import { EngineSupervisor } from '../../electron/core/localEngine/engineSupervisor';
import type { EngineProcessLike } from '../../electron/core/localEngine/engineSupervisor';
import { createLogger } from '../../shared/redact';
import { cpuSecondsOf, type CpuSeconds } from './cpu';
import { UtilityProcessDouble } from '../../tests/support/electron/utility/utilityProcess';

const ENGINE_BUNDLE = resolve('dist/engine/engineProcess.mjs');

export interface CoreWithEngineProcess {
  core: AppCore;
  /** CPU seconds of the engine's process so far: its own, and its children's (ffmpeg, ffprobe). */
  engineCpu(): CpuSeconds;
  /** Stops the core, then the engine's process, and waits for it to end (and be reaped). */
  close(): Promise<void>;
}

export async function openCoreWithEngineProcess(
  options: Omit<AppCoreOptions, 'localEngine'> & {
    /** An ffmpeg (file or folder; ffprobe beside it), as "Choose ffmpeg…" gives; else found. */
    ffmpegPath?: string;
    concurrency?: number;
    /** Node options for the engine's process (`--cpu-prof` to profile it). */
    execArgv?: string[];
  },
): Promise<CoreWithEngineProcess> {
  if (!existsSync(ENGINE_BUNDLE))
    throw new Error('dist/engine/engineProcess.mjs is missing: run "npm run build" first.');
  const { ffmpegPath, concurrency, execArgv, ...coreOptions } = options;
  let core: AppCore | null = null;
  let engine: UtilityProcessDouble | null = null;
  const supervisor = new EngineSupervisor({
    fork: () => {
      engine = new UtilityProcessDouble(ENGINE_BUNDLE, [], {
        stdio: 'ignore',
        serviceName: 'RenderIO local engine',
        ...(execArgv ? { execArgv } : {}),
      });
      return engine as unknown as EngineProcessLike;
    },
    startRequest: () => ({
      dataDir: join(options.dataDir, 'engine'),
      ...(ffmpegPath ? { ffmpegPath } : {}),
      ...(concurrency ? { concurrency } : {}),
    }),
    onLink: async (link) => {
      await core?.setLocalEngine(link);
    },
    logger: createLogger('engine', () => undefined),
  });
  const link = await supervisor.start();
  try {
    core = await createAppCore({ ...coreOptions, localEngine: link });
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  const opened = core;
  return {
    core: opened,
    engineCpu: () => {
      const pid = engine?.pid;
      if (pid === undefined) throw new Error("the engine's process is not running");
      return cpuSecondsOf(pid);
    },
    close: async () => {
      await opened.close();
      await supervisor.stop();
    },
  };
}
