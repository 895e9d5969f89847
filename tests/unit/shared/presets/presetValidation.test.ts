import { describe, expect, it } from 'vitest';
import { UnsafeCommandError, prepareFfmpegArgs } from '../../../../shared/ffmpeg/argumentRules';
import { describePresetIssue, printableText } from '../../../../shared/presets/presetValidation';
import {
  BUILT_IN_PRESETS,
  PresetImportError,
  exportPresets,
  findPreset,
  importPresets,
  presetProblems,
  validatePreset,
} from '../../../../shared/presets';
import type { Preset } from '../../../../shared/presetTypes';

const custom: Preset = {
  id: 'custom-1',
  name: 'Half size',
  description: 'Half the width',
  category: 'video',
  accepts: ['video'],
  ffmpegCommand: '-i {{in_file}} -vf scale=iw/2:-2 {{out_file}}',
  outputs: [{ alias: 'out_file', extension: 'mp4' }],
  source: 'custom',
};

/** The engine's own safety rules, passed in the way the app does. */
const engineRules = (command: string): string | null => {
  try {
    prepareFfmpegArgs(command, (alias) => `${alias}.x`);
    return null;
  } catch (error) {
    if (error instanceof UnsafeCommandError) return error.message;
    throw error;
  }
};

const messages = (p: unknown) => presetProblems(p).join('\n');

describe('validatePreset', () => {
  it('accepts every built-in preset, also under the engine rules', () => {
    for (const preset of BUILT_IN_PRESETS) {
      expect(validatePreset(preset, { checkCommand: engineRules }), preset.id).toEqual({
        ok: true,
        preset,
      });
    }
  });

  it('accepts a valid custom preset and drops unknown fields', () => {
    const result = validatePreset({ ...custom, extra: 'x' });
    expect(result).toEqual({ ok: true, preset: custom });
  });

  it('accepts a chained preset', () => {
    const chained = {
      ...custom,
      ffmpegCommand: undefined,
      ffmpegCommands: ['-i {{in_file}} -vf scale=320:-2 step.mp4', '-i step.mp4 {{out_file}}'],
    };
    const result = validatePreset(chained);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.preset.ffmpegCommands).toHaveLength(2);
  });

  it.each([
    [null, 'must be an object'],
    [{ ...custom, id: '../x' }, 'id must be'],
    [{ ...custom, name: ' ' }, 'needs a name'],
    [{ ...custom, category: 'movie' }, 'category must be'],
    [{ ...custom, accepts: [] }, 'must list at least one of video, audio, image'],
    [{ ...custom, accepts: ['video', 'video'] }, 'twice'],
    [{ ...custom, outputs: [] }, 'at least one output'],
    [{ ...custom, outputs: [{ alias: 'file', extension: 'mp4' }] }, 'alias must start with "out_"'],
    [{ ...custom, outputs: [{ alias: 'out_file', extension: '.mp4' }] }, 'extension must be'],
    [
      { ...custom, outputs: [{ alias: 'out_file', extension: 'mp4', suffix: '/x' }] },
      'suffix may contain',
    ],
    [
      {
        ...custom,
        ffmpegCommand: '-i {{in_file}} {{out_a}} {{out_b}}',
        outputs: [
          { alias: 'out_a', extension: 'mp4' },
          { alias: 'out_b', extension: 'mp4' },
        ],
      },
      'same file name',
    ],
    [{ ...custom, ffmpegCommand: undefined }, 'needs an FFmpeg command'],
    [{ ...custom, ffmpegCommands: ['-i {{in_file}} {{out_file}}'] }, 'not both'],
    [{ ...custom, ffmpegCommand: '-i {in_file} {{out_file}}' }, 'single braces'],
    [{ ...custom, ffmpegCommand: '-i {{in_video}} {{out_file}}' }, 'names no declared input'],
    [
      { ...custom, ffmpegCommand: '-i {{in_file}} out.mp4' },
      'Output "out_file" is declared but not used in the command.',
    ],
    [{ ...custom, ffmpegCommand: 'x'.repeat(20_001) }, 'longer than'],
    [{ ...custom, source: 'stolen' }, 'source must be'],
  ])('refuses %#: %s', (preset, why) => {
    expect(validatePreset(preset).ok).toBe(false);
    expect(messages(preset)).toContain(why);
  });

  it('applies caller-supplied command rules (the engine safety rules)', () => {
    const evil = { ...custom, ffmpegCommand: '-i {{in_file}} {{out_file}} ; rm -rf ~' };
    expect(validatePreset(evil).ok).toBe(true);
    const result = validatePreset(evil, { checkCommand: engineRules });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues[0]).toMatchObject({ loc: ['ffmpegCommand'], type: 'value_error' });
    expect(
      presetProblems(
        { ...custom, ffmpegCommand: '-i /etc/passwd {{in_file}} {{out_file}}' },
        { checkCommand: engineRules },
      ).join(),
    ).toContain('absolute path');
  });

  it("keeps an account preset's own input key and checks its command against it", () => {
    const account = {
      ...custom,
      id: 'account-k',
      source: 'account',
      remotePresetId: 'k',
      remoteInputKey: 'in_video',
      ffmpegCommand: '-i {{in_video}} {{out_file}}',
    };
    const result = validatePreset(account);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.preset.remoteInputKey).toBe('in_video');
    expect(messages({ ...account, remoteInputKey: 'video' })).toContain('remoteInputKey must be');
    expect(messages({ ...account, remoteInputKey: undefined })).toContain(
      'names no declared input',
    );
  });

  it('lets an account preset without command text through', () => {
    const account = {
      ...custom,
      id: 'account-abc',
      ffmpegCommand: undefined,
      source: 'account',
      remotePresetId: 'abc',
    };
    expect(validatePreset(account).ok).toBe(true);
  });
});

describe('export and import', () => {
  const chained: Preset = {
    ...custom,
    id: 'custom-2',
    name: 'Chained',
    ffmpegCommand: undefined,
    ffmpegCommands: [
      '-i {{in_file}} -t 1 step.mp4',
      '-i step.mp4 {{out_file}} -vf fps=1 {{out_thumb}}',
    ],
    outputs: [
      { alias: 'out_file', extension: 'mp4' },
      { alias: 'out_thumb', extension: 'jpg', suffix: '-thumb' },
    ],
  };
  delete chained.ffmpegCommand;

  it('round-trips custom presets', () => {
    const text = exportPresets([custom, chained]);
    expect(JSON.parse(text)).toMatchObject({ format: 'renderio-desktop-presets', version: 1 });
    const result = importPresets(text);
    expect(result.rejected).toEqual([]);
    expect(result.presets).toEqual([custom, chained]);
  });

  it('exports without app-internal fields', () => {
    const text = exportPresets([{ ...custom, source: 'account', remotePresetId: 'secret-id' }]);
    expect(text).not.toContain('remotePresetId');
    expect(text).not.toContain('"source"');
  });

  it('imports a bare array, a { presets } object or one preset, always as custom presets', () => {
    const builtIn = findPreset('mp3');
    expect(builtIn).toBeDefined();
    expect(importPresets(JSON.stringify([builtIn])).presets[0]).toMatchObject({
      id: 'custom-mp3',
      source: 'custom',
    });
    expect(importPresets(JSON.stringify({ presets: [custom] })).presets).toEqual([custom]);
    expect(importPresets(JSON.stringify(custom)).presets).toEqual([custom]);
    const smuggled = importPresets(
      JSON.stringify([{ ...custom, source: 'built-in', remotePresetId: 'x' }]),
    );
    expect(smuggled.presets[0]).toEqual(custom);
  });

  it('reports each bad preset with its reasons and keeps the good ones', () => {
    const result = importPresets(
      JSON.stringify([custom, { ...custom, id: 'custom-9', name: '' }, 42, custom]),
    );
    expect(result.presets).toEqual([custom]);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(result.rejected[0]?.issues[0]?.msg).toContain('needs a name');
    expect(result.rejected[2]?.issues[0]?.msg).toContain('appears twice');
  });

  it('applies the caller rules on import', () => {
    const result = importPresets(
      JSON.stringify([
        { ...custom, ffmpegCommand: '-i {{in_file}} -vf movie=/etc/passwd {{out_file}}' },
      ]),
      {
        checkCommand: engineRules,
      },
    );
    expect(result.presets).toEqual([]);
    expect(result.rejected[0]?.issues.map((i) => i.msg).join()).toContain('movie');
  });

  it.each([
    ['not json', 'This file is not a presets file: it is not JSON.'],
    ['{"format": "something-else", "presets": []}', 'it says it is a "something-else" file'],
    ['{"format": "renderio-desktop-presets", "version": 99, "presets": []}', 'newer version'],
    ['{"format": "renderio-desktop-presets", "version": 0, "presets": []}', 'does not know'],
    ['{"format": "renderio-desktop-presets", "version": "1", "presets": []}', 'does not know'],
    ['{"hello": 1}', 'This file holds no presets.'],
    ['"text"', 'holds no presets'],
  ])('refuses a file that is not a preset export: %s', (text, why) => {
    expect(() => importPresets(text)).toThrow(PresetImportError);
    expect(() => importPresets(text)).toThrow(why);
  });

  it('refuses a name with control characters, whatever the rest says', () => {
    for (const name of ['Line\nbreak', 'Tab\there', 'Bell\u0007', 'Esc\u001b[31m']) {
      const result = importPresets(JSON.stringify([{ ...custom, name }]));
      expect(result.presets).toEqual([]);
      expect(result.rejected[0]?.issues.map((i) => i.msg).join()).toContain('control characters');
    }
  });

  it('refuses a file of 10,000 presets as a whole, before checking any of them', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ ...custom, id: `custom-${i}` }));
    const text = JSON.stringify({ format: 'renderio-desktop-presets', version: 1, presets: many });
    expect(() => importPresets(text)).toThrow(/10000 presets; at most 1000/);
  });
});

describe('problems in words a person reads', () => {
  it('names the part as the editor does, never the schema path', () => {
    const problems = presetProblems(
      { ...custom, ffmpegCommand: '-i {{in_file}} -vf movie=/etc/passwd {{out_file}}' },
      { checkCommand: engineRules },
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^The command: .*"movie"/);
    expect(problems[0]).toMatch(/\.$/);
    expect(problems.join()).not.toContain('ffmpegCommand');
    expect(
      presetProblems({
        ...custom,
        ffmpegCommand: undefined,
        ffmpegCommands: ['-i {{in_file}} step.mp4', '-i step.mp4 -i {in_file} {{out_file}}'],
      }),
    ).toEqual(['Command 2: "{in_file}" uses single braces; write {{in_file}}.']);
    expect(
      presetProblems({ ...custom, outputs: [{ alias: 'out_file', extension: '.mp4' }] }).join(),
    ).toMatch(/^Output 1: extension must be/);
  });

  it('says a field the message names already as a sentence, without a prefix', () => {
    expect(presetProblems({ ...custom, name: 'Bell\u0007' })).toEqual([
      'The name may not contain control characters (line breaks, tabs and the like).',
    ]);
    expect(presetProblems({ ...custom, id: '../x' })[0]).toMatch(/^The id must be 1-100/);
    expect(
      describePresetIssue({ loc: [], msg: 'a preset must be an object', type: 'type_error' }),
    ).toBe('A preset must be an object.');
  });

  it('says a duplicate id as the file writes it, in a sentence', () => {
    const file = JSON.stringify([
      { ...custom, id: 'tiny' },
      { ...custom, id: 'tiny', name: 'Twin' },
    ]);
    const [twice] = importPresets(file).rejected;
    expect(twice && describePresetIssue(twice.issues[0]!)).toBe(
      'The id "tiny" appears twice in the file.',
    );
  });

  it("does not pass on the JSON parser's own words", () => {
    let said = '';
    try {
      importPresets('not json at all');
    } catch (error) {
      said = (error as Error).message;
    }
    expect(said).toBe('This file is not a presets file: it is not JSON.');
    expect(said).not.toMatch(/Unexpected token|position|JSON\.parse/);
  });
});

describe('printableText', () => {
  it('escapes control and invisible characters the way a JSON file writes them', () => {
    expect(printableText('Bell\u0007')).toBe('Bell\\u0007');
    expect(printableText('Line\nbreak\tand\rreturn')).toBe('Line\\nbreak\\tand\\rreturn');
    expect(printableText('Esc\u001b[31m')).toBe('Esc\\u001b[31m');
    // A right-to-left override and a zero-width space print nothing, or the wrong way round.
    expect(printableText('evil\u202Egpj.exe')).toBe('evil\\u202egpj.exe');
    expect(printableText('a\u200Bb')).toBe('a\\u200bb');
    // Beyond U+FFFF as JSON writes it (a surrogate pair), as the CLI prints it too.
    expect(printableText('Tag\u{E0041}')).toBe('Tag\\udb40\\udc41');
    expect(printableText('Back\bspace')).toBe('Back\\bspace');
  });

  it('leaves printable names alone and cuts a long one', () => {
    expect(printableText('Small WebM (VP9) · ü 日本')).toBe('Small WebM (VP9) · ü 日本');
    const long = printableText('x'.repeat(500));
    expect([...long]).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
  });
});
