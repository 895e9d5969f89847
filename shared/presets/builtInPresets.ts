/**
 * The built-in presets. Pure data: shared by the app, the CLI and the tests (which run every
 * one of them through the engine's own ffmpeg path). docs/PRESETS.md explains each choice.
 *
 * Rules every preset follows, so odd inputs do not break it:
 * - Streams are mapped explicitly with the audio optional (`-map 0:v:0 -map 0:a:0?`), so a
 *   video without sound still converts; audio presets take the first audio stream.
 * - Encoders that need even dimensions (H.264/H.265/AV1/VP9 in 4:2:0) get them without
 *   resampling: full-size presets crop the one odd row/column (641×361 → 640×360), downscales
 *   let `scale` round with `force_divisible_by=2`. `format=yuv420p` keeps 4:4:4 or 10-bit
 *   sources playable everywhere.
 * - Downscales fit a box that follows the orientation (1280×720 or 720×1280) and never
 *   upscale: the box is first clamped to the input's own size.
 * - Variable frame rate needs nothing special: MP4 and WebM carry timestamps; GIF resamples
 *   to a fixed rate with `fps`, which passes the last frame on at the end so a one-frame video
 *   still makes a one-frame GIF (by default it keeps none, and the GIF is empty).
 * - Opus takes only some channel layouts: 2.1 or 4.0 sound is remixed to one it takes
 *   (`OPUS_LAYOUTS`); MP3 and AAC need nothing (ffmpeg downmixes 5.1 to stereo for LAME).
 * - Alpha: PNG and WebP keep it; JPEG has none, so JPG presets lay the picture over white
 *   first, as image editors export, instead of showing the colours hidden under transparency.
 * - Speed settings are chosen for a 2-core machine (measured figures in docs/PRESETS.md).
 */
import type { Preset } from '../presetTypes';

/** Even dimensions by cropping at most one pixel, then the most compatible pixel format. */
const EVEN_YUV420 = 'crop=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p';
const MAP_AV = '-map 0:v:0 -map 0:a:0?';
const MAP_AUDIO = '-map 0:a:0 -vn -sn -dn';
/**
 * Channel layouts libopus takes (its Vorbis order). Others (2.1, 4.0, 3.1) make it refuse to
 * start ("Invalid channel layout 4.0 for specified mapping family -1"): ffmpeg remixes them
 * to the nearest of these (4.0 → 5.0, 2.1 → stereo). 5.1 and 7.1 stay surround.
 */
const OPUS_LAYOUTS = '-af "aformat=channel_layouts=mono|stereo|3.0|quad|5.0|5.1|6.1|7.1"';
/** A picture with transparency laid over opaque white (a no-op for opaque pictures). */
const FLATTEN_ON_WHITE =
  'format=rgba,split[bg][fg];[bg]drawbox=c=white:t=fill[white];[white][fg]overlay=format=auto';

/** Fit inside w×h (landscape) or h×w (portrait), never upscaling, even dimensions. */
function fitBox(long: number, short: number): string {
  return (
    `scale=w='min(iw,if(gte(iw,ih),${long},${short}))':h='min(ih,if(gte(iw,ih),${short},${long}))'` +
    ':force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p'
  );
}

const H264_WEB = '-c:v libx264 -preset veryfast -crf 23 -profile:v high -pix_fmt yuv420p';
const AAC = '-c:a aac -b:a 128k';

function preset(p: Omit<Preset, 'source'>): Preset {
  return { ...p, source: 'built-in' };
}

export const BUILT_IN_PRESETS: readonly Preset[] = [
  preset({
    id: 'webm-vp9',
    name: 'WebM (VP9 + Opus)',
    description:
      'MP4 or any video to WebM with VP9 video and Opus audio, good quality for the web.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand:
      `-i {{in_file}} ${MAP_AV} -vf "${EVEN_YUV420}" ` +
      '-c:v libvpx-vp9 -crf 33 -b:v 0 -deadline good -cpu-used 4 -row-mt 1 ' +
      `${OPUS_LAYOUTS} -c:a libopus -b:a 96k {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'webm' }],
  }),
  preset({
    id: 'webm-vp9-fast',
    name: 'WebM (VP9, fast)',
    description: 'WebM with VP9 at real-time speed: several times faster, larger files.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand:
      `-i {{in_file}} ${MAP_AV} -vf "${EVEN_YUV420}" ` +
      '-c:v libvpx-vp9 -crf 36 -b:v 2M -deadline realtime -cpu-used 8 -row-mt 1 ' +
      `${OPUS_LAYOUTS} -c:a libopus -b:a 96k {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'webm' }],
  }),
  preset({
    id: 'mp4-h264',
    name: 'MP4 for the web (H.264 + AAC)',
    description:
      'H.264 High profile and AAC, index at the front (faststart) so it streams at once.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AV} -vf "${EVEN_YUV420}" ${H264_WEB} ${AAC} -movflags +faststart {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'mp4' }],
  }),
  preset({
    id: 'mp4-h265',
    name: 'MP4 (H.265/HEVC)',
    description:
      'HEVC at about half the size of H.264 for the same quality; tagged hvc1 for Apple players.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand:
      `-i {{in_file}} ${MAP_AV} -vf "${EVEN_YUV420}" ` +
      '-c:v libx265 -preset veryfast -crf 28 -tag:v hvc1 -x265-params log-level=error ' +
      `${AAC} -movflags +faststart {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'mp4' }],
  }),
  preset({
    id: 'mp4-av1',
    name: 'MP4 (AV1, SVT-AV1)',
    description: 'AV1 with SVT-AV1 and AAC audio: small files for modern browsers and players.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand:
      `-i {{in_file}} ${MAP_AV} -vf "${EVEN_YUV420}" ` +
      `-c:v libsvtav1 -preset 10 -crf 35 -g 240 ${AAC} -movflags +faststart {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'mp4' }],
  }),
  preset({
    id: 'mp4-720p',
    name: '720p MP4',
    description:
      'Scales down to fit 1280×720 (720×1280 for vertical video), never up; H.264 + AAC.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AV} -vf "${fitBox(1280, 720)}" ${H264_WEB} ${AAC} -movflags +faststart {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'mp4' }],
  }),
  preset({
    id: 'mp4-1080p',
    name: '1080p MP4',
    description:
      'Scales down to fit 1920×1080 (1080×1920 for vertical video), never up; H.264 + AAC.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AV} -vf "${fitBox(1920, 1080)}" ${H264_WEB} ${AAC} -movflags +faststart {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'mp4' }],
  }),
  preset({
    id: 'mp4-small',
    name: 'Small for sharing',
    description:
      'Fits 854×480, lower quality and a capped bitrate: small enough for chat and e-mail.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand:
      `-i {{in_file}} ${MAP_AV} -vf "${fitBox(854, 480)}" ` +
      '-c:v libx264 -preset veryfast -crf 28 -maxrate 1M -bufsize 2M -profile:v high -pix_fmt yuv420p ' +
      '-c:a aac -b:a 96k -ac 2 -movflags +faststart {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'mp4' }],
  }),
  preset({
    id: 'gif',
    name: 'Animated GIF',
    description:
      'A looping GIF at 10 fps, at most 480 pixels wide, with its own 256-colour palette.',
    category: 'image',
    accepts: ['video'],
    ffmpegCommand:
      "-i {{in_file}} -map 0:v:0 -vf \"fps=10:eof_action=pass,scale=w='min(480,iw)':h=-1:flags=lanczos,split[a][b];" +
      '[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle" ' +
      '-loop 0 {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'gif' }],
  }),
  preset({
    id: 'thumbnail-jpg',
    name: 'Thumbnail (JPG)',
    description:
      'A representative frame (the most typical of the first frames), at most 640 pixels wide.',
    category: 'image',
    accepts: ['video', 'image'],
    ffmpegCommand:
      `-i {{in_file}} -map 0:v:0 -vf "thumbnail=25,scale=w='min(640,iw)':h=-1,${FLATTEN_ON_WHITE}" ` +
      '-frames:v 1 -update 1 -q:v 3 {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'jpg' }],
  }),
  preset({
    id: 'thumbnail-png',
    name: 'Thumbnail (PNG)',
    description: 'A representative frame as a lossless PNG, at most 640 pixels wide.',
    category: 'image',
    accepts: ['video', 'image'],
    ffmpegCommand:
      '-i {{in_file}} -map 0:v:0 -vf "thumbnail=25,scale=w=\'min(640,iw)\':h=-1" -frames:v 1 -update 1 {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'png' }],
  }),
  preset({
    id: 'image-jpg',
    name: 'Image to JPG',
    description: 'Converts a picture to JPEG (quality about 90%); transparent areas become white.',
    category: 'image',
    accepts: ['image'],
    ffmpegCommand: `-i {{in_file}} -map 0:v:0 -vf "${FLATTEN_ON_WHITE}" -frames:v 1 -update 1 -q:v 2 {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'jpg' }],
  }),
  preset({
    id: 'image-png',
    name: 'Image to PNG',
    description: 'Converts a picture to lossless PNG.',
    category: 'image',
    accepts: ['image'],
    ffmpegCommand: '-i {{in_file}} -map 0:v:0 -frames:v 1 -update 1 {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'png' }],
  }),
  preset({
    id: 'image-webp',
    name: 'Image to WebP',
    description: 'Converts a picture to WebP (quality 80), usually much smaller than JPG or PNG.',
    category: 'image',
    accepts: ['image'],
    ffmpegCommand: '-i {{in_file}} -map 0:v:0 -frames:v 1 -c:v libwebp -quality 80 {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'webp' }],
  }),
  preset({
    id: 'mp3',
    name: 'MP3',
    description: 'MP3 at VBR quality 2 (about 190 kbit/s); takes the first audio track of a video.',
    category: 'audio',
    accepts: ['audio', 'video'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AUDIO} -c:a libmp3lame -q:a 2 {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'mp3' }],
  }),
  preset({
    id: 'm4a-aac',
    name: 'AAC (M4A)',
    description: 'AAC at 192 kbit/s in an M4A file, for Apple devices and most players.',
    category: 'audio',
    accepts: ['audio', 'video'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AUDIO} -c:a aac -b:a 192k -movflags +faststart {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'm4a' }],
  }),
  preset({
    id: 'opus',
    name: 'Opus',
    description: 'Opus at 128 kbit/s: the best quality per bit for music and speech.',
    category: 'audio',
    accepts: ['audio', 'video'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AUDIO} ${OPUS_LAYOUTS} -c:a libopus -b:a 128k {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'opus' }],
  }),
  preset({
    id: 'wav',
    name: 'WAV (16-bit PCM)',
    description: 'Uncompressed 16-bit WAV, for editors and devices that need it.',
    category: 'audio',
    accepts: ['audio', 'video'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AUDIO} -c:a pcm_s16le {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'wav' }],
  }),
  preset({
    id: 'flac',
    name: 'FLAC (lossless)',
    description: 'Lossless FLAC: bit-exact audio at about half the size of WAV.',
    category: 'audio',
    accepts: ['audio', 'video'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AUDIO} -c:a flac -compression_level 5 {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'flac' }],
  }),
  preset({
    id: 'extract-audio',
    name: 'Extract audio (no re-encoding)',
    description:
      'Copies the first audio track out of a video as it is, into a Matroska audio file.',
    category: 'audio',
    accepts: ['video', 'audio'],
    ffmpegCommand: `-i {{in_file}} ${MAP_AUDIO} -c:a copy {{out_file}}`,
    outputs: [{ alias: 'out_file', extension: 'mka' }],
  }),
  preset({
    id: 'remux-mp4',
    name: 'Remux to MP4 (no re-encoding)',
    description: 'Copies video and audio into an MP4 without re-encoding: instant and lossless.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand: '-i {{in_file}} -map 0:v:0 -map 0:a? -c copy -movflags +faststart {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'mp4' }],
  }),
  preset({
    id: 'remux-mkv',
    name: 'Remux to MKV (no re-encoding)',
    description: 'Copies video and every audio track into Matroska without re-encoding.',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand: '-i {{in_file}} -map 0:v:0 -map 0:a? -c copy {{out_file}}',
    outputs: [{ alias: 'out_file', extension: 'mkv' }],
  }),
];
