/**
 * What the CLI prints of names it did not choose (file paths, preset names, error messages):
 * stdout is one line per file, so a control character in a name (a newline, a carriage
 * return, an escape sequence) must never reach the terminal or a script's `read` as such.
 */
import type { Job } from '../shared/jobs';

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escapeControl(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * A path as printed: unchanged when it holds no control character, else JSON-style quoted
 * (`"new\nline.mp4"`), so the quotes show where the name begins and ends and a script can
 * read it back with a JSON parser.
 */
export function shownPath(path: string): string {
  if (!CONTROL.test(path)) return path;
  return `"${path.replace(/["\\]/g, (c) => `\\${c}`).replace(CONTROLS, escapeControl)}"`;
}

/**
 * Free text (a reason, an error message) as one printed line: its control characters escaped
 * the same way, without quotes. Line breaks between sentences become spaces first (`joinLines`).
 */
export function shownText(text: string, joinLines = false): string {
  const flat = joinLines ? text.replace(/\s*\r?\n\s*/g, ' ') : text;
  return flat.replace(CONTROLS, escapeControl);
}

/**
 * How a finished job's result lines end when the queue ran another preset than the one named
 * (the default of the file's kind): said, never passed off as the named one.
 */
export function presetNote(job: Pick<Job, 'mediaKind' | 'settings'>): string {
  if (job.settings.presetChoice !== 'kind-default') return '';
  const kind = job.mediaKind === null ? '' : `${job.mediaKind} `;
  return ` (${shownText(job.settings.preset.name)}: the default for ${kind}files)`;
}
