/**
 * The nasty-media set: small files made with ffmpeg's lavfi sources (testsrc2, sine) in a
 * temp folder, each one an input that has broken a converter somewhere: odd and vertical
 * sizes, one frame, variable frame rate, no sound, sound only, stills, alpha, 5.1, files that
 * are not media at all, and names a shell or an argument parser would misread.
 */
import { execFile } from 'node:child_process';
import { copyFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One input of the set. `make` writes it into `dir` and returns its path. */
export interface NastyInput {
  id: string;
  /** What the table calls it. */
  label: string;
  /** The file name exactly as a person would have it on disk. */
  fileName: string;
  make(dir: string, base: BaseClips): Promise<string>;
}

/** Ordinary clips the odd names are copies of (the names are the nasty part). */
export interface BaseClips {
  video: string;
}

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

const lavfi = (source: string): string[] => ['-f', 'lavfi', '-i', source];
const SECONDS = 1;
const picture = (size: string, rate = 25): string[] =>
  lavfi(`testsrc2=size=${size}:rate=${rate}:duration=${SECONDS}`);
const tone = (): string[] => lavfi(`sine=frequency=440:sample_rate=48000:duration=${SECONDS}`);
const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast'];
const AAC = ['-c:a', 'aac', '-b:a', '96k'];

/** A plain 320×240 clip with sound: the base of the inputs whose name is the problem. */
export async function makeBaseClips(dir: string): Promise<BaseClips> {
  const video = join(dir, 'base.mp4');
  await ffmpeg([
    ...picture('320x240'),
    ...tone(),
    ...H264,
    '-pix_fmt',
    'yuv420p',
    ...AAC,
    '-shortest',
    video,
  ]);
  return { video };
}

/** An input that is the base clip under an awkward name. */
function named(id: string, label: string, fileName: string): NastyInput {
  return {
    id,
    label,
    fileName,
    async make(dir, base) {
      const path = join(dir, fileName);
      await copyFile(base.video, path);
      return path;
    },
  };
}

/** An input made by one ffmpeg run writing `fileName`. */
function made(id: string, label: string, fileName: string, args: string[]): NastyInput {
  return {
    id,
    label,
    fileName,
    async make(dir) {
      const path = join(dir, fileName);
      await ffmpeg([...args, path]);
      return path;
    },
  };
}

/** The marker the `$(…)` name would create if any layer handed it to a shell. */
export const PWNED_MARKER = 'pwned';

export const NASTY_INPUTS: readonly NastyInput[] = [
  // 4:4:4 so the odd size is real (4:2:0 cannot hold it); presets must make it even.
  made('odd', 'odd size 321×241', 'odd-321x241.mp4', [
    ...picture('322x242'),
    ...tone(),
    '-vf',
    'format=yuv444p,crop=321:241:0:0',
    ...H264,
    '-pix_fmt',
    'yuv444p',
    ...AAC,
    '-shortest',
  ]),
  made('vertical', 'vertical 240×426', 'vertical-240x426.mp4', [
    ...picture('240x426'),
    ...tone(),
    ...H264,
    '-pix_fmt',
    'yuv420p',
    ...AAC,
    '-shortest',
  ]),
  made('one-frame', 'a single frame', 'one-frame.mp4', [
    ...picture('320x240'),
    '-frames:v',
    '1',
    ...H264,
    '-pix_fmt',
    'yuv420p',
  ]),
  made('vfr', 'variable frame rate', 'vfr.mkv', [
    ...picture('320x240', 30),
    ...tone(),
    '-vf',
    "select='not(eq(mod(n\\,7)\\,3))*not(eq(mod(n\\,11)\\,5))'",
    '-fps_mode',
    'vfr',
    ...H264,
    '-pix_fmt',
    'yuv420p',
    ...AAC,
    '-shortest',
  ]),
  made('no-audio', 'video without audio', 'no-audio.mp4', [
    ...picture('320x240'),
    ...H264,
    '-pix_fmt',
    'yuv420p',
  ]),
  made('audio-only', 'audio only (wav)', 'audio-only.wav', [...tone(), '-c:a', 'pcm_s16le']),
  made('still', 'still png', 'still.png', [...picture('320x240'), '-frames:v', '1']),
  made('alpha-png', 'png with alpha', 'alpha.png', [
    ...picture('320x240'),
    '-vf',
    'format=rgba,geq=r=r(X\\,Y):g=g(X\\,Y):b=b(X\\,Y):a=X*255/W',
    '-frames:v',
    '1',
  ]),
  made('alpha-webm', 'webm with alpha (VP9 yuva420p)', 'alpha.webm', [
    ...picture('320x240'),
    ...tone(),
    '-vf',
    'format=rgba,geq=r=r(X\\,Y):g=g(X\\,Y):b=b(X\\,Y):a=X*255/W,format=yuva420p',
    '-c:v',
    'libvpx-vp9',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '300k',
    '-c:a',
    'libopus',
    '-shortest',
  ]),
  made('alpha-mov', 'mov with alpha (qtrle)', 'alpha.mov', [
    ...picture('320x240'),
    '-vf',
    'format=rgba,geq=r=r(X\\,Y):g=g(X\\,Y):b=b(X\\,Y):a=X*255/W,format=argb',
    '-c:v',
    'qtrle',
  ]),
  // 4.0 is a layout libopus refuses as it is; the Opus presets remix it.
  made('quad', '4.0 audio (wav)', 'four-channels.wav', [
    ...tone(),
    '-af',
    'aformat=channel_layouts=4.0',
    '-c:a',
    'pcm_s16le',
  ]),
  made('surround', '5.1 audio', 'surround-5.1.mp4', [
    ...picture('320x240'),
    ...tone(),
    '-af',
    'pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0',
    ...H264,
    '-pix_fmt',
    'yuv420p',
    ...AAC,
    '-shortest',
  ]),
  {
    id: 'zero-bytes',
    label: 'zero bytes',
    fileName: 'zero-bytes.mp4',
    async make(dir) {
      const path = join(dir, 'zero-bytes.mp4');
      await writeFile(path, '');
      return path;
    },
  },
  {
    id: 'truncated',
    label: 'truncated mp4 (cut in half)',
    fileName: 'truncated.mp4',
    async make(dir, base) {
      const path = join(dir, 'truncated.mp4');
      await copyFile(base.video, path);
      await truncate(path, Math.floor((await stat(path)).size / 2));
      return path;
    },
  },
  {
    id: 'text',
    label: 'a text file named .mp4',
    fileName: 'notes.mp4',
    async make(dir) {
      const path = join(dir, 'notes.mp4');
      await writeFile(path, 'Shopping list:\n- milk\n- a video, maybe\n');
      return path;
    },
  },
  named('spaces', 'name with spaces', 'my holiday clip.mp4'),
  named('unicode', 'unicode name', 'vidéo 日本語 ✓ 🎬.mp4'),
  named('dash', 'leading dash', '-clip.mp4'),
  named('quotes', 'quotes in the name', `it's a "quoted" clip.mp4`),
  named('subshell', 'a `$(…)` name', `$(touch ${PWNED_MARKER}).mp4`),
];

/** Whether the file is real media (ffprobe reads it) with a sound stream: what to expect of it. */
export interface InputFacts {
  readable: boolean;
  hasVideo: boolean;
  hasAudio: boolean;
}

export async function inputFacts(path: string): Promise<InputFacts> {
  try {
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_type',
      '-of',
      'csv=p=0',
      path,
    ]);
    const types = stdout.split('\n').map((l) => l.trim());
    return {
      readable: types.some((t) => t !== ''),
      hasVideo: types.includes('video'),
      hasAudio: types.includes('audio'),
    };
  } catch {
    return { readable: false, hasVideo: false, hasAudio: false };
  }
}

/**
 * Files named like the `$(…)` input's payload: anywhere under `deep` (the run's folders, where
 * ffmpeg and the engine work) and directly in `shallow` (the current folder a shell would use).
 */
export async function findPwned(
  deep: readonly string[],
  shallow: readonly string[] = [],
): Promise<string[]> {
  const found: string[] = [];
  const look = async (dir: string, recursive: boolean): Promise<void> => {
    const entries = await readdir(dir, { recursive }).catch(() => [] as string[]);
    for (const e of entries) if (basename(e) === PWNED_MARKER) found.push(join(dir, e));
  };
  for (const dir of deep) await look(dir, true);
  for (const dir of shallow) await look(dir, false);
  return found;
}
