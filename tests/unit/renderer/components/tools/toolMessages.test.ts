import { describe, expect, it } from 'vitest';
import {
  ffmpegChoiceMessage,
  importReportMessage,
} from '../../../../../renderer/src/components/tools/toolMessages';

const refused = (name: string) => ({ name, reason: 'The id "tiny" appears twice in the file.' });

describe('importReportMessage', () => {
  it('is a success only when every preset was imported', () => {
    expect(importReportMessage({ imported: [1, 2], rejected: [] })).toEqual({
      kind: 'ok',
      text: '2 presets imported.',
    });
  });

  it('is a caveat, not a success, when some were refused', () => {
    expect(
      importReportMessage({ imported: [1], rejected: [refused('Twin'), refused('Two')] }),
    ).toEqual({
      kind: 'warn',
      text: [
        '1 preset imported. 2 presets could not be imported:',
        '"Twin" was not imported. The id "tiny" appears twice in the file.',
        '"Two" was not imported. The id "tiny" appears twice in the file.',
      ].join('\n'),
    });
  });

  it('is a refusal when none was imported, and a caveat when the file held none', () => {
    expect(importReportMessage({ imported: [], rejected: [refused('Twin')] }).kind).toBe('error');
    expect(importReportMessage({ imported: [], rejected: [] })).toEqual({
      kind: 'warn',
      text: '0 presets imported.',
    });
  });
});

describe('ffmpegChoiceMessage', () => {
  const presets = [
    { id: 'webm-vp9', name: 'WebM (VP9 + Opus)' },
    { id: 'mp4-h264', name: 'MP4 for the web (H.264 + AAC)' },
    { id: 'mp4-720p', name: '720p MP4' },
    { id: 'mp4-av1', name: 'MP4 (AV1, SVT-AV1)' },
  ];
  const said = 'This computer now converts with ffmpeg 5.1 from /opt/ff.';

  it('is a success when the ffmpeg runs every preset', () => {
    expect(
      ffmpegChoiceMessage(
        said,
        { summary: 'ffmpeg 5.1 (chosen)', unavailablePresets: {} },
        presets,
      ),
    ).toEqual({ kind: 'ok', text: said });
  });

  it('names the presets left to RenderIO, by reason and in the picker order, as a caveat', () => {
    const message = ffmpegChoiceMessage(
      `${said} 3 presets run on RenderIO only with it.`,
      {
        summary: 'ffmpeg 5.1 (chosen)',
        unavailablePresets: {
          'mp4-720p': 'this ffmpeg has no H.264 encoder (libx264)',
          'mp4-av1': 'this ffmpeg has no SVT-AV1 encoder (libsvtav1)',
          'mp4-h264': 'this ffmpeg has no H.264 encoder (libx264)',
        },
      },
      presets,
    );
    expect(message).toEqual({
      kind: 'warn',
      text: [
        `${said} 3 presets run on RenderIO only with it.`,
        'This ffmpeg has no H.264 encoder (libx264), so MP4 for the web (H.264 + AAC) and 720p MP4 run on RenderIO only.',
        'This ffmpeg has no SVT-AV1 encoder (libsvtav1), so MP4 (AV1, SVT-AV1) runs on RenderIO only.',
      ].join('\n'),
    });
  });

  it('names a preset the window does not list by its id', () => {
    const message = ffmpegChoiceMessage(
      said,
      {
        summary: 'ffmpeg 5.1 (PATH)',
        unavailablePresets: { other: 'this ffmpeg has no gif filter' },
      },
      presets,
    );
    expect(message.text).toContain('so other runs on RenderIO only.');
  });

  it('is a caveat when no ffmpeg was found at all', () => {
    expect(
      ffmpegChoiceMessage(
        'No ffmpeg was found automatically.',
        { summary: null, unavailablePresets: {} },
        presets,
      ),
    ).toEqual({ kind: 'warn', text: 'No ffmpeg was found automatically.' });
  });
});
