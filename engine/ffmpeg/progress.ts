/**
 * Parser for ffmpeg's `-progress` output: blocks of `key=value` lines, each block closed by
 * `progress=continue` or `progress=end` (the approach LosslessCut takes). Pure: feed it text
 * as it arrives, in chunks of any size, and it hands back each finished block.
 */

export interface ProgressBlock {
  /** Output time reached, in seconds (from out_time_us, out_time_ms or out_time), or null. */
  outTimeSeconds: number | null;
  frame: number | null;
  fps: number | null;
  /** Encoding speed relative to real time (`speed=2.5x` → 2.5), or null. */
  speed: number | null;
  totalSizeBytes: number | null;
  /** True for the last block (`progress=end`). */
  end: boolean;
  /** Every key of the block as ffmpeg wrote it. */
  raw: Record<string, string>;
}

/** A line longer than this is not progress output (stray stdout data) and is dropped. */
const MAX_LINE = 4096;

function toNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'N/A') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

/** `HH:MM:SS.micro` (possibly negative) → seconds. */
export function parseClock(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^(-)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(value.trim());
  if (!m) return null;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] ? -seconds : seconds;
}

export function blockFromFields(raw: Record<string, string>): ProgressBlock {
  // out_time_ms is microseconds too (a long-standing ffmpeg quirk), so both divide by 1e6.
  const micros = toNumber(raw.out_time_us) ?? toNumber(raw.out_time_ms);
  let outTimeSeconds = micros !== null ? micros / 1e6 : parseClock(raw.out_time);
  if (outTimeSeconds !== null && outTimeSeconds < 0) outTimeSeconds = 0;
  const speed = raw.speed !== undefined ? toNumber(raw.speed.replace(/x$/, '')) : null;
  return {
    outTimeSeconds,
    frame: toNumber(raw.frame),
    fps: toNumber(raw.fps),
    speed,
    totalSizeBytes: toNumber(raw.total_size),
    end: raw.progress?.trim() === 'end',
    raw,
  };
}

export class ProgressParser {
  private partial = '';
  private fields: Record<string, string> = {};

  /** Feeds a chunk of stdout text; returns the blocks it completed. */
  push(chunk: string): ProgressBlock[] {
    const blocks: ProgressBlock[] = [];
    const text = this.partial + chunk;
    const lines = text.split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_LINE) this.partial = '';
    for (const line of lines) {
      if (line.length > MAX_LINE) continue;
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (!/^[a-z_0-9]+$/i.test(key)) continue;
      this.fields[key] = value;
      if (key === 'progress') {
        blocks.push(blockFromFields(this.fields));
        this.fields = {};
      }
    }
    return blocks;
  }
}

/** Below `progress=end` a job never shows as complete: the trailer may still be written. */
export const MAX_RUNNING_FRACTION = 0.99;

/** The fraction (0..1) of a job done, from a block and the expected duration. */
export function progressFraction(
  block: ProgressBlock,
  durationSeconds: number | null | undefined,
): number | null {
  if (block.end) return 1;
  if (block.outTimeSeconds === null || !durationSeconds || !(durationSeconds > 0)) return null;
  return Math.min(MAX_RUNNING_FRACTION, Math.max(0, block.outTimeSeconds / durationSeconds));
}

/**
 * The keys of a block that change only when ffmpeg gets on with the work: frames and bytes
 * written, output time reached, frames duplicated or dropped. Not `fps`, `bitrate` or `speed`:
 * time passing alone changes those (a stuck run's fps and speed keep falling), and they would
 * make a hung ffmpeg look alive.
 */
const COUNTER_KEYS = [
  'frame',
  'total_size',
  'out_time_us',
  'out_time_ms',
  'out_time',
  'dup_frames',
  'drop_frames',
] as const;

/**
 * Whether successive blocks show ffmpeg moving, for the watchdog that stops a hung run
 * (runFfmpeg's `stallMs`). Any counter moving counts, not only the output time: a first pass
 * writes frames to a null muxer, a stream copy with a huge keyframe interval moves its size
 * before its time. ffmpeg repeats a block with the same counters while it waits (with several
 * inputs its main loop keeps reporting while it is blocked), so a block arriving is not enough.
 * Pure: the caller keeps the clock.
 */
export class ProgressMotion {
  private last: string | null = null;

  /** True when `block` differs from the one before it in any counter (the first block does). */
  moved(block: ProgressBlock): boolean {
    if (block.end) return true;
    const counters = COUNTER_KEYS.map((key) => block.raw[key] ?? '').join('\n');
    if (counters === this.last) return false;
    this.last = counters;
    return true;
  }
}
