/**
 * Output file names from a template. Shared so the renderer can preview exactly the name main
 * will write. Tokens: `{name}` (source name without extension), `{format}` (the output's
 * extension, what it becomes: `webm`), `{preset}` (preset id), `{ext}`
 * (the source's extension, without the dot) and `{date}` (YYYY-MM-DD, local time). The output
 * extension always comes from the preset and is appended after the template, so a template can
 * never produce a file whose extension lies about its format.
 */

/**
 * `clip.mp4` → `clip-webm.webm`: the default never takes the source's own name, so a result
 * next to its source (MP4 → MP4 too) is never "clip (1).mp4", and the name says the format.
 */
export const DEFAULT_NAME_TEMPLATE = '{name}-{format}';
export const NAME_TOKENS = ['name', 'format', 'preset', 'ext', 'date'] as const;
export type NameToken = (typeof NAME_TOKENS)[number];

const TOKEN = /\{([^{}]*)\}/g;
/**
 * File names are capped in UTF-8 bytes, not characters: most disks allow 255 bytes a name
 * (ext4, APFS; NTFS 255 UTF-16 units, which a UTF-8 cap also keeps to), and one Japanese
 * character is three bytes. A whole output name stays within MAX_FILE_NAME_BYTES, which leaves
 * room for a collision suffix (" (12)") and the download's ".part".
 */
export const MAX_FILE_NAME_BYTES = 200;
const MAX_BASE_BYTES = 180;
/** Longest ending (dot included) still taken for an extension when a name is cut. */
const MAX_EXTENSION_BYTES = 16;
// Names Windows refuses whatever the extension; a file synced there later must still open.
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

export interface FileNameInput {
  template: string;
  /** The source file's name with its extension (`holiday.mov`), no directory. */
  sourceName: string;
  presetId: string;
  /** The output's extension from the preset, without the dot. */
  outputExtension: string;
  /** Added before the extension when a preset writes several files (`-thumb`). */
  suffix?: string;
  date?: Date;
}

/** Why a template is not usable, or null. Unknown tokens are refused rather than kept literally. */
export function describeTemplateProblem(template: unknown): string | null {
  if (typeof template !== 'string' || template.trim() === '') return 'The name template is empty.';
  if (template.length > 200) return 'The name template is longer than 200 characters.';
  for (const match of template.matchAll(TOKEN)) {
    if (!(NAME_TOKENS as readonly string[]).includes(match[1] ?? ''))
      return `Unknown token ${match[0]} (use ${NAME_TOKENS.map((t) => `{${t}}`).join(', ')}).`;
  }
  if (/[/\\]/.test(template)) return 'The name template may not contain folder separators.';
  return null;
}

export function splitExtension(fileName: string): { base: string; ext: string } {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0 || dot === fileName.length - 1) return { base: fileName, ext: '' };
  return { base: fileName.slice(0, dot), ext: fileName.slice(dot + 1) };
}

/** Bytes of `text` in UTF-8 (a lone surrogate counts three: it is written as U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

const graphemes =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    : null;

function cutPieces(pieces: Iterable<string>, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const piece of pieces) {
    const size = utf8Length(piece);
    if (bytes + size > maxBytes) break;
    out += piece;
    bytes += size;
  }
  return out;
}

/**
 * The longest start of `text` within `maxBytes` of UTF-8, cut between characters as a person
 * sees them (an accent stays on its letter, an emoji whole), never inside a multi-byte
 * character or a surrogate pair.
 */
export function cutToUtf8Bytes(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  const whole = graphemes
    ? cutPieces(
        Array.from(graphemes.segment(text), (s) => s.segment),
        maxBytes,
      )
    : '';
  // One "character" longer than the room (a letter under hundreds of accents): cut by code point.
  return whole !== '' ? whole : cutPieces(text, maxBytes);
}

/**
 * `name` within `maxBytes` of UTF-8, its extension kept (when it looks like one: short, after
 * a non-empty stem) and the stem cut.
 */
export function fitFileNameToBytes(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name;
  const { stem, ext } = splitShortExtension(name);
  return cutToUtf8Bytes(stem, maxBytes - utf8Length(ext)).trimEnd() + ext;
}

/**
 * A name's stem and extension, the extension only when it looks like one (after a non-empty
 * stem, at most MAX_EXTENSION_BYTES): it must stay last, for the format.
 */
export function splitShortExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || utf8Length(name.slice(dot)) > MAX_EXTENSION_BYTES) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

function isoDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * Makes one path segment safe on Windows, macOS and Linux; never empty, never hidden, never an
 * option, at most `maxBytes` of UTF-8.
 */
export function sanitizeFileNamePart(text: string, maxBytes = MAX_BASE_BYTES): string {
  // eslint-disable-next-line no-control-regex
  let out = text.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_');
  out = out.replace(/\s+/g, ' ').trim();
  out = out.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (out.startsWith('-')) out = `_${out.slice(1)}`;
  if (RESERVED.test(out)) out = `${out}_`;
  // The cut may end on a dot or a space: gone too, as at the end of any name.
  if (utf8Length(out) > maxBytes) out = cutToUtf8Bytes(out, maxBytes).replace(/[.\s]+$/, '');
  return out === '' ? 'output' : out;
}

/** The file name (no directory) an output is written under, before the collision policy applies. */
export function renderFileName(input: FileNameInput): string {
  const { base, ext } = splitExtension(input.sourceName);
  const outExt = input.outputExtension.replace(/^\.+/, '').replace(/[^A-Za-z0-9]/g, '') || 'out';
  const values: Record<NameToken, string> = {
    name: base,
    format: outExt.toLowerCase(),
    preset: input.presetId,
    ext,
    date: isoDate(input.date ?? new Date()),
  };
  const template =
    describeTemplateProblem(input.template) === null ? input.template : DEFAULT_NAME_TEMPLATE;
  const filled = template.replace(TOKEN, (token, name: string) =>
    (NAME_TOKENS as readonly string[]).includes(name) ? values[name as NameToken] : token,
  );
  const ending = `.${outExt.toLowerCase()}`;
  const room = Math.min(MAX_BASE_BYTES, MAX_FILE_NAME_BYTES - utf8Length(ending));
  return `${sanitizeFileNamePart(filled + (input.suffix ?? ''), Math.max(room, 1))}${ending}`;
}

/** What the settings screen shows under the template field: the name, or the reason it cannot be used. */
export function previewFileName(
  template: string,
  sample: Partial<Omit<FileNameInput, 'template'>> = {},
): { ok: true; fileName: string } | { ok: false; problem: string } {
  const problem = describeTemplateProblem(template);
  if (problem) return { ok: false, problem };
  return {
    ok: true,
    fileName: renderFileName({
      template,
      sourceName: sample.sourceName ?? 'holiday.mov',
      presetId: sample.presetId ?? 'webm-vp9',
      outputExtension: sample.outputExtension ?? 'webm',
      suffix: sample.suffix,
      date: sample.date,
    }),
  };
}
