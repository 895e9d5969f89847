import { describe, expect, it } from 'vitest';
import { validateCommandTemplate } from '../../../../shared/commandTemplate';
import {
  BUILT_IN_PRESETS,
  findPreset,
  presetOutputFiles,
  presetToCommandRequest,
  safeOutputBaseName,
} from '../../../../shared/presets';
import type { Preset } from '../../../../shared/presetTypes';

describe('presetToCommandRequest', () => {
  it('builds a valid run-ffmpeg-command request for every built-in preset', () => {
    for (const preset of BUILT_IN_PRESETS) {
      const request = presetToCommandRequest(preset, 'https://renderio.dev/s/abc', 'holiday');
      expect(validateCommandTemplate(request), preset.id).toEqual([]);
      expect(request.input_files).toEqual({ in_file: 'https://renderio.dev/s/abc' });
      expect(Object.values(request.output_files)).toEqual(
        preset.outputs.map((o) => `holiday.${o.extension}`),
      );
    }
  });

  it('builds the WebM request exactly', () => {
    const webm = findPreset('webm-vp9');
    if (!webm) throw new Error('missing');
    expect(presetToCommandRequest(webm, 'https://x/in', 'clip')).toEqual({
      input_files: { in_file: 'https://x/in' },
      output_files: { out_file: 'clip.webm' },
      ffmpeg_command: webm.ffmpegCommand,
    });
  });

  it('builds a chained request with suffixed outputs', () => {
    const chained: Preset = {
      id: 'custom-c',
      name: 'c',
      description: '',
      category: 'video',
      accepts: ['video'],
      ffmpegCommands: ['-i {{in_file}} a.mp4', '-i a.mp4 {{out_file}} {{out_thumb}}'],
      outputs: [
        { alias: 'out_file', extension: 'mp4' },
        { alias: 'out_thumb', extension: 'jpg', suffix: '-thumb' },
      ],
      source: 'custom',
    };
    const request = presetToCommandRequest(chained, 'https://x/in', 'a b');
    expect(request).toEqual({
      input_files: { in_file: 'https://x/in' },
      output_files: { out_file: 'a b.mp4', out_thumb: 'a b-thumb.jpg' },
      ffmpeg_commands: chained.ffmpegCommands,
    });
  });

  it("passes an account preset's input under its own key", () => {
    const account: Preset = {
      id: 'account-2',
      name: 'Remote',
      description: '',
      category: 'video',
      accepts: ['video'],
      ffmpegCommand: '-i {{in_video}} {{out_file}}',
      outputs: [{ alias: 'out_file', extension: 'mp4' }],
      source: 'account',
      remotePresetId: '2',
      remoteInputKey: 'in_video',
    };
    const request = presetToCommandRequest(account, 'https://x/in', 'clip');
    expect(request.input_files).toEqual({ in_video: 'https://x/in' });
    expect(validateCommandTemplate(request)).toEqual([]);
  });

  it('refuses an account preset that has no command text', () => {
    const account: Preset = {
      id: 'account-1',
      name: 'Remote',
      description: '',
      category: 'video',
      accepts: ['video'],
      outputs: [{ alias: 'out_file', extension: 'mp4' }],
      source: 'account',
      remotePresetId: '1',
    };
    expect(() => presetToCommandRequest(account, 'u', 'b')).toThrow('execute');
  });
});

describe('safeOutputBaseName', () => {
  it.each([
    ['holiday', 'holiday'],
    ['../../etc/passwd', 'etc_passwd'],
    ['a/b\\c', 'a_b_c'],
    ['-rf', 'rf'],
    ['...', 'output'],
    ['', 'output'],
    ['bad:name?*', 'bad_name__'],
    ['tab\tname', 'tab_name'],
    ['Größe.v2', 'Größe.v2'],
  ])('%j → %j', (input, expected) => {
    expect(safeOutputBaseName(input)).toBe(expected);
  });

  it('keeps names short enough and always valid for the API', () => {
    const long = safeOutputBaseName('x'.repeat(500));
    expect(long.length).toBeLessThanOrEqual(150);
    const mp3 = findPreset('mp3');
    if (!mp3) throw new Error('missing');
    for (const name of ['..', '-', ' . ', 'a..b', '\u0000x']) {
      const files = presetOutputFiles(mp3, name);
      expect(
        validateCommandTemplate({
          input_files: { in_file: 'u' },
          output_files: files,
          ffmpeg_command: mp3.ffmpegCommand,
        }),
      ).toEqual([]);
    }
  });
});
