/**
 * Every built-in preset through real ffmpeg, the way the engine runs it (prepareFfmpegArgs +
 * runFfmpeg in a fresh directory), on each kind of media it accepts and on the awkward inputs:
 * odd dimensions (641×361), no audio, vertical 240×320 and variable frame rate. ffprobe checks
 * the codec, the duration and the dimensions of what came out.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareFfmpegArgs } from '../../../shared/ffmpeg/argumentRules';
import { probeMedia } from '../../../engine/ffmpeg/probe';
import { runFfmpeg } from '../../../engine/ffmpeg/runFfmpeg';
import {
  BUILT_IN_PRESETS,
  describePresetRefusal,
  mediaKindFromExtension,
  presetAcceptsMedia,
  presetToCommandRequest,
} from '../../../shared/presets';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import type { RunCommandRequest } from '../../../shared/renderioApi';
import {
  makeAudio,
  makeImage,
  makeVideo,
  probe,
  tempDir,
  type ProbeResult,
} from '../../support/media';

const exec = promisify(execFile);
const DURATION_TOLERANCE = 0.3;

interface Sample {
  label: string;
  path: string;
  kind: MediaKind;
  hasAudio: boolean;
  width?: number;
  height?: number;
  duration?: number;
}

/** What each preset must produce: codecs (null: copied from the input) and limits. */
const EXPECTED: Record<
  string,
  { video?: string | null; audio?: string | null; image?: string; maxBox?: [number, number] }
> = {
  'webm-vp9': { video: 'vp9', audio: 'opus' },
  'webm-vp9-fast': { video: 'vp9', audio: 'opus' },
  'mp4-h264': { video: 'h264', audio: 'aac' },
  'mp4-h265': { video: 'hevc', audio: 'aac' },
  'mp4-av1': { video: 'av1', audio: 'aac' },
  'mp4-720p': { video: 'h264', audio: 'aac', maxBox: [1280, 720] },
  'mp4-1080p': { video: 'h264', audio: 'aac', maxBox: [1920, 1080] },
  'mp4-small': { video: 'h264', audio: 'aac', maxBox: [854, 480] },
  'remux-mp4': { video: null, audio: null },
  'remux-mkv': { video: null, audio: null },
  gif: { video: 'gif', maxBox: [480, 100_000] },
  'thumbnail-jpg': { image: 'mjpeg', maxBox: [640, 100_000] },
  'thumbnail-png': { image: 'png', maxBox: [640, 100_000] },
  'image-jpg': { image: 'mjpeg' },
  'image-png': { image: 'png' },
  'image-webp': { image: 'webp' },
  mp3: { audio: 'mp3' },
  'm4a-aac': { audio: 'aac' },
  opus: { audio: 'opus' },
  wav: { audio: 'pcm_s16le' },
  flac: { audio: 'flac' },
  'extract-audio': { audio: null },
};

let dir: { path: string; cleanup(): Promise<void> };
const samples: Sample[] = [];
let runs = 0;

async function facts(label: string, path: string, kind: MediaKind): Promise<Sample> {
  const outcome = await probeMedia(path);
  if (!outcome.ok) throw new Error(`sample ${label} unreadable: ${outcome.reason}`);
  const m = outcome.media;
  return {
    label,
    path,
    kind,
    hasAudio: m.sample_rate !== null,
    width: m.width ?? undefined,
    height: m.height ?? undefined,
    duration: m.duration ?? undefined,
  };
}

beforeAll(async () => {
  dir = await tempDir('renderio-presets-');
  const d = dir.path;
  const odd = await makeVideo(d, 'odd.mp4', { width: 641, height: 361 });
  const oddPng = join(d, 'odd.png');
  await exec('ffmpeg', ['-v', 'error', '-y', '-i', odd, '-frames:v', '1', oddPng]);
  const made: [string, Promise<string>, MediaKind][] = [
    ['video 320×240', makeVideo(d, 'video.mp4'), 'video'],
    ['odd 641×361', Promise.resolve(odd), 'video'],
    ['no audio', makeVideo(d, 'silent.mp4', { audio: false }), 'video'],
    ['vertical 240×320', makeVideo(d, 'vertical.mp4', { width: 240, height: 320 }), 'video'],
    ['variable frame rate', makeVideo(d, 'vfr.mkv', { vfr: true, container: 'mkv' }), 'video'],
    ['mp3', makeAudio(d, 'audio.mp3'), 'audio'],
    ['wav mono', makeAudio(d, 'audio.wav', { format: 'wav', channels: 1 }), 'audio'],
    ['png 320×240', makeImage(d, 'image.png'), 'image'],
    ['png 641×361', Promise.resolve(oddPng), 'image'],
  ];
  for (const [label, path, kind] of made) samples.push(await facts(label, await path, kind));
}, 120_000);

afterAll(async () => {
  console.log(`built-in presets: ${runs} ffmpeg runs`);
  await dir.cleanup();
});

interface Run {
  ok: boolean;
  stderrTail: string;
  outputs: { path: string; probe: ProbeResult | null }[];
}

let workCounter = 0;
/** Runs a preset on a sample exactly as the engine would, in a fresh work directory. */
async function runPreset(preset: Preset, sample: Sample): Promise<Run> {
  const work = join(dir.path, `work-${++workCounter}`);
  await mkdir(work);
  const inputName = `in_file${extname(sample.path)}`;
  await copyFile(sample.path, join(work, inputName));
  const request = presetToCommandRequest(
    preset,
    'https://example.invalid/input',
    'result',
  ) as RunCommandRequest;
  const resolve = (alias: string): string =>
    alias === 'in_file' ? inputName : (request.output_files[alias] ?? alias);
  const args = prepareFfmpegArgs(request.ffmpeg_command, resolve);
  runs++;
  const result = await runFfmpeg({
    args,
    cwd: work,
    timeoutMs: 120_000,
    durationSeconds: sample.duration ?? null,
  });
  const outputs = await Promise.all(
    Object.values(request.output_files).map(async (name) => {
      const path = join(work, name);
      return { path, probe: result.ok ? await probe(path) : null };
    }),
  );
  return { ok: result.ok, stderrTail: result.stderrTail, outputs };
}

const stream = (p: ProbeResult, type: 'video' | 'audio') =>
  p.streams.find((s) => s.codec_type === type);

describe('built-in presets', () => {
  it('are at least 15, with unique ids, covering video, audio and image', () => {
    expect(BUILT_IN_PRESETS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(BUILT_IN_PRESETS.map((p) => p.id)).size).toBe(BUILT_IN_PRESETS.length);
    expect(new Set(BUILT_IN_PRESETS.map((p) => p.category))).toEqual(
      new Set(['video', 'audio', 'image']),
    );
    expect(BUILT_IN_PRESETS[0]?.id).toBe('webm-vp9');
    expect(Object.keys(EXPECTED).sort()).toEqual(BUILT_IN_PRESETS.map((p) => p.id).sort());
  });

  it('the samples are what they claim to be', () => {
    for (const s of samples) expect(mediaKindFromExtension(s.path), s.label).toBe(s.kind);
    expect(samples.find((s) => s.label.startsWith('odd'))).toMatchObject({
      width: 641,
      height: 361,
    });
    expect(samples.find((s) => s.label === 'png 641×361')).toMatchObject({
      width: 641,
      height: 361,
    });
    expect(samples.find((s) => s.label === 'no audio')?.hasAudio).toBe(false);
  });

  describe.each(BUILT_IN_PRESETS.map((p) => [p.id, p] as const))('%s', (_id, preset) => {
    const expected = EXPECTED[preset.id] ?? {};

    it('refuses, before upload and with a reason, the kinds it does not take', () => {
      for (const kind of ['video', 'audio', 'image'] as const) {
        const accepted = preset.accepts.includes(kind);
        expect(presetAcceptsMedia(preset, kind)).toBe(accepted);
        const reason = describePresetRefusal(preset, kind);
        if (accepted) expect(reason).toBeNull();
        else expect(reason).toContain(preset.name);
      }
    });

    it('converts every sample it accepts', async () => {
      const accepted = samples.filter((s) => preset.accepts.includes(s.kind));
      expect(accepted.length).toBeGreaterThan(0);
      for (const sample of accepted) {
        const where = `${preset.id} on ${sample.label}`;
        const run = await runPreset(preset, sample);
        if (preset.category === 'audio' && !sample.hasAudio) {
          // Nothing to convert: a clear failure, and the app refuses it once it knows.
          expect(run.ok, where).toBe(false);
          expect(run.stderrTail, where).toMatch(/matches no streams/);
          expect(describePresetRefusal(preset, sample.kind, { hasAudio: false }), where).toContain(
            'no sound',
          );
          continue;
        }
        expect(run.ok, `${where}: ${run.stderrTail}`).toBe(true);
        const out = run.outputs[0]?.probe;
        if (!out) throw new Error(`${where}: no output`);
        const video = stream(out, 'video');
        const audio = stream(out, 'audio');

        if (expected.image) {
          expect(video?.codec_name, where).toBe(expected.image);
          expect(mediaKindFromExtension(run.outputs[0]?.path ?? ''), where).toBe('image');
        } else {
          const duration = Number(out.format.duration);
          expect(
            Math.abs(duration - (sample.duration ?? NaN)),
            `${where}: duration ${duration}`,
          ).toBeLessThanOrEqual(DURATION_TOLERANCE);
        }
        if (expected.video !== undefined) {
          expect(video?.codec_name, where).toBe(expected.video ?? 'h264');
          expect(Boolean(audio), `${where}: audio kept exactly when there is some`).toBe(
            expected.video === 'gif' ? false : sample.hasAudio,
          );
        }
        if (expected.audio !== undefined && expected.video === undefined) {
          expect(video, `${where}: audio only`).toBeUndefined();
          const source = sample.path.endsWith('.mp3')
            ? 'mp3'
            : sample.path.endsWith('.wav')
              ? 'pcm_s16le'
              : 'aac';
          expect(audio?.codec_name, where).toBe(expected.audio ?? source);
        } else if (expected.audio && sample.hasAudio) {
          expect(audio?.codec_name, where).toBe(expected.audio);
        }

        if (video && sample.width && sample.height) {
          const { width = 0, height = 0 } = video;
          // Never upscaled, orientation kept, even sizes where the codec needs them.
          expect(width, where).toBeLessThanOrEqual(sample.width);
          expect(height, where).toBeLessThanOrEqual(sample.height);
          expect(width >= height, `${where}: orientation`).toBe(sample.width >= sample.height);
          if (['h264', 'hevc', 'av1', 'vp9'].includes(expected.video ?? '')) {
            expect(width % 2, where).toBe(0);
            expect(height % 2, where).toBe(0);
            expect(width, `${where}: at most one pixel cropped`).toBeGreaterThanOrEqual(
              sample.width - 1,
            );
          }
          if (expected.maxBox) {
            const [long, short] = expected.maxBox;
            expect(Math.max(width, height), where).toBeLessThanOrEqual(Math.max(long, short));
            expect(Math.min(width, height), where).toBeLessThanOrEqual(Math.min(long, short));
          }
        }
      }
    });
  });
});

describe('downscales on large input', () => {
  let large: Sample[] = [];
  beforeAll(async () => {
    const d = dir.path;
    large = [
      await facts(
        '2048×1152',
        await makeVideo(d, 'large.mp4', { width: 2048, height: 1152, seconds: 1, fps: 10 }),
        'video',
      ),
      await facts(
        '1152×2048',
        await makeVideo(d, 'large-v.mp4', { width: 1152, height: 2048, seconds: 1, fps: 10 }),
        'video',
      ),
    ];
  }, 120_000);

  it.each([
    ['mp4-720p', 1280, 720],
    ['mp4-1080p', 1920, 1080],
    ['mp4-small', 854, 480],
  ] as const)(
    '%s fits its box in both orientations and keeps the aspect ratio',
    async (id, long, short) => {
      const preset = BUILT_IN_PRESETS.find((p) => p.id === id);
      if (!preset) throw new Error(`no preset ${id}`);
      for (const sample of large) {
        const run = await runPreset(preset, sample);
        expect(run.ok, run.stderrTail).toBe(true);
        const video = run.outputs[0]?.probe ? stream(run.outputs[0].probe, 'video') : undefined;
        const { width = 0, height = 0 } = video ?? {};
        const landscape = (sample.width ?? 0) >= (sample.height ?? 0);
        // The long side fills the box (to the even pixel), the short side fits, the shape is kept.
        expect(
          Math.abs((landscape ? width : height) - long),
          `${id} ${sample.label}: ${width}×${height}`,
        ).toBeLessThanOrEqual(2);
        expect(landscape ? height : width).toBeLessThanOrEqual(short);
        expect((width % 2) + (height % 2)).toBe(0);
        expect(width / height).toBeCloseTo((sample.width ?? 1) / (sample.height ?? 1), 1);
      }
    },
  );
});

/** The RGBA of one pixel of a picture, as ffmpeg decodes it. */
async function pixelAt(path: string, x: number, y: number): Promise<number[]> {
  const { stdout } = await exec(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      path,
      '-vf',
      `crop=1:1:${x}:${y},format=rgba`,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-',
    ],
    { encoding: 'buffer' },
  );
  return [...stdout.subarray(0, 4)];
}

function presetById(id: string): Preset {
  const preset = BUILT_IN_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  return preset;
}

describe('awkward pictures and clips', () => {
  let transparent: Sample;
  let oneFrame: Sample;
  let quadAudio: Sample;
  let quadVideo: Sample;
  beforeAll(async () => {
    const d = dir.path;
    // Red everywhere, fully transparent on the left half: what shows there must not be red.
    const png = join(d, 'half-transparent.png');
    await exec('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=c=red:s=64x48:d=1',
      '-vf',
      "format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(X,W/2),0,255)'",
      '-frames:v',
      '1',
      png,
    ]);
    transparent = await facts('half-transparent png', png, 'image');
    // 4.0 (front left, right, centre, back centre): a layout libopus refuses as it is.
    const quad = join(d, 'four-channels.wav');
    await exec('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=d=1',
      '-af',
      'aformat=channel_layouts=4.0',
      quad,
    ]);
    quadAudio = await facts('4.0 wav', quad, 'audio');
    const quadMkv = join(d, 'four-channels.mkv');
    await exec('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x120:rate=10:duration=1',
      '-i',
      quad,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'flac',
      quadMkv,
    ]);
    quadVideo = await facts('video with 4.0 sound', quadMkv, 'video');
    oneFrame = await facts(
      'one frame',
      await makeVideo(d, 'one-frame.mp4', { seconds: 0.04, audio: false }),
      'video',
    );
  }, 60_000);

  it('gif makes a one-frame GIF of a one-frame video (not an empty file)', async () => {
    const run = await runPreset(presetById('gif'), oneFrame);
    expect(run.ok, run.stderrTail).toBe(true);
    const out = run.outputs[0]?.probe;
    expect(out && stream(out, 'video')?.codec_name).toBe('gif');
    expect(Number(out?.format.size)).toBeGreaterThan(0);
  });

  it.each([
    ['opus', () => quadAudio],
    ['webm-vp9-fast', () => quadVideo],
  ] as const)('%s takes 4.0 sound (remixed to a layout Opus has)', async (id, sample) => {
    const run = await runPreset(presetById(id), sample());
    expect(run.ok, run.stderrTail).toBe(true);
    const audio = run.outputs[0]?.probe && stream(run.outputs[0].probe, 'audio');
    expect(audio?.codec_name).toBe('opus');
    expect(audio?.channels).toBeGreaterThanOrEqual(4);
  });

  it.each(['image-jpg', 'thumbnail-jpg'])(
    '%s lays transparency over white (JPEG has no alpha)',
    async (id) => {
      const run = await runPreset(presetById(id), transparent);
      expect(run.ok, run.stderrTail).toBe(true);
      const path = run.outputs[0]?.path ?? '';
      const [r = 0, g = 0, b = 0] = await pixelAt(path, 4, 24);
      expect(Math.min(r, g, b), `transparent side is ${r},${g},${b}`).toBeGreaterThan(240);
      const [r2 = 0, g2 = 0, b2 = 0] = await pixelAt(path, 60, 24);
      expect([r2 > 200, g2 < 60, b2 < 60], `opaque side is ${r2},${g2},${b2}`).toEqual([
        true,
        true,
        true,
      ]);
    },
  );

  it.each(['image-png', 'thumbnail-png'])('%s keeps the alpha', async (id) => {
    const run = await runPreset(presetById(id), transparent);
    expect(run.ok, run.stderrTail).toBe(true);
    const path = run.outputs[0]?.path ?? '';
    expect((await pixelAt(path, 4, 24))[3], 'transparent side').toBeLessThan(16);
    expect((await pixelAt(path, 60, 24))[3], 'opaque side').toBeGreaterThan(240);
  });

  it('image-webp keeps the alpha', async () => {
    const run = await runPreset(presetById('image-webp'), transparent);
    expect(run.ok, run.stderrTail).toBe(true);
    // ffmpeg 5.1 cannot decode a WebP with alpha back, so the file itself is read: an
    // extended WebP (VP8X) with an alpha chunk (ALPH), which ffprobe calls yuva420p.
    const path = run.outputs[0]?.path ?? '';
    expect(stream(run.outputs[0]?.probe ?? { format: {}, streams: [] }, 'video')).toMatchObject({
      codec_name: 'webp',
    });
    const { stdout } = await exec('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=pix_fmt',
      '-of',
      'csv=p=0',
      path,
    ]);
    expect(stdout.trim()).toBe('yuva420p');
    const bytes = await readFile(path);
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('VP8X');
    expect(bytes.includes(Buffer.from('ALPH'))).toBe(true);
  });
});
