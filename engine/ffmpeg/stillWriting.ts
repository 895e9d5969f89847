/**
 * Whether ffmpeg is still writing its files though its progress counters stand still. After
 * its last progress block ffmpeg may work for minutes without a word: `-movflags +faststart`
 * moves the index of a finished MP4 to its front by rewriting the whole file, 20 GB at a USB
 * disk's 30 MB/s taking over 20 minutes. A watchdog that only read the counters would throw
 * that work away at its very end. Asked only when the stall limit is reached, so a run that
 * moves costs nothing.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The files directly in `dir` (where the engine's ffmpeg writes its outputs): names, sizes, times. */
async function filesSignature(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const parts: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const info = await stat(join(dir, entry.name)).catch(() => null);
    if (info) parts.push(`${entry.name}:${info.size}:${info.mtimeMs}`);
  }
  return parts.sort().join('|');
}

/** Whether a file in `dir` changed (size, time, appeared, went) within `sampleMs`. */
export async function stillWriting(dir: string, sampleMs: number): Promise<boolean> {
  const before = await filesSignature(dir);
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  return (await filesSignature(dir)) !== before;
}

/** How long to watch the files for: long enough to see a write, short beside the stall limit. */
export function writeSampleMs(stallMs: number): number {
  return Math.min(5_000, Math.max(100, Math.round(stallMs / 4)));
}
