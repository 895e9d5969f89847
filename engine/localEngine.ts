/**
 * The local engine as the wiring starts it for the core: on 127.0.0.1, a free port, one
 * per-launch random key held in memory. The CLI, the tests and the e2e harness start it in
 * their own process with startLocalEngine; the app starts it in a utilityProcess
 * (engine/engineProcess.ts) with a key main gives it. Either way the core gets only a
 * LocalEngineLink: where it is, its key, and the ffmpeg it runs.
 */
import { randomBytes } from 'node:crypto';
import type { LocalEngineLink } from '../shared/localEngine';
import { startEngine, type EngineHandle, type EngineOptions } from './index';

export type { LocalEngineLink };

/** A key for one launch: never written anywhere, gone with the process. */
export function newLocalEngineKey(): string {
  return `ffsk_${randomBytes(32).toString('hex')}`;
}

export function linkOf(handle: EngineHandle, key: string): LocalEngineLink {
  return { url: handle.url, key, ffmpeg: handle.ffmpeg, commandSlots: handle.commandSlots };
}

/**
 * The largest upload the app's own engine takes: none in practice (1 PiB). A person converting
 * on this computer is limited by the disk alone (storage/diskSpace.ts answers 507 when it
 * cannot hold the file), not by the 10 GiB a shared server's setting may choose: a camera's or
 * a screen recorder's files pass that.
 */
const LOCAL_UPLOAD_LIMIT_BYTES = 2 ** 50;

/**
 * How long one command may run on this computer: a week, where a shared server stops one after
 * an hour (DEFAULTS.commandTimeoutMs). A two-hour film to AV1 on a laptop runs for hours, and
 * the hour's limit threw that work away; a person who finds one stuck cancels it. Below
 * setTimeout's largest delay (2^31 − 1 ms, ~24.8 days), past which Node fires the timer at once.
 */
export const LOCAL_COMMAND_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The app's own engine does not ration its one caller. A shared server's 20 requests a second
 * (DEFAULTS.rateLimit, the cloud's kind of limit) held a folder of short clips to that pace: a
 * job takes ~7.5 requests, so 40 one-second clips to MP3 took 10.6 s against 0.4 s for ffmpeg
 * run directly, the machine idle in between; without it, 1.8 s (bench/local-batch.ts
 * --seconds 1 --clips 40 --preset mp3, docs/PERFORMANCE.md). The bucket stays, so the headers
 * and 429 work as documented; it is only never reached.
 */
const LOCAL_RATE_LIMIT = { ratePerSecond: 100_000, burst: 100_000 } as const;

/**
 * What the app's own engine sets apart from a shared server's defaults (engine/config.ts). The
 * app and the CLI keep their own record of each job (Details, History) and ask the engine
 * nothing about a job once they have cleaned it up: an hour of spent records is plenty, and
 * keeps the state file (rewritten after every change) small on a busy day.
 */
export const LOCAL_ENGINE_OPTIONS = {
  recordRetentionHours: 1,
  uploadLimitBytes: LOCAL_UPLOAD_LIMIT_BYTES,
  commandTimeoutMs: LOCAL_COMMAND_TIMEOUT_MS,
  rateLimit: LOCAL_RATE_LIMIT,
} as const satisfies Partial<EngineOptions>;

export async function startLocalEngine(
  options: Omit<EngineOptions, 'port' | 'apiKeys'> & { key?: string },
): Promise<{ handle: EngineHandle; link: LocalEngineLink }> {
  const { key = newLocalEngineKey(), ...engineOptions } = options;
  const handle = await startEngine({
    ...LOCAL_ENGINE_OPTIONS,
    ...engineOptions,
    port: 0,
    apiKeys: [key],
  });
  return { handle, link: linkOf(handle, key) };
}
