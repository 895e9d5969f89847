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
import type { LocalEngineLink } from '../../shared/localEngine';
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

export interface EngineProcessOptions {
  /** The engine's data folder. */
  dataDir: string;
  /** An ffmpeg (file or folder; ffprobe beside it), as "Choose ffmpeg…" gives; else found. */
  ffmpegPath?: string;
  concurrency?: number;
  /** Node options for the engine's process (`--cpu-prof` to profile it). */
  execArgv?: string[];
  /** Told the link once the engine is ready (and again after a restart). */
  onLink?(link: LocalEngineLink): Promise<void>;
}

export interface EngineProcess {
  /** Its address and per-launch key, as the core is handed them. */
  link: LocalEngineLink;
  /** CPU seconds of the engine's process so far: its own, and its children's (ffmpeg, ffprobe). */
  engineCpu(): CpuSeconds;
  /** Stops the engine's process and waits for it to end (and be reaped). */
  close(): Promise<void>;
}

/** The engine alone in its own process, kept by the app's EngineSupervisor. */
export async function openEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  if (!existsSync(ENGINE_BUNDLE))
    throw new Error('dist/engine/engineProcess.mjs is missing: run "npm run build" first.');
  const { dataDir, ffmpegPath, concurrency, execArgv, onLink } = options;
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
      dataDir,
      ...(ffmpegPath ? { ffmpegPath } : {}),
      ...(concurrency ? { concurrency } : {}),
    }),
    onLink: async (link) => {
      await onLink?.(link);
    },
    logger: createLogger('engine', () => undefined),
  });
  const link = await supervisor.start();
  return {
    link,
    engineCpu: () => {
      const pid = engine?.pid;
      if (pid === undefined) throw new Error("the engine's process is not running");
      return cpuSecondsOf(pid);
    },
    close: () => supervisor.stop(),
  };
}

export async function openCoreWithEngineProcess(
  options: Omit<AppCoreOptions, 'localEngine'> & Omit<EngineProcessOptions, 'dataDir' | 'onLink'>,
): Promise<CoreWithEngineProcess> {
  const { ffmpegPath, concurrency, execArgv, ...coreOptions } = options;
  let core: AppCore | null = null;
  const engine = await openEngineProcess({
    dataDir: join(options.dataDir, 'engine'),
    ...(ffmpegPath ? { ffmpegPath } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(execArgv ? { execArgv } : {}),
    onLink: async (link) => {
      await core?.setLocalEngine(link);
    },
  });
  try {
    core = await createAppCore({ ...coreOptions, localEngine: engine.link });
  } catch (error) {
    await engine.close();
    throw error;
  }
  const opened = core;
  return {
    core: opened,
    engineCpu: engine.engineCpu,
    close: async () => {
      await opened.close();
      await engine.close();
    },
  };
}
