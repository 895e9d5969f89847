/**
 * Test media, generated with the real ffmpeg (lavfi testsrc2 / sine) into a temp directory.
 * Nothing is committed. The benchmarks use the same helpers for their larger clips.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs ffmpeg quietly, overwriting its output; throws with ffmpeg's stderr on failure. */
export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

const lavfi = (source: string): string[] => ['-f', 'lavfi', '-i', source];

export async function tempDir(
  prefix = 'renderio-test-',
): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  // Retried: on a loaded CI machine a directory just emptied by a closed core once reported
  // ENOTEMPTY (appCore.test.ts, not reproduced since); rm retries that with a back-off.
  return {
    path,
    cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }),
  };
}

export interface VideoOptions {
  seconds?: number;
  width?: number;
  height?: number;
  fps?: number;
  audio?: boolean;
  /** Variable frame rate: frames are dropped irregularly. */
  vfr?: boolean;
  /** mp4 (H.264 + AAC, default), mov, mkv, webm (VP9 + Opus, realtime speed). */
  container?: 'mp4' | 'mov' | 'mkv' | 'webm';
  /** x264's speed preset for the H.264 containers (default ultrafast; benches use veryfast). */
  x264Preset?: string;
}

export async function makeVideo(dir: string, name: string, o: VideoOptions = {}): Promise<string> {
  const {
    seconds = 2,
    width = 320,
    height = 240,
    fps = 25,
    audio = true,
    vfr = false,
    container = 'mp4',
    x264Preset = 'ultrafast',
  } = o;
  const out = join(dir, name);
  // testsrc2 rounds odd sizes down to even ones: draw a size up, then crop to the exact size.
  const drawn = `${width + (width % 2)}x${height + (height % 2)}`;
  const args = lavfi(`testsrc2=size=${drawn}:rate=${fps}:duration=${seconds}`);
  if (audio) args.push(...lavfi(`sine=frequency=440:sample_rate=48000:duration=${seconds}`));
  // Crop works on whole chroma blocks, so odd sizes need a pixel format without subsampling.
  const odd = width % 2 === 1 || height % 2 === 1;
  const filters = odd ? ['format=yuv444p', `crop=${width}:${height}:0:0`] : [];
  if (vfr) filters.push("select='not(eq(mod(n\\,7)\\,3))*not(eq(mod(n\\,11)\\,5))'");
  if (filters.length > 0) args.push('-vf', filters.join(','));
  if (vfr) args.push('-fps_mode', 'vfr');
  if (container === 'webm') {
    args.push('-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k');
    if (audio) args.push('-c:a', 'libopus');
  } else {
    args.push('-c:v', 'libx264', '-preset', x264Preset, '-pix_fmt', odd ? 'yuv444p' : 'yuv420p');
    if (audio) args.push('-c:a', 'aac', '-b:a', '96k');
  }
  if (audio) args.push('-shortest');
  args.push(out);
  await ffmpeg(args);
  return out;
}

export interface AudioOptions {
  seconds?: number;
  /** mp3, wav, flac, m4a, ogg (opus). */
  format?: 'mp3' | 'wav' | 'flac' | 'm4a' | 'ogg';
  channels?: 1 | 2;
}

export async function makeAudio(dir: string, name: string, o: AudioOptions = {}): Promise<string> {
  const { seconds = 2, format = 'mp3', channels = 2 } = o;
  const out = join(dir, name);
  const codec = { mp3: 'libmp3lame', wav: 'pcm_s16le', flac: 'flac', m4a: 'aac', ogg: 'libopus' }[
    format
  ];
  await ffmpeg([
    ...lavfi(`sine=frequency=523:sample_rate=48000:duration=${seconds}`),
    '-ac',
    String(channels),
    '-c:a',
    codec,
    out,
  ]);
  return out;
}

export async function makeImage(
  dir: string,
  name: string,
  width = 320,
  height = 240,
): Promise<string> {
  const out = join(dir, name);
  await ffmpeg([
    ...lavfi(`testsrc2=size=${width}x${height}:rate=1:duration=1`),
    '-frames:v',
    '1',
    out,
  ]);
  return out;
}

/** A file with a media extension and garbage inside: ffprobe and ffmpeg must refuse it. */
export async function makeCorrupt(dir: string, name = 'corrupt.mp4'): Promise<string> {
  const out = join(dir, name);
  const junk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 251;
  await writeFile(out, Buffer.concat([Buffer.from('this is not a video\n'), junk]));
  return out;
}

/**
 * An MP4 with its index first (faststart, as cameras and web downloads write them) cut short:
 * only the first `share` of its bytes, as a download that stopped leaves it. It still says its
 * whole length, and ffmpeg converts the part that is there without an error.
 */
export async function makeCutShort(
  dir: string,
  name: string,
  o: { seconds?: number; share?: number } = {},
): Promise<string> {
  const { seconds = 12, share = 0.4 } = o;
  const whole = join(dir, `whole-${name}`);
  await ffmpeg([
    ...lavfi(`testsrc2=size=160x120:rate=25:duration=${seconds}`),
    ...lavfi(`sine=frequency=440:sample_rate=48000:duration=${seconds}`),
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-b:a', '64k'],
    ...['-movflags', '+faststart', '-shortest', whole],
  ]);
  const bytes = await readFile(whole);
  const out = join(dir, name);
  await writeFile(out, bytes.subarray(0, Math.floor(bytes.length * share)));
  await rm(whole);
  return out;
}

export interface ProbeResult {
  format: { duration?: string; format_name?: string; size?: string };
  streams: {
    codec_type: string;
    codec_name: string;
    width?: number;
    height?: number;
    sample_rate?: string;
    channels?: number;
  }[];
}

/** ffprobe's JSON, for tests that check what a conversion produced. */
export async function probe(path: string): Promise<ProbeResult> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    path,
  ]);
  return JSON.parse(stdout) as ProbeResult;
}

export function durationOf(p: ProbeResult): number {
  return Number(p.format.duration ?? NaN);
}

export function codecOf(p: ProbeResult, type: 'video' | 'audio'): string | undefined {
  return p.streams.find((s) => s.codec_type === type)?.codec_name;
}
