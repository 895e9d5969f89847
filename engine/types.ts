/**
 * The public shape of the local engine: what `startEngine` takes and gives back. The desktop
 * app, the CLI and the tests code against these two interfaces only.
 */
import type { LocalFfmpeg } from '../shared/ffmpegTypes';
import type { LocalFfmpegOptions } from '../shared/node/ffmpeg';
import type { Logger } from '../shared/redact';
import type { FaultConfig } from './faults';

export interface EngineOptions {
  dataDir: string;
  /** 0 = any free port (tests). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Plaintext keys accepted in addition to stored ones (memory only; the app passes a per-launch key). */
  apiKeys?: string[];
  /** Per-key token bucket. Default 20/s, burst 40. */
  rateLimit?: { ratePerSecond: number; burst: number };
  uploadLimitBytes?: number;
  /**
   * Bytes an upload must leave free on the disk of `dataDir` (default 64 MiB): an upload whose
   * declared length does not fit is refused with 507 before a byte is written
   * (storage/diskSpace.ts). Any write that finds the disk full answers 507 as well.
   */
  keepFreeBytes?: number;
  jsonLimitBytes?: number;
  /** Commands (ffmpeg runs) at once. Default: half the cores, 2 to 4 (defaultLocalConcurrency). */
  concurrency?: number;
  /**
   * Probe each command's outputs for their media fields (default true, as RenderIO does). The
   * probe is also the check that an output can be read back (OUTPUT_UNREADABLE). False:
   * outputs are STORED with their size and null media fields (the API allows null) and that
   * check is skipped: one ffprobe start fewer per command (~0.18 s of CPU with Debian's ffmpeg,
   * bench/local-trace.ts), for callers that only download outputs and check them themselves.
   */
  probeOutputs?: boolean;
  commandTimeoutMs?: number;
  /**
   * How long an ffmpeg run may go without its progress moving (frames, bytes or output time
   * written) before it is stopped and its command fails `STALLED` (default 10 minutes; counted
   * from ffmpeg's start too). Slow work keeps moving; a hung ffmpeg would otherwise sit at the
   * same percentage until `commandTimeoutMs`, a week for the app's engine.
   */
  stallTimeoutMs?: number;
  storageUrlTtlSeconds?: number;
  outputRetentionHours?: number;
  /**
   * Hours after which spent records are forgotten (default 24): a deleted file's, and a
   * finished command's once every output of it is deleted. Nothing with bytes behind it is
   * forgotten; a forgotten id answers 404, as an unknown one. Without this the state file grew
   * by ~2.4 KB a job for ever, and it is rewritten several times a job: at 1,000 jobs behind it
   * each write cost ~35 ms of CPU, at 10,000 ~300–400 ms (bench/engine-state.ts).
   */
  recordRetentionHours?: number;
  faults?: FaultConfig;
  /** The ffmpeg chosen in the app or with `--ffmpeg` (a file or its folder); else it is looked for. */
  ffmpegPath?: string;
  ffprobePath?: string;
  /**
   * Where else to look and how long to wait (shared/node/ffmpeg): `bundledDir` (the app's
   * packaged copy), `env` (FFMPEG_PATH, FFPROBE_PATH, PATH; default process.env), ...
   */
  ffmpegSearch?: Omit<LocalFfmpegOptions, 'chosenFfmpeg' | 'chosenFfprobe'>;
  logger?: Logger;
}

export interface RequestLogEntry {
  /** Epoch ms. */
  at: number;
  method: string;
  /** Epoch ms when the answer was over (or the connection closed). */
  endedAt: number;
  /** Without the query string (storage signatures stay out of the log). */
  path: string;
  /** The hold asked for (`wait_ms`), or null. */
  waitMs: number | null;
  /** Short prefix of the key's SHA-256 hash, never the key; null when no valid key was sent. */
  keyId: string | null;
  status: number;
}

export interface EngineHandle {
  /** The API base, e.g. http://127.0.0.1:40123; endpoints live under /api/v1. */
  url: string;
  /** Stops accepting, ends running ffmpeg processes, persists state. */
  close(): Promise<void>;
  /** A new `ffsk_` key, stored hashed. */
  createKey(): Promise<string>;
  revokeKey(key: string): Promise<void>;
  /** A bounded ring of the latest requests. */
  requestLog: readonly RequestLogEntry[];
  setFaults(f: FaultConfig | undefined): void;
  /**
   * The ffmpeg this engine runs ("ffmpeg 6.1 (bundled)", its encoders...), or why it has none:
   * then it still serves the API, and commands fail at once with that reason.
   */
  ffmpeg: LocalFfmpeg;
  /** How many commands run at once (the configured concurrency). */
  commandSlots: number;
}
