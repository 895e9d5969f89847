import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UnsafeCommandError } from '../../../../shared/ffmpeg/argumentRules';
import {
  PROBE_LIMIT_BYTES,
  RAW_WINDOW_BYTES,
  checkSubtitleFiles,
  findListMarker,
  verifySubtitleFilesUnchanged,
} from '../../../../engine/ffmpeg/subtitleFiles';
import { ffmpeg, makeVideo, tempDir } from '../../../support/media';

const SRT = '1\n00:00:00,000 --> 00:00:01,000\nHello, world.\n\n';
const HLS =
  '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n/home/user/private.mkv\n#EXT-X-ENDLIST\n';
const MPD =
  '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">' +
  '<Period><AdaptationSet><Representation id="1"><BaseURL>/home/user/private.mp4</BaseURL>' +
  '</Representation></AdaptationSet></Period></MPD>\n';

const bytes = (...parts: (string | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));

/** An ID3v2 header for a tag of `size` bytes (syncsafe size), then the tag itself. */
function id3(size: number, fill = 0, flags = 0): Buffer {
  const header = Buffer.from([
    0x49,
    0x44,
    0x33,
    3,
    0,
    flags,
    (size >> 21) & 0x7f,
    (size >> 14) & 0x7f,
    (size >> 7) & 0x7f,
    size & 0x7f,
  ]);
  return Buffer.concat([header, Buffer.alloc(size + (flags & 0x10 ? 10 : 0), fill)]);
}

describe('findListMarker: what ffmpeg would follow', () => {
  it.each([
    ['an HLS playlist', bytes(HLS), '#EXTM3U', 0],
    ['HLS after a UTF-8 BOM', bytes(Buffer.from([0xef, 0xbb, 0xbf]), HLS), '#EXTM3U', 3],
    ['HLS after white space', bytes('  \r\n\n', HLS), '#EXTM3U', 5],
    [
      'HLS in lower case, deep in the first 64 KiB',
      bytes(SRT.repeat(1000), HLS.toLowerCase()),
      '#EXTM3U',
      SRT.length * 1000,
    ],
    ['a DASH manifest', bytes('<?xml version="1.0"?>\n', MPD), '<MPD', 22],
    [
      'a DASH manifest with a namespace prefix',
      bytes('<d:MPD xmlns:d="urn:mpeg:dash:schema:mpd:2011">'),
      '<MPD',
      0,
    ],
    ['an ffconcat list', bytes("ffconcat version 1.0\nfile 'a.mp4'\n"), 'ffconcat version', 0],
    [
      'an IMF composition playlist',
      bytes('<?xml?><CompositionPlaylist xmlns="x"><ContentTitle/>'),
      'CompositionPlaylist',
      8,
    ],
    [
      'an SDP description',
      bytes('v=0\no=- 0 0 IN IP4 127.0.0.1\nc=IN IP4 127.0.0.1\n'),
      'c=IN IP',
      29,
    ],
  ])('finds %s', (_what, data, marker, offset) => {
    expect(findListMarker(data)).toMatchObject({ marker, offset });
  });

  it('finds a playlist behind an ID3v2 tag longer than the 64 KiB window (libavformat skips it)', () => {
    const found = findListMarker(bytes(id3(200_000), HLS));
    expect(found).toMatchObject({ format: 'an HLS playlist', offset: 200_010 });
    // A tag with a footer, and two tags in a row.
    expect(findListMarker(bytes(id3(100_000, 0, 0x10), HLS))?.offset).toBe(100_020);
    expect(findListMarker(bytes(id3(70_000), id3(70_000), HLS))?.offset).toBe(140_020);
  });

  it('finds a DASH manifest far into text (the probe grows while no demuxer is sure)', () => {
    // An XML comment keeps the manifest valid; the dash probe searches the whole buffer.
    const padded = bytes('<?xml version="1.0"?><!-- ', 'a'.repeat(1_000_000), ' -->', MPD);
    expect(findListMarker(padded)).toMatchObject({
      marker: '<MPD',
      offset: padded.indexOf('<MPD'),
    });
    expect(padded.indexOf('<MPD')).toBeGreaterThan(RAW_WINDOW_BYTES);
  });

  it('passes ordinary subtitles', () => {
    expect(findListMarker(bytes(SRT.repeat(200)))).toBeNull();
    expect(
      findListMarker(bytes('WEBVTT\n\n00:00.000 --> 00:01.000\n<b>M</b>PD #EXT\n')),
    ).toBeNull();
    const ass =
      '[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Text\n' +
      'Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,c=in the pipeline\n';
    expect(findListMarker(bytes(ass))).toBeNull();
    expect(findListMarker(Buffer.alloc(0))).toBeNull();
  });

  it('looks no further than a probe can: past a NUL beyond 64 KiB, or past 5 MiB of text', () => {
    // Binary data: the probes read the buffer as a C string, so they stop at the first NUL.
    const binary = bytes('\x1aE\xdf\xa3\0', 'x'.repeat(RAW_WINDOW_BYTES), HLS);
    expect(findListMarker(binary)).toBeNull();
    // Within the raw window, any marker counts, NUL or not.
    expect(findListMarker(bytes('\x1aE\xdf\xa3\0', HLS))?.offset).toBe(5);
    const long = bytes('a'.repeat(PROBE_LIMIT_BYTES), MPD);
    expect(findListMarker(long)).toBeNull();
  });

  it('reads a view into a larger buffer at its own offset', () => {
    const whole = bytes('x'.repeat(100), '\0', HLS);
    expect(findListMarker(whole.subarray(101))).toMatchObject({ offset: 0 });
    expect(findListMarker(new Uint8Array(whole.buffer, whole.byteOffset, 100))).toBeNull();
  });

  it('passes real media with subtitle streams', async () => {
    const dir = await tempDir();
    try {
      const srt = join(dir.path, 's.srt');
      await writeFile(srt, SRT);
      const video = await makeVideo(dir.path, 'v.mp4', { seconds: 1, audio: false });
      const mkv = join(dir.path, 'v.mkv');
      await ffmpeg(['-i', video, '-i', srt, '-c:v', 'copy', '-c:s', 'srt', mkv]);
      expect(findListMarker(await readFile(mkv))).toBeNull();
      expect(findListMarker(await readFile(video))).toBeNull();
    } finally {
      await dir.cleanup();
    }
  });
});

/**
 * The same kinds of file given to the real ffmpeg's subtitles filter: whenever its probe picks
 * a demuxer that follows a list, the check refuses the file (and the samples are real: ffmpeg
 * does pick hls, dash, concat or sdp for them).
 */
describe('findListMarker agrees with the real ffmpeg probe', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('renderio-probe-');
  });
  afterAll(() => dir.cleanup());

  /** The demuxer libavformat picks when the subtitles filter opens `data` as `name`. */
  async function probedBySubtitles(name: string, data: Buffer): Promise<string | null> {
    await writeFile(join(dir.path, name), data);
    const args = ['-hide_banner', '-nostdin', '-v', 'debug', '-f', 'lavfi', '-i'];
    args.push('testsrc2=size=320x240:duration=0.04', '-vf', `subtitles=${name}`);
    args.push('-frames:v', '1', '-f', 'null', '-');
    const stderr = await promisify(execFile)('ffmpeg', args, { cwd: dir.path }).then(
      (r) => r.stderr,
      (e: { stderr: string }) => e.stderr,
    );
    return /Format (\w+) probed with size=/.exec(stderr)?.[1] ?? null;
  }

  const LIST_DEMUXERS = new Set(['hls', 'dash', 'concat', 'sdp', 'imf']);
  it.each([
    ['hls.srt', bytes(HLS), 'hls'],
    ['id3.srt', bytes(id3(200_000), HLS), 'hls'],
    ['dash.srt', bytes('<?xml version="1.0"?>\n', MPD), 'dash'],
    ['deep.srt', bytes('<?xml version="1.0"?><!-- ', 'a'.repeat(200_000), ' -->', MPD), 'dash'],
    ['concat.srt', bytes("ffconcat version 1.0\nfile 'a.mp4'\n"), 'concat'],
    ['sdp.srt', bytes('v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\n'), 'sdp'],
    ['plain.srt', bytes(SRT), 'srt'],
  ])('%s', async (name, data, expected) => {
    const probed = await probedBySubtitles(name, data);
    expect(probed).toBe(expected);
    expect(findListMarker(data) !== null).toBe(LIST_DEMUXERS.has(expected));
  });
});

describe('checkSubtitleFiles / verifySubtitleFilesUnchanged', () => {
  let root: { path: string; cleanup(): Promise<void> };
  let work: string;
  beforeAll(async () => {
    root = await tempDir('renderio-subs-');
    work = join(root.path, 'work');
    await mkdir(join(work, 'inputs'), { recursive: true });
    await writeFile(join(work, 'subs.srt'), SRT);
    await writeFile(join(work, 'inputs', 'in_subs.srt'), SRT);
    await writeFile(join(work, 'list.srt'), HLS);
    await writeFile(join(work, 'hidden.srt'), bytes(id3(100_000), HLS));
    await writeFile(join(work, 'list.m3u8'), SRT);
    await writeFile(join(work, 'noext'), SRT);
    await mkdir(join(work, 'dir.srt'));
    await writeFile(join(root.path, 'outside.srt'), SRT);
  });
  afterAll(() => root.cleanup());

  const use = (path: string, filter = 'subtitles') => ({ filter, path });
  const refusal = async (path: string, filter = 'subtitles'): Promise<string> => {
    try {
      await checkSubtitleFiles(work, [use(path, filter)]);
    } catch (error) {
      expect(error).toBeInstanceOf(UnsafeCommandError);
      return (error as Error).message;
    }
    throw new Error(`expected ${path} to be refused`);
  };

  it('accepts ordinary subtitle files in the work dir, once each', async () => {
    const checked = await checkSubtitleFiles(work, [
      use('subs.srt'),
      use('./inputs/in_subs.srt', 'ass'),
      use(join(work, 'subs.srt')),
    ]);
    expect(checked.map((c) => c.shown)).toEqual(['subs.srt', join('inputs', 'in_subs.srt')]);
    await expect(verifySubtitleFilesUnchanged(checked)).resolves.toBeUndefined();
    await expect(checkSubtitleFiles(work, [])).resolves.toEqual([]);
  });

  it.each([
    ['list.srt', 'holds an HLS playlist ("#EXTM3U" at byte 0)'],
    ['hidden.srt', 'holds an HLS playlist ("#EXTM3U" at byte 100010)'],
    ['list.m3u8', 'not ".m3u8"'],
    ['noext', 'not a file without an extension'],
    ['missing.srt', 'is not there when the step starts'],
    ['dir.srt', 'is not a regular file'],
    ['../outside.srt', "not inside the command's folder"],
  ])('refuses %s', async (path, why) => {
    const message = await refusal(path);
    expect(message).toContain(why);
    if (!path.startsWith('..')) expect(message).toContain('of the "subtitles" filter');
  });

  it('refuses for the ass filter too, naming it', async () => {
    expect(await refusal('list.srt', 'ass')).toContain('of the "ass" filter holds an HLS playlist');
  });

  it('notices a file the step rewrote, replaced or deleted', async () => {
    const path = join(work, 'changing.srt');
    const check = async () => {
      await writeFile(path, SRT);
      return checkSubtitleFiles(work, [use('changing.srt')]);
    };
    // Other bytes.
    let checked = await check();
    await writeFile(path, SRT.replace('Hello', 'Howdy'));
    await expect(verifySubtitleFilesUnchanged(checked)).rejects.toThrow(
      /"changing\.srt" of the "subtitles" filter changed while the step ran/,
    );
    // The same bytes in a new file renamed over it (as muxers with temp files do).
    checked = await check();
    await writeFile(`${path}.tmp`, SRT);
    await rename(`${path}.tmp`, path);
    await expect(verifySubtitleFilesUnchanged(checked)).rejects.toThrow(/changed/);
    // Gone.
    checked = await check();
    await rm(path);
    await expect(verifySubtitleFilesUnchanged(checked)).rejects.toThrow(/changed/);
  });
});
