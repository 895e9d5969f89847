/**
 * The characters a name must never carry raw onto a screen, and how they are written instead.
 * One set for every place that echoes text it did not choose: the window's preset messages
 * (presets/presetValidation.ts, printableText) and the CLI's lines (cli/printable.ts). With two
 * sets, a right-to-left override in a file name was escaped in the window and printed raw by
 * the CLI, where it turns `evil<RLO>4pm.exe` into what reads as `evilexe.mp4`.
 *
 * The set: control characters (C0, DEL, C1: a newline, an escape sequence), format characters
 * (\p{Cf}: zero-width spaces, bidirectional overrides and isolates, the soft hyphen, tag
 * characters; not the joiners, below), and the line and paragraph separators, which break a line as a newline does.
 * Letters, marks and symbols are drawn and stay as they are: a combining accent belongs to its
 * letter, an emoji is a picture.
 */

// Less the zero-width non-joiner and joiner (U+200C, U+200D): parts of how words are spelled
// (Persian writes "می‌خواهم" with a ZWNJ) and of emoji (👨‍👩‍👧 is three joined by ZWJs), and
// unlike an override they move nothing. Escaped, such names read as "\u200c" soup.
const UNPRINTABLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\u2028\u2029]/u;
const UNPRINTABLES = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\u2028\u2029]/gu;

// The short escapes JSON has; every other character is written \uXXXX.
const NAMED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  // By UTF-16 unit, as JSON writes it: a format character beyond U+FFFF (a tag character) is a
  // surrogate pair, two escapes. The CLI's quoted paths must read back through a JSON parser.
  let escaped = '';
  for (let i = 0; i < c.length; i++)
    escaped += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}

/** Whether the text holds a character of the set. */
export function hasUnprintable(text: string): boolean {
  return UNPRINTABLE.test(text);
}

/**
 * The text with each character of the set written as its JSON escape ("Bell\u0007",
 * "Line\nbreak", "evil\u202egpj.exe"); nothing else changes (no quotes, backslashes kept).
 */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLES, escapeOne);
}
