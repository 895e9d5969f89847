import { describe, expect, it } from 'vitest';
import {
  describeOutputNameProblem,
  findPlaceholders,
  formatIssues,
  stripLeadingFfmpeg,
  substitutePlaceholders,
  validateCommandTemplate,
} from '../../../shared/commandTemplate';

const base = {
  input_files: { in_video: 'https://example.com/a.mp4' },
  output_files: { out_video: 'out.webm' },
  ffmpeg_command: '-i {{in_video}} -c:v libvpx-vp9 {{out_video}}',
};

const msgs = (req: Parameters<typeof validateCommandTemplate>[0]) =>
  formatIssues(validateCommandTemplate(req));

describe('validateCommandTemplate', () => {
  it('accepts a valid command, with or without a leading ffmpeg word', () => {
    expect(validateCommandTemplate(base)).toEqual([]);
    expect(
      validateCommandTemplate({ ...base, ffmpeg_command: `ffmpeg ${base.ffmpeg_command}` }),
    ).toEqual([]);
  });

  it('accepts <<alias>> placeholders', () => {
    expect(
      validateCommandTemplate({ ...base, ffmpeg_command: '-i <<in_video>> <<out_video>>' }),
    ).toEqual([]);
  });

  it('refuses aliases with the wrong prefix or characters', () => {
    expect(
      msgs({ ...base, input_files: { video: 'u' }, ffmpeg_command: '-i {{video}} {{out_video}}' }),
    ).toContain('must start with "in_"');
    expect(
      msgs({
        ...base,
        output_files: { 'out_x-y': 'a.mp4' },
        ffmpeg_command: '-i {{in_video}} {{out_x-y}}',
      }),
    ).toContain('only letters, digits');
  });

  it('refuses placeholders that name no declared alias', () => {
    const issues = validateCommandTemplate({
      ...base,
      ffmpeg_command: '-i {{in_video}} {{in_other}} {{out_video}}',
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ loc: ['ffmpeg_command'], type: 'value_error' });
    expect(issues[0]?.msg).toContain('{{in_other}}');
  });

  it('refuses declared aliases that are never used', () => {
    const issues = validateCommandTemplate({
      ...base,
      input_files: { in_video: 'u', in_audio: 'v' },
    });
    expect(issues).toEqual([
      {
        loc: ['input_files', 'in_audio'],
        msg: 'input "in_audio" is declared but not used in the command',
        type: 'value_error',
      },
    ]);
  });

  it('refuses single-brace placeholders with a hint', () => {
    expect(msgs({ ...base, ffmpeg_command: '-i {in_video} {{out_video}}' })).toContain(
      'write {{in_video}}',
    );
  });

  it('refuses output names with path separators or traversal', () => {
    expect(msgs({ ...base, output_files: { out_video: '../../etc/passwd.mp4' } })).toContain(
      'path separators',
    );
    expect(msgs({ ...base, output_files: { out_video: 'a\\b.mp4' } })).toContain('path separators');
    expect(msgs({ ...base, output_files: { out_video: 'noext' } })).toContain('needs an extension');
  });

  it('refuses a missing or empty command', () => {
    expect(
      validateCommandTemplate({ input_files: base.input_files, output_files: base.output_files }),
    ).toEqual([{ loc: ['ffmpeg_command'], msg: 'field required', type: 'missing' }]);
    expect(msgs({ ...base, ffmpeg_command: 'ffmpeg ' })).toContain('non-empty string');
  });

  it('validates chained commands, where later steps read earlier outputs', () => {
    const chained = {
      input_files: { in_v: 'u' },
      output_files: { out_small: 's.mp4', out_gif: 'a.gif' },
      ffmpeg_commands: [
        '-i {{in_v}} -vf scale=160:-2 {{out_small}}',
        '-i {{out_small}} {{out_gif}}',
      ],
    };
    expect(validateCommandTemplate(chained)).toEqual([]);
    expect(
      msgs({
        ...chained,
        ffmpeg_commands: Array(11).fill('-i {{in_v}} {{out_small}} {{out_gif}}'),
      }),
    ).toContain('at most 10');
  });

  it('checks metadata', () => {
    expect(
      validateCommandTemplate({ ...base, metadata: { client_job_id: 'x', n: 1, ok: true } }),
    ).toEqual([]);
    expect(msgs({ ...base, metadata: { nested: { a: 1 } } })).toContain(
      'strings, numbers or booleans',
    );
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    expect(msgs({ ...base, metadata: many })).toContain('at most 10 keys');
  });

  it('refuses non-object file maps', () => {
    expect(msgs({ ...base, input_files: ['a'] })).toContain('input_files must be an object');
  });
});

describe('placeholder helpers', () => {
  it('finds and substitutes both placeholder forms', () => {
    const cmd = '-i {{ in_a }} -i <<in_b>> {{out_c}}';
    expect(findPlaceholders(cmd).map((p) => p.alias)).toEqual(['in_a', 'in_b', 'out_c']);
    expect(substitutePlaceholders(cmd, (a) => `/w/${a}`)).toBe('-i /w/in_a -i /w/in_b /w/out_c');
  });

  it('strips only a leading ffmpeg word', () => {
    expect(stripLeadingFfmpeg('ffmpeg -i x')).toBe('-i x');
    expect(stripLeadingFfmpeg('  FFMPEG   -i x')).toBe('-i x');
    expect(stripLeadingFfmpeg('-i ffmpeg.mp4')).toBe('-i ffmpeg.mp4');
    expect(stripLeadingFfmpeg('ffmpegx -i')).toBe('ffmpegx -i');
  });

  it('describes bad output names', () => {
    expect(describeOutputNameProblem('ok.mp4')).toBeNull();
    expect(describeOutputNameProblem('-x.mp4')).toContain('start with "-"');
    expect(describeOutputNameProblem('')).toContain('non-empty');
  });
});
