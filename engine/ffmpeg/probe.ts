/**
 * Fills the media fields of a stored file or an output (renderio-api.md, "Stored file
 * object") from ffprobe's JSON.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { basename, extname, isAbsolute } from 'node:path';
import type { MediaFields } from '../../shared/renderioApi';
import { redact } from '../../shared/redact';
import { mimeTypeForExtension } from '../../shared/mediaTypes';
import { INPUT_FORMAT_WHITELIST } from '../../shared/ffmpeg/argumentRules';

export type ProbeOutcome = { ok: true; media: MediaFields } | { ok: false; reason: string };

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  bit_rate?: string;
  sample_rate?: string;
  channels?: number;
  nb_frames?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

interface FfprobeOutput {
  format?: { format_name?: string; duration?: string; size?: string; bit_rate?: string };
  streams?: FfprobeStream[];
}

/** Demuxers that hold one still image (image2 and the `*_pipe` image demuxers). */
const STILL_IMAGE_FORMAT = /^(image2|[a-z0-9]+_pipe)$/;
const PROBE_TIMEOUT_MS = 60_000;
/** Formats that are lists of other files or URLs: they would read beyond the file itself. */
const LIST_FORMATS = new Set(['hls', 'applehttp', 'dash', 'concat']);

const MIME_BY_FORMAT: Record<string, string> = {
  matroska: 'video/x-matroska',
  webm: 'video/webm',
  mov: 'video/mp4',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  gif: 'image/gif',
  png_pipe: 'image/png',
  jpeg_pipe: 'image/jpeg',
  webp_pipe: 'image/webp',
  bmp_pipe: 'image/bmp',
  avi: 'video/x-msvideo',
};

function num(value: string | number | undefined): number | null {
  if (value === undefined || value === 'N/A' || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function rate(value: string | undefined): number | null {
  if (!value) return null;
  const [a, b] = value.split('/');
  const n = num(a);
  const d = b === undefined ? 1 : num(b);
  if (n === null || d === null || d === 0 || n === 0) return null;
  return Math.round((n / d) * 1000) / 1000;
}

const round = (n: number | null, digits: number): number | null =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;
const kb = (bits: number | null): number | null => (bits === null ? null : Math.round(bits / 1000));

function rotation(stream: FfprobeStream): number {
  const fromSide = stream.side_data_list?.find((s) => typeof s.rotation === 'number')?.rotation;
  const value = fromSide ?? num(stream.tags?.rotate) ?? 0;
  return ((Math.round(value) % 360) + 360) % 360;
}

/** Maps ffprobe's JSON to the API's media fields. */
function mediaFromProbe(
  json: FfprobeOutput,
  path: string,
  sizeBytes: number | null,
): MediaFields | null {
  const streams = json.streams ?? [];
  const format = json.format ?? {};
  const formatName = format.format_name ?? '';
  const ext = extname(path).slice(1).toLowerCase();
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!video && !audio) return null;

  let fileType: MediaFields['file_type'];
  if (video) {
    const frames = num(video.nb_frames);
    const still =
      STILL_IMAGE_FORMAT.test(formatName) ||
      (formatName === 'gif' && frames !== null && frames <= 1) ||
      (formatName === 'webp' && !audio);
    fileType = still && !audio ? 'image' : 'video';
  } else {
    fileType = 'audio';
  }

  const names = formatName.split(',').filter(Boolean);
  const fileFormat = names.length === 0 ? null : names.includes(ext) ? ext : (names[0] ?? null);
  const main = fileType === 'audio' ? audio : video;
  const streamDurations = streams
    .map((s) => num(s.duration))
    .filter((d): d is number => d !== null);
  const duration =
    fileType === 'image'
      ? null
      : (num(format.duration) ?? (streamDurations.length ? Math.max(...streamDurations) : null));

  let width = video?.width ?? null;
  let height = video?.height ?? null;
  if (video && (rotation(video) === 90 || rotation(video) === 270))
    [width, height] = [height, width];

  let videoBits = num(video?.bit_rate);
  const audioBits = num(audio?.bit_rate);
  if (fileType === 'video' && videoBits === null) {
    // Matroska/WebM keep no per-stream bitrate: what the container has minus the audio.
    const total = num(format.bit_rate);
    if (total !== null) videoBits = Math.max(0, total - (audioBits ?? 0));
  }

  const size = sizeBytes ?? num(format.size);
  return {
    size_mbytes: size === null ? null : round(size / (1024 * 1024), 6),
    duration: round(duration, 3),
    file_type: fileType,
    file_format: fileFormat,
    codec: main?.codec_name ?? null,
    pixel_format: fileType === 'audio' ? null : (video?.pix_fmt ?? null),
    mime_type:
      mimeTypeForExtension(ext) ??
      MIME_BY_FORMAT[names[0] ?? ''] ??
      (fileType === 'audio' ? 'audio/octet-stream' : null),
    width: fileType === 'audio' ? null : width,
    height: fileType === 'audio' ? null : height,
    frame_rate:
      fileType === 'video' ? (rate(video?.avg_frame_rate) ?? rate(video?.r_frame_rate)) : null,
    bitrate_video_kb: fileType === 'video' ? kb(videoBits) : null,
    bitrate_audio_kb: kb(audioBits),
    sample_rate: num(audio?.sample_rate),
    channels: audio?.channels ?? null,
  };
}

/** ffprobe's complaint, without the server-side directory of the file. */
function reasonFrom(stderr: string, path: string, fallback: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  let last = lines[lines.length - 1] ?? fallback;
  // What ffprobe says when the format whitelist turns a playlist or file list away.
  if (/: Invalid argument$/.test(last))
    last +=
      ' (not a media file: playlists and file lists such as HLS, DASH or concat are not accepted)';
  return redact(last.split(path).join(basename(path)));
}

export function probeMedia(
  path: string,
  opts: { ffprobePath?: string; signal?: AbortSignal } = {},
): Promise<ProbeOutcome> {
  // A relative path is anchored with "./" so a name like "-x" or "a:b" is never read as an
  // option or a protocol.
  const target = isAbsolute(path) ? path : `./${path}`;
  // Nested opens stay on local files (probing never goes on the network), and the demuxers
  // that open the files a playlist or list names (hls, dash, concat, ...) are not allowed at
  // all, so probing an upload never reads another file.
  const args = [
    '-v',
    'error',
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    INPUT_FORMAT_WHITELIST,
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    target,
  ];
  return new Promise<ProbeOutcome>((resolvePromise) => {
    execFile(
      opts.ffprobePath ?? 'ffprobe',
      args,
      {
        maxBuffer: 16 * 1024 * 1024,
        timeout: PROBE_TIMEOUT_MS,
        signal: opts.signal,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        void (async () => {
          if (error) {
            // Plain words: the errno code of a failed start means nothing to a person.
            const why = opts.signal?.aborted
              ? 'probe aborted'
              : typeof error.code === 'string'
                ? 'ffprobe could not be started (missing, or not marked as a program)'
                : error.killed
                  ? `ffprobe did not finish within ${PROBE_TIMEOUT_MS / 1000} s`
                  : 'ffprobe could not make sense of it';
            resolvePromise({ ok: false, reason: reasonFrom(stderr, path, why) });
            return;
          }
          let json: FfprobeOutput;
          try {
            json = JSON.parse(stdout) as FfprobeOutput;
          } catch {
            resolvePromise({ ok: false, reason: 'ffprobe gave unreadable output' });
            return;
          }
          const size = await stat(path).then(
            (s) => s.size,
            () => null,
          );
          const demuxer = json.format?.format_name ?? '';
          if (LIST_FORMATS.has(demuxer)) {
            resolvePromise({
              ok: false,
              reason: `${demuxer} playlists and file lists are not accepted as media`,
            });
            return;
          }
          const media = mediaFromProbe(json, path, size);
          if (!media) resolvePromise({ ok: false, reason: 'no audio or video stream found' });
          else resolvePromise({ ok: true, media });
        })();
      },
    );
  });
}
