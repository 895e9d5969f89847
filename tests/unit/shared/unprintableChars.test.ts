/**
 * The one set of characters never shown raw, and their escapes: the same for the window's preset
 * messages (printableText) and the CLI's lines (shownPath, shownText), checked on names built to
 * deceive or break a line.
 */
import { describe, expect, it } from 'vitest';
import { escapeUnprintable, hasUnprintable } from '../../../shared/unprintableChars';
import { printableText } from '../../../shared/presets/presetValidation';
import { shownPath, shownText } from '../../../cli/printable';

const RLO = '\u202E';
const ZWSP = '\u200B';
const BEL = '\u0007';

describe('escapeUnprintable', () => {
  it('escapes a right-to-left override, a zero-width space, a bell and a newline', () => {
    // Shown raw, this name reads "invoiceexe.mp4" on a screen.
    expect(escapeUnprintable(`invoice${RLO}4pm.exe`)).toBe('invoice\\u202e4pm.exe');
    expect(escapeUnprintable(`pay${ZWSP}pal.mp4`)).toBe('pay\\u200bpal.mp4');
    expect(escapeUnprintable(`ring${BEL}.wav`)).toBe('ring\\u0007.wav');
    expect(escapeUnprintable('two\nlines\r\t\b\f.mov')).toBe('two\\nlines\\r\\t\\b\\f.mov');
    expect(escapeUnprintable('\u001b[31mred\u007f\u0085')).toBe('\\u001b[31mred\\u007f\\u0085');
    expect(escapeUnprintable('a\u2028b\u2029c\uFEFFd')).toBe('a\\u2028b\\u2029c\\ufeffd');
  });

  it('leaves an emoji, a combining accent and other drawn characters alone', () => {
    // U+1F3AC (an astral character) and "e" + U+0301 COMBINING ACUTE ACCENT.
    // And the joiners words and emoji are spelled with: Persian "می‌خواهم" (a ZWNJ), a family
    // emoji (three joined by ZWJs).
    for (const name of [
      '🎬 take 1.mp4',
      'cafe\u0301.mov',
      'été 東京 עברית.wav',
      'a "b" \\c.mp3',
      'می\u200cخواهم.mp3',
      '👨\u200d👩\u200d👧.jpg',
    ]) {
      expect(hasUnprintable(name)).toBe(false);
      expect(escapeUnprintable(name)).toBe(name);
    }
  });

  it('writes a format character beyond U+FFFF as JSON does, so a parser reads it back', () => {
    const tagged = 'Tag\u{E0041}🎬';
    const escaped = escapeUnprintable(tagged);
    expect(escaped).toBe('Tag\\udb40\\udc41🎬');
    expect(JSON.parse(`"${escaped}"`)).toBe(tagged);
  });
});

describe('the window and the CLI escape the same characters', () => {
  const nasty = [
    `invoice${RLO}4pm.exe`,
    `pay${ZWSP}pal.mp4`,
    `ring${BEL}.wav`,
    'two\nlines.mov',
    'Tag\u{E0041}.mp4',
  ];

  it.each(nasty)('%j', (name) => {
    const escaped = escapeUnprintable(name);
    expect(escaped).not.toBe(name);
    expect(printableText(name)).toBe(escaped);
    expect(shownText(name)).toBe(escaped);
    // The CLI quotes a path it had to escape, and a JSON parser reads the original back.
    expect(shownPath(`/m/${name}`)).toBe(`"/m/${escaped}"`);
    expect(JSON.parse(shownPath(`/m/${name}`))).toBe(`/m/${name}`);
  });

  it('and leave the same drawn names alone', () => {
    for (const name of ['🎬 take 1.mp4', 'cafe\u0301.mov']) {
      expect(printableText(name)).toBe(name);
      expect(shownText(name)).toBe(name);
      expect(shownPath(`/m/${name}`)).toBe(`/m/${name}`);
    }
  });
});
