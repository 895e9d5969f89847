/**
 * What the CLI prints of names it did not choose: one line per file whatever the name holds,
 * and a result line that says when the queue ran another preset than the one named.
 */
import { describe, expect, it } from 'vitest';
import { presetNote, shownPath, shownText } from '../../../cli/printable';
import { BUILT_IN_PRESETS } from '../../../shared/presets';
import type { Job } from '../../../shared/jobs';

describe('shownPath', () => {
  it('leaves an ordinary path alone, spaces, quotes and non-Latin letters included', () => {
    for (const path of ['/m/clip.mp4', '/m/my "best" clip.mp4', '/m/été 東京.mov', 'C:\\m\\a.mp4'])
      expect(shownPath(path)).toBe(path);
  });

  it('quotes and escapes a path with a control character, JSON-style, on one line', () => {
    const odd = '/m/new\nline\r\t"x"\\\u001b[31m\u007f\u0085\u2028.mp4';
    const shown = shownPath(odd);
    // eslint-disable-next-line no-control-regex
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(shown.startsWith('"') && shown.endsWith('"')).toBe(true);
    expect(shown).toContain('new\\nline\\r\\t\\"x\\"\\\\\\u001b[31m');
    // Read back exactly by a JSON parser.
    expect(JSON.parse(shown)).toBe(odd);
  });

  it('quotes and escapes a path with an invisible character: an override, a zero-width space', () => {
    // Raw, the first reads "/m/invoiceexe.mp4" on a terminal; the second looks like "paypal".
    expect(shownPath('/m/invoice\u202E4pm.exe')).toBe('"/m/invoice\\u202e4pm.exe"');
    expect(shownPath('/m/pay\u200Bpal.mp4')).toBe('"/m/pay\\u200bpal.mp4"');
  });
});

describe('shownText', () => {
  it('escapes control characters without quoting, and joins lines when asked', () => {
    expect(shownText('a\u001b[2Jb')).toBe('a\\u001b[2Jb');
    expect(shownText('first line\n  second line', true)).toBe('first line second line');
    expect(shownText('first\nsecond')).toBe('first\\nsecond');
    expect(shownText('"evil\u202Egpj.exe" is refused')).toBe('"evil\\u202egpj.exe" is refused');
  });
});

describe('presetNote', () => {
  const mp3 = BUILT_IN_PRESETS.find((p) => p.id === 'mp3')!;
  const job = (presetChoice?: 'picked' | 'kind-default'): Pick<Job, 'mediaKind' | 'settings'> => ({
    mediaKind: 'audio',
    settings: {
      presetId: mp3.id,
      preset: mp3,
      outputDir: null,
      nameTemplate: '{name}-{format}',
      collision: 'rename',
      mirrorRoot: null,
      profileId: 'local',
      ...(presetChoice ? { presetChoice } : {}),
    },
  });

  it('says which preset ran when it was the default of the file kind', () => {
    expect(presetNote(job('kind-default'))).toBe(` (${mp3.name}: the default for audio files)`);
  });

  it('says nothing when the named preset ran', () => {
    expect(presetNote(job())).toBe('');
    expect(presetNote(job('picked'))).toBe('');
  });
});
