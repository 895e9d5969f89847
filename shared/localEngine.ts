/**
 * How the core reaches the local engine the wiring started (in a utilityProcess in the app, in
 * process for the CLI and tests): its address, its per-launch key, and the ffmpeg it runs.
 */
import type { LocalFfmpeg } from './ffmpegTypes';

export interface LocalEngineLink {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The per-launch key, held in memory only. */
  key: string;
  ffmpeg: LocalFfmpeg;
  /** How many commands the engine runs at once (its concurrency); absent from older engines. */
  commandSlots?: number;
}

/** Main → the engine's utilityProcess (engine/engineProcess.ts). */
export type EngineProcessRequest =
  | {
      type: 'start';
      dataDir: string;
      /** The per-launch key: sent privately, never in argv or the environment. */
      key: string;
      /** The ffmpeg the person chose in the app (a file or its folder), if any. */
      ffmpegPath?: string;
      /** Where the ffmpeg packaged with the app is (resources/ffmpeg), if any. */
      bundledDir?: string;
      /** ffmpeg runs at once (default from the CPU count). */
      concurrency?: number;
    }
  | { type: 'stop' };

/** The engine's utilityProcess → main. */
export type EngineProcessEvent =
  | { type: 'ready'; url: string; ffmpeg: LocalFfmpeg; commandSlots?: number }
  | { type: 'failed'; message: string }
  /** A log line, already redacted in the engine. */
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; line: string };

/** What the window shows of "this computer". */
export type LocalEngineState =
  | { state: 'starting' }
  | { state: 'ready'; ffmpeg: LocalFfmpeg }
  /** It stopped unexpectedly and is being started again. */
  | { state: 'restarting'; reason: string }
  /** It could not be kept running: jobs on this computer wait. */
  | { state: 'failed'; reason: string }
  | { state: 'stopped' };

/** What the window shows of "this computer": is it ready, with which ffmpeg, and what it cannot run. */
export interface LocalEngineStatus {
  state: LocalEngineState['state'];
  /** "ffmpeg 5.1 (PATH)", "ffmpeg 4.4 (bundled)"; null while there is none. */
  summary: string | null;
  /** Why jobs cannot run here, in plain words (no ffmpeg, it stopped); null when they can. */
  problem: string | null;
  /** Presets this computer's ffmpeg cannot run, with the reason ("this ffmpeg has no SVT-AV1 encoder (libsvtav1)"). */
  unavailablePresets: Record<string, string>;
}

/**
 * The answer to "Choose ffmpeg…" / "Use automatic" (engine:choose-ffmpeg,
 * engine:use-automatic-ffmpeg). `refused`: the chosen file is not a working ffmpeg; nothing
 * was saved or restarted, and `message` says why in one sentence.
 */
export type FfmpegChoiceResult =
  | { outcome: 'cancelled' }
  | { outcome: 'refused'; message: string }
  | {
      outcome: 'applied';
      /** The saved choice: the ffmpeg's path, or null for automatic. */
      chosenFfmpeg: string | null;
      status: LocalEngineStatus;
      message: string;
    };

/**
 * The answer to "Start converter again" (engine:restart), asked when this computer's converter
 * gave up after repeated crashes or was stopped. `started`: it runs again (the status may still
 * say its ffmpeg is missing); `failed`: it did not start, and `message` is the supervisor's
 * reason (also the status's problem); `unchanged`: it was not stopped (ready, starting, or
 * restarting on its own), so nothing was done.
 */
export type EngineRestartResult =
  | { outcome: 'started'; status: LocalEngineStatus }
  | { outcome: 'failed'; message: string; status: LocalEngineStatus }
  | { outcome: 'unchanged'; status: LocalEngineStatus };
