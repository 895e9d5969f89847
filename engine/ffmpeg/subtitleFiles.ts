/**
 * The file a `subtitles` (or `ass`) filter names is opened by the filter itself, with
 * libavformat's own probing and no demuxer whitelist: the `-format_whitelist` the engine gives
 * every `-i` does not reach it. A work-dir file whose bytes are an HLS playlist (written by an
 * earlier chained step with `-f u8`, or downloaded under a `.srt` name) would be probed as HLS
 * and ffmpeg would read the local files the playlist names, and burn their subtitles into the
 * output. So before each step the engine reads every such file and refuses the step if the
 * bytes look like a list a demuxer would follow, and after the step it makes sure the step did
 * not change the file while running (a step cannot rewrite the file it reads).
 *
 * What libavformat 5.1 probes, and so what is looked for:
 * - hls: `#EXTM3U` at the start of the probe buffer plus `#EXT-X-TARGETDURATION:` (or
 *   `-STREAM-INF:`, `-MEDIA-SEQUENCE:`) anywhere in it; dash: `<MPD` anywhere (any case);
 *   concat: `ffconcat version 1.0` at the start; imf: `<CompositionPlaylist` anywhere (not
 *   probed in 5.1, where imf is experimental, but it may be elsewhere); sdp: a line `c=IN IP`
 *   (its RTP opens are stopped by the nested protocol whitelist, refused anyway).
 * - The probe buffer starts after an ID3v2 tag if the file has one, grows up to the probesize
 *   (5,000,000 bytes) while no demuxer is sure, and the probes read it as a C string, so up to
 *   the first NUL byte: a `<MPD` 200 KB into a text file is found.
 * The rule is broader than that: a marker (any case) anywhere in the first 64 KiB, or anywhere
 * in the NUL-free text that starts the file or follows its ID3v2 tags, within 5 MiB.
 */
import { createHash } from 'node:crypto';
import { lstat, open } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import {
  UnsafeCommandError,
  describeSubtitleFileNameProblem,
  type SubtitleFileUse,
} from '../../shared/ffmpeg/argumentRules';

/** Markers are looked for anywhere in this first part of the file, whatever the bytes. */
export const RAW_WINDOW_BYTES = 64 * 1024;
/** More than libavformat's default probesize (5,000,000): it never looks further. */
export const PROBE_LIMIT_BYTES = 5 * 1024 * 1024;

const MARKERS: { format: string; marker: string; pattern: RegExp }[] = [
  { format: 'an HLS playlist', marker: '#EXTM3U', pattern: /#EXTM3U/i },
  // libxml2 gives the dash demuxer the local name, so `<x:MPD` is a manifest too.
  { format: 'a DASH manifest', marker: '<MPD', pattern: /<(?:[\w.-]+:)?MPD/i },
  { format: 'an ffconcat list', marker: 'ffconcat version', pattern: /ffconcat\s+version/i },
  {
    format: 'an IMF composition playlist',
    marker: 'CompositionPlaylist',
    pattern: /CompositionPlaylist/i,
  },
  { format: 'an SDP description', marker: 'c=IN IP', pattern: /(?:^|[\r\n])[ \t]*c=IN\s+IP/i },
];

export interface ListMarker {
  /** What the file looks like, for messages: "an HLS playlist". */
  format: string;
  marker: string;
  /** Byte offset of the marker in the bytes given. */
  offset: number;
}

/** ff_id3v2_match: `ID3`, version bytes not 0xff, a 28-bit size with the high bits clear. */
function id3v2LengthAt(bytes: Uint8Array, at: number): number | null {
  if (bytes.length < at + 10) return null;
  const b = (i: number) => bytes[at + i] as number;
  if (b(0) !== 0x49 || b(1) !== 0x44 || b(2) !== 0x33 || b(3) === 0xff || b(4) === 0xff)
    return null;
  if ((b(6) | b(7) | b(8) | b(9)) & 0x80) return null;
  const size = (b(6) << 21) | (b(7) << 14) | (b(8) << 7) | b(9);
  // ff_id3v2_tag_len: the header, the tag, and a footer when flag 0x10 says there is one.
  return 10 + size + (b(5) & 0x10 ? 10 : 0);
}

/**
 * Whether `bytes` (the start of a file) hold something a demuxer would follow to other files:
 * an HLS playlist, a DASH manifest, an ffconcat list, an IMF composition playlist or an SDP
 * description. Returns the first marker found, or null.
 */
export function findListMarker(bytes: Uint8Array): ListMarker | null {
  const limit = Math.min(bytes.length, PROBE_LIMIT_BYTES);
  // [start, end) ranges: the raw window, then the text runs a probe would read as a C string.
  const ranges: [number, number][] = [[0, Math.min(limit, RAW_WINDOW_BYTES)]];
  const starts = [0];
  // libavformat skips one ID3v2 tag before probing; any number are skipped here.
  for (let at = 0, n = 0; n < 64; n++) {
    const length = id3v2LengthAt(bytes, at);
    if (length === null) break;
    at += length;
    if (at >= limit) break;
    starts.push(at);
  }
  for (const start of starts) {
    const nul = bytes.subarray(start, limit).indexOf(0);
    ranges.push([start, nul < 0 ? limit : start + nul]);
  }
  for (const [start, end] of ranges) {
    if (end <= start) continue;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString(
      'latin1',
    );
    for (const m of MARKERS) {
      const found = m.pattern.exec(text);
      if (found) {
        // The SDP pattern may start on the line break before the marker.
        const lead = /^[\r\n]?[ \t]*/.exec(found[0])?.[0].length ?? 0;
        return { format: m.format, marker: m.marker, offset: start + found.index + lead };
      }
    }
  }
  return null;
}

/** A subtitles file as it was checked before its step, to compare after the step. */
export interface CheckedSubtitleFile {
  use: SubtitleFileUse;
  /** The path relative to the work dir, for messages. */
  shown: string;
  absolute: string;
  fingerprint: string;
}

type FileState =
  { kind: 'missing' } | { kind: 'other' } | { kind: 'file'; fingerprint: string; head: Buffer };

/** Identity, size, times and a hash of the part a probe can see. */
async function readState(absolute: string): Promise<FileState> {
  const info = await lstat(absolute, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw error;
  });
  if (info === null) return { kind: 'missing' };
  if (!info.isFile()) return { kind: 'other' };
  const handle = await open(absolute, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(Number(info.size), PROBE_LIMIT_BYTES));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    head = buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
  const hash = createHash('sha256').update(head).digest('hex');
  const fingerprint = [info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs, hash].join(':');
  return { kind: 'file', fingerprint, head };
}

function refuse(message: string): never {
  throw new UnsafeCommandError(message);
}

/**
 * Checks the files a step's `subtitles`/`ass` filters open, right before the step runs: each
 * must be a regular file inside `cwd` with a subtitle or video extension, already there (a
 * step cannot read a file it writes itself), and not look like a playlist or list. Throws
 * UnsafeCommandError; returns what verifySubtitleFilesUnchanged compares after the step.
 */
export async function checkSubtitleFiles(
  cwd: string,
  uses: readonly SubtitleFileUse[],
): Promise<CheckedSubtitleFile[]> {
  const checked: CheckedSubtitleFile[] = [];
  const seen = new Set<string>();
  for (const use of uses) {
    const absolute = resolve(cwd, use.path);
    const shown = relative(cwd, absolute);
    const what = `the file ${JSON.stringify(shown)} of the "${use.filter}" filter`;
    if (shown === '' || shown === '..' || shown.startsWith(`..${sep}`) || isAbsolute(shown))
      refuse(`the file of the "${use.filter}" filter is not inside the command's folder`);
    const nameProblem = describeSubtitleFileNameProblem(shown);
    if (nameProblem) refuse(`${what} ${nameProblem}`);
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    const state = await readState(absolute);
    if (state.kind === 'missing')
      refuse(
        `${what} is not there when the step starts; it must be an input or the output of an earlier step`,
      );
    if (state.kind === 'other') refuse(`${what} is not a regular file`);
    const found = findListMarker(state.head);
    if (found)
      refuse(
        `${what} holds ${found.format} ("${found.marker}" at byte ${found.offset}), not subtitles; ` +
          'the filter would open the files it lists',
      );
    checked.push({ use, shown, absolute, fingerprint: state.fingerprint });
  }
  return checked;
}

/**
 * After the step: each checked file must be exactly as it was (same file, size, times and
 * bytes). ffmpeg may open a subtitles file again mid-run (a filter graph is rebuilt when the
 * input's frame size changes), so a step that rewrote the file could have had it read as a
 * playlist; its outputs are not kept.
 */
export async function verifySubtitleFilesUnchanged(
  checked: readonly CheckedSubtitleFile[],
): Promise<void> {
  for (const file of checked) {
    const now = await readState(file.absolute);
    if (now.kind !== 'file' || now.fingerprint !== file.fingerprint)
      refuse(
        `the file ${JSON.stringify(file.shown)} of the "${file.use.filter}" filter changed while the step ran; ` +
          'a step may not write the subtitles file it reads',
      );
  }
}
