/**
 * What a command needs, read from its arguments; and, for every built-in preset, a check that
 * the needs cover every encoder its template names and the muxer of its output extension.
 */
import { describe, expect, it } from 'vitest';
import { needsOfArgs, presetNeeds } from '../../../../../shared/node/ffmpeg';
import { BUILT_IN_PRESETS, findPreset } from '../../../../../shared/presets';

describe('needsOfArgs', () => {
  it('encoders of every -c spelling, "copy" needing none', () => {
    const needs = needsOfArgs([
      '-i',
      'in.mov',
      '-c:v',
      'libx264',
      '-vcodec',
      'libx264',
      '-c:a:0',
      'aac',
      '-acodec',
      'libopus',
      '-c:s',
      'copy',
      'out.mkv',
    ]);
    expect(needs.encoders).toEqual(['aac', 'libopus', 'libx264']);
    expect(needs.muxers).toEqual(['matroska']);
  });

  it('-f names the muxer of an output, but is a demuxer before -i', () => {
    const needs = needsOfArgs(['-f', 'lavfi', '-i', 'testsrc', '-f', 'mp4', 'out.bin']);
    expect(needs.muxers).toEqual(['mp4']);
  });

  it("image outputs without -c:v need the muxer's default encoder; -vn or -c:v change that", () => {
    expect(needsOfArgs(['-i', 'a.mp4', 'shot.jpg']).encoders).toEqual(['mjpeg']);
    expect(needsOfArgs(['-i', 'a.mp4', '-c:v', 'png', 'shot.png']).encoders).toEqual(['png']);
    expect(needsOfArgs(['-i', 'a.mp4', '-frames:v', '1', 'anim.gif']).encoders).toEqual(['gif']);
  });

  it('each output gets its own options (two outputs)', () => {
    const needs = needsOfArgs([
      '-i',
      'in.mp4',
      '-c:v',
      'libvpx-vp9',
      'a.webm',
      '-c:a',
      'libmp3lame',
      '-vn',
      'b.mp3',
    ]);
    expect(needs.encoders).toEqual(['libmp3lame', 'libvpx-vp9']);
    expect(needs.muxers).toEqual(['mp3', 'webm']);
  });

  it('filters of -vf, -af and -filter_complex, and the options they set by name', () => {
    const needs = needsOfArgs([
      '-i',
      'in.mp4',
      '-vf',
      "scale=w='min(iw,1280)':h=-2:force_divisible_by=2,format=yuv420p",
      '-af',
      'volume=0.5',
      '-filter_complex',
      '[0:v]split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse',
      'out.gif',
    ]);
    expect(needs.filters).toEqual([
      'format',
      'palettegen',
      'paletteuse',
      'scale',
      'split',
      'volume',
    ]);
    expect(needs.filterOptions).toEqual([
      { filter: 'scale', option: 'w' },
      { filter: 'scale', option: 'h' },
      { filter: 'scale', option: 'force_divisible_by' },
      { filter: 'palettegen', option: 'stats_mode' },
    ]);
  });

  it('flags that take no value do not swallow the output name', () => {
    expect(needsOfArgs(['-i', 'in.wav', '-vn', '-y', 'out.flac'])).toMatchObject({
      muxers: ['flac'],
    });
  });
});

describe("presetNeeds against each built-in preset's template", () => {
  it.each(BUILT_IN_PRESETS.map((p) => [p.id, p] as const))('%s', (_id, preset) => {
    const needs = presetNeeds(preset);
    expect(needs).not.toBeNull();
    const template = preset.ffmpegCommand ?? '';
    const named = [...template.matchAll(/-(?:c|codec)(?::[vas])?\s+([^\s"']+)/g)]
      .map((m) => m[1]!)
      .filter((codec) => codec !== 'copy');
    for (const encoder of named) expect(needs!.encoders).toContain(encoder);
    const extension = preset.outputs[0]!.extension;
    const muxer = {
      mp4: 'mp4',
      webm: 'webm',
      mkv: 'matroska',
      mka: 'matroska',
      gif: 'gif',
      jpg: 'image2',
      png: 'image2',
      webp: 'webp',
      mp3: 'mp3',
      m4a: 'ipod',
      opus: 'opus',
      wav: 'wav',
      flac: 'flac',
    }[extension];
    expect(needs!.muxers).toEqual([muxer]);
    // Copying presets re-encode nothing; the others name at least one encoder.
    if (/-c(:a)? copy/.test(template)) expect(needs!.encoders).toEqual([]);
    else expect(needs!.encoders.length).toBeGreaterThan(0);
  });

  it("mp4-720p needs scale's force_divisible_by (the option ffmpeg 4.2 and older lack)", () => {
    expect(presetNeeds(findPreset('mp4-720p')!)!.filterOptions).toContainEqual({
      filter: 'scale',
      option: 'force_divisible_by',
    });
  });

  it('a chained preset: every step counts', () => {
    const needs = presetNeeds({
      ffmpegCommands: [
        '-i {{in_file}} -c:v libx264 {{out_mid}}',
        '-i {{out_mid}} -c:v libvpx-vp9 {{out_file}}',
      ],
      outputs: [
        { alias: 'out_mid', extension: 'mp4' },
        { alias: 'out_file', extension: 'webm' },
      ],
    });
    expect(needs).toMatchObject({ encoders: ['libvpx-vp9', 'libx264'], muxers: ['mp4', 'webm'] });
  });

  it('null for a command the engine would refuse (its own check says why)', () => {
    expect(
      presetNeeds({ ffmpegCommand: '-i {{in_file}} {{out_file}}; rm -rf /', outputs: [] }),
    ).toBeNull();
  });
});
