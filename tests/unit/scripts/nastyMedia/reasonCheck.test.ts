import { describe, expect, it } from 'vitest';
import { reasonProblem } from '../../../../scripts/nasty-media/reasonCheck';

describe('reasonProblem', () => {
  it('accepts one line of plain words', () => {
    expect(reasonProblem('"Image to PNG" takes images; this file is a video.')).toBeNull();
    expect(reasonProblem('the file is empty')).toBeNull();
    // ffmpeg's own "EOF" is a word, not an errno code.
    expect(reasonProblem('ffmpeg read up to EOF and found no frame')).toBeNull();
  });

  it.each([
    [undefined, 'no reason given'],
    ['  ', 'no reason given'],
    ['ffmpeg failed:\nError writing trailer', 'several lines'],
    ['boom at Object.run (/work/engine/x.ts:12:5)', 'stack trace'],
    ['could not open: ENOENT', 'errno code'],
    ['fetch failed ERR_INVALID_URL', 'errno code'],
    ['RenderIO said no', 'RenderIO'],
    ['refused concat:{{#0}}|{{#1}}', 'placeholder'],
  ])('flags %j', (reason, problem) => {
    expect(reasonProblem(reason)).toContain(problem);
  });
});
