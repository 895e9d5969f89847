/** Engine settings with their defaults, resolved once from EngineOptions. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { LocalFfmpegOptions } from '../shared/node/ffmpeg';
import { createLogger, type Logger } from '../shared/redact';
import type { EngineOptions } from './types';

export interface EngineConfig {
  dataDir: string;
  port: number;
  host: string;
  apiKeys: string[];
  rateLimit: { ratePerSecond: number; burst: number };
  uploadLimitBytes: number;
  /** Bytes an upload must leave free on the data folder's disk (EngineOptions.keepFreeBytes). */
  keepFreeBytes: number;
  jsonLimitBytes: number;
  concurrency: number;
  /** Whether a command's outputs are probed for their media fields (EngineOptions.probeOutputs). */
  probeOutputs: boolean;
  commandTimeoutMs: number;
  /** How long ffmpeg may run without progress before it is stopped (EngineOptions.stallTimeoutMs). */
  stallTimeoutMs: number;
  storageUrlTtlSeconds: number;
  outputRetentionHours: number;
  /** How long spent records are remembered (EngineOptions.recordRetentionHours). */
  recordRetentionHours: number;
  /** How startEngine finds ffmpeg and ffprobe (findLocalFfmpeg); the result is ctx.ffmpeg. */
  ffmpegSearch: LocalFfmpegOptions;
  logger: Logger;
  /** How often the retention sweep runs. */
  retentionSweepMs: number;
  /** Size of the request log ring. */
  requestLogSize: number;
}

export const DEFAULTS = {
  port: 8787,
  host: '127.0.0.1',
  rateLimit: { ratePerSecond: 20, burst: 40 },
  uploadLimitBytes: 10 * 1024 ** 3, // 10 GiB
  keepFreeBytes: 64 * 1024 ** 2, // 64 MiB: room for the engine's own records
  jsonLimitBytes: 1024 * 1024, // 1 MiB
  commandTimeoutMs: 60 * 60 * 1000, // 1 h
  // Long enough for any start-up or first frame ffmpeg really works on (probing, an input seek
  // decoding up to its point); short against the hours a hung run would otherwise sit.
  stallTimeoutMs: 10 * 60 * 1000, // 10 min
  storageUrlTtlSeconds: 24 * 60 * 60,
  outputRetentionHours: 7 * 24,
  recordRetentionHours: 24,
  retentionSweepMs: 10 * 60 * 1000,
  requestLogSize: 1000,
} as const;

/**
 * Commands (ffmpeg runs) at once when nobody says: half the cores, at least 2, at most 4.
 * ffmpeg's video encoders thread across every core themselves (x264 ~1.5 threads a core,
 * libvpx with -row-mt, SVT-AV1), so more processes than that mostly add memory (a 1080p encode
 * holds a few hundred MB) and cache contention; but two at a time let one job's serial parts
 * (start-up, probing, muxing, audio-only encodes) overlap another's encode. Measured on 2 cores
 * (bench/local-batch.ts, docs/PERFORMANCE.md): 2 at a time beat 1 and 4, directly and through
 * the engine. The 4 cap is a judgement for larger machines, to be measured there.
 */
export function defaultLocalConcurrency(cores = availableParallelism()): number {
  return Math.min(4, Math.max(2, Math.floor(cores / 2)));
}

function notNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be 0 or more`);
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export function defaultLogger(): Logger {
  return createLogger('engine', (_level, line) => process.stderr.write(line + '\n'), 'warn');
}

export function resolveConfig(o: EngineOptions): EngineConfig {
  if (!o.dataDir) throw new Error('dataDir is required');
  const rate = o.rateLimit ?? DEFAULTS.rateLimit;
  return {
    dataDir: resolve(o.dataDir),
    port: o.port ?? DEFAULTS.port,
    host: o.host ?? DEFAULTS.host,
    apiKeys: o.apiKeys ?? [],
    rateLimit: {
      ratePerSecond: positive(
        'rateLimit.ratePerSecond',
        rate.ratePerSecond,
        DEFAULTS.rateLimit.ratePerSecond,
      ),
      burst: Math.max(
        1,
        Math.floor(positive('rateLimit.burst', rate.burst, DEFAULTS.rateLimit.burst)),
      ),
    },
    uploadLimitBytes: positive('uploadLimitBytes', o.uploadLimitBytes, DEFAULTS.uploadLimitBytes),
    keepFreeBytes: notNegative('keepFreeBytes', o.keepFreeBytes, DEFAULTS.keepFreeBytes),
    jsonLimitBytes: positive('jsonLimitBytes', o.jsonLimitBytes, DEFAULTS.jsonLimitBytes),
    concurrency: Math.floor(positive('concurrency', o.concurrency, defaultLocalConcurrency())),
    probeOutputs: o.probeOutputs ?? true,
    commandTimeoutMs: positive('commandTimeoutMs', o.commandTimeoutMs, DEFAULTS.commandTimeoutMs),
    stallTimeoutMs: positive('stallTimeoutMs', o.stallTimeoutMs, DEFAULTS.stallTimeoutMs),
    storageUrlTtlSeconds: positive(
      'storageUrlTtlSeconds',
      o.storageUrlTtlSeconds,
      DEFAULTS.storageUrlTtlSeconds,
    ),
    outputRetentionHours: positive(
      'outputRetentionHours',
      o.outputRetentionHours,
      DEFAULTS.outputRetentionHours,
    ),
    recordRetentionHours: positive(
      'recordRetentionHours',
      o.recordRetentionHours,
      DEFAULTS.recordRetentionHours,
    ),
    ffmpegSearch: {
      ...o.ffmpegSearch,
      chosenFfmpeg: o.ffmpegPath ?? null,
      chosenFfprobe: o.ffprobePath ?? null,
    },
    logger: o.logger ?? defaultLogger(),
    retentionSweepMs: DEFAULTS.retentionSweepMs,
    requestLogSize: DEFAULTS.requestLogSize,
  };
}
