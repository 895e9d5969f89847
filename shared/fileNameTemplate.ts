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
const MAX_BASE_LENGTH = 180;
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

function isoDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Makes one path segment safe on Windows, macOS and Linux; never empty, never hidden, never an option. */
export function sanitizeFileNamePart(text: string): string {
  // eslint-disable-next-line no-control-regex
  let out = text.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_');
  out = out.replace(/\s+/g, ' ').trim();
  out = out.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (out.startsWith('-')) out = `_${out.slice(1)}`;
  if (RESERVED.test(out)) out = `${out}_`;
  if (out.length > MAX_BASE_LENGTH) out = out.slice(0, MAX_BASE_LENGTH).trimEnd();
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
  return `${sanitizeFileNamePart(filled + (input.suffix ?? ''))}.${outExt.toLowerCase()}`;
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
