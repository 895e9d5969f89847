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
  jsonLimitBytes: number;
  concurrency: number;
  commandTimeoutMs: number;
  storageUrlTtlSeconds: number;
  outputRetentionHours: number;
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
  jsonLimitBytes: 1024 * 1024, // 1 MiB
  commandTimeoutMs: 60 * 60 * 1000, // 1 h
  storageUrlTtlSeconds: 24 * 60 * 60,
  outputRetentionHours: 7 * 24,
  retentionSweepMs: 10 * 60 * 1000,
  requestLogSize: 1000,
} as const;

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
    jsonLimitBytes: positive('jsonLimitBytes', o.jsonLimitBytes, DEFAULTS.jsonLimitBytes),
    concurrency: Math.floor(positive('concurrency', o.concurrency, availableParallelism())),
    commandTimeoutMs: positive('commandTimeoutMs', o.commandTimeoutMs, DEFAULTS.commandTimeoutMs),
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
