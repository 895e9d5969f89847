/** Reading ffmpeg's answers: version lines of the builds people have, and the list layouts. */
import { describe, expect, it } from 'vitest';
import {
  parseEncoders,
  parseFilterOptions,
  parseFilters,
  parseLicense,
  parseMuxers,
  parseVersion,
} from '../../../../../shared/node/ffmpeg/parseToolOutput';

describe('parseVersion', () => {
  it.each([
    ['ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024', '5.1.6-0+deb12u1', 5, 1],
    ['ffmpeg version n7.1 Copyright (c) 2000-2024 the FFmpeg developers', 'n7.1', 7, 1],
    [
      'ffmpeg version 7.0.2-essentials_build-www.gyan.dev Copyright',
      '7.0.2-essentials_build-www.gyan.dev',
      7,
      0,
    ],
    ['ffmpeg version 6.1.1-static https://johnvansickle.com/ffmpeg/', '6.1.1-static', 6, 1],
    [
      'ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/',
      'N-47683-g0e8eb07980-static',
      null,
      null,
    ],
    [
      'ffmpeg version 2023-10-01-git-abc-full_build-www.gyan.dev',
      '2023-10-01-git-abc-full_build-www.gyan.dev',
      null,
      null,
    ],
  ])('%s', (line, text, major, minor) => {
    expect(parseVersion(`${line}\nbuilt with gcc 12\n`)).toEqual({ text, major, minor });
  });

  it("null when the first words are not ffmpeg's", () => {
    expect(parseVersion('ls (GNU coreutils) 9.1')).toBeNull();
    expect(parseVersion('ffprobe version 6.1 Copyright')).toBeNull();
    expect(parseVersion('ffprobe version 6.1 Copyright', 'ffprobe')).toMatchObject({ major: 6 });
  });
});

describe('parseLicense', () => {
  it.each([
    ['configuration: --prefix=/usr --enable-gpl --enable-libx264', 'GPL'],
    ['configuration: --enable-gpl --enable-nonfree --enable-libfdk-aac', 'nonfree'],
    ['configuration: --disable-gpl --enable-libdav1d', 'LGPL'],
  ])('%s → %s', (line, license) => {
    expect(parseLicense(`ffmpeg version 6.1\n  ${line}\n`)).toBe(license);
  });
});

describe('the lists', () => {
  it('encoders, with the codec names -c accepts, legend skipped', () => {
    const text = [
      'Encoders:',
      ' V..... = Video',
      ' A..... = Audio',
      ' ------',
      ' V....D libx264              libx264 H.264 / AVC (codec h264)',
      ' V..X.. libaom-av1           libaom AV1 (codec av1)',
      ' A....D aac                  AAC (Advanced Audio Coding)',
      ' S..... srt                  SubRip subtitle (codec subrip)',
    ].join('\n');
    expect(parseEncoders(text)).toEqual([
      'aac',
      'av1',
      'h264',
      'libaom-av1',
      'libx264',
      'srt',
      'subrip',
    ]);
  });

  it('muxers only (demuxer-only lines left out), in 4.x and 7.x layouts', () => {
    const text = [
      'File formats:',
      ' D. = Demuxing supported',
      ' .E = Muxing supported',
      ' --',
      '  E 3g2             3GP2 (3GPP2 file format)',
      ' D  aa              Audible AA format files',
      ' DE matroska,webm   Matroska / WebM',
      '  E mp4             MP4 (MPEG-4 Part 14)',
      '  E ipod            iPod H.264 MP4 (MPEG-4 Part 14)',
    ].join('\n');
    expect(parseMuxers(text)).toEqual(['3g2', 'ipod', 'matroska', 'mp4', 'webm']);
  });

  it('filters, source filters too, without the legend', () => {
    const text = [
      'Filters:',
      '  T.. = Timeline support',
      '  | = Source or sink filter',
      ' ... abench            A->A       Benchmark part of a filtergraph.',
      ' T.C scale             V->V       Scale the input video size.',
      ' ... color             |->V       Provide an uniformly colored input.',
      ' ... split             V->N       Pass on the input to N video outputs.',
    ].join('\n');
    expect(parseFilters(text)).toEqual(['abench', 'color', 'scale', 'split']);
  });

  it('filter options, with 4.x (two spaces) and 5.x (three spaces) indents', () => {
    const text = [
      'Filter scale',
      'scale AVOptions:',
      '  w                 <string>     ..FV..... Output video width',
      '   force_divisible_by <int>        ..FV....... enforce that the output resolution is divisible',
      '   in_color_matrix   <string>     ..FV....... set input YCbCr type (default "auto")',
      '     auto                         ..FV.......',
    ].join('\n');
    expect(parseFilterOptions(text)).toEqual(['force_divisible_by', 'in_color_matrix', 'w']);
  });
});
