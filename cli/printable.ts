/**
 * What the CLI prints of names it did not choose (file paths, preset names, error messages):
 * stdout is one line per file, so a control character in a name (a newline, a carriage
 * return, an escape sequence) must never reach the terminal or a script's `read` as such, nor
 * an invisible one (a right-to-left override, a zero-width space) make a name read as another.
 */
import type { Job } from '../shared/jobs';
import { escapeUnprintable, hasUnprintable } from '../shared/unprintableChars';

/**
 * A path as printed: unchanged when it holds no unprintable character (a control character,
 * a right-to-left override, a zero-width space: shared/unprintableChars.ts), else JSON-style
 * quoted (`"new\nline.mp4"`), so the quotes show where the name begins and ends and a script
 * can read it back with a JSON parser.
 */
export function shownPath(path: string): string {
  if (!hasUnprintable(path)) return path;
  return `"${escapeUnprintable(path.replace(/["\\]/g, (c) => `\\${c}`))}"`;
}

/**
 * Free text (a reason, an error message) as one printed line: its unprintable characters
 * escaped the same way, without quotes. Line breaks between sentences become spaces first
 * (`joinLines`).
 */
export function shownText(text: string, joinLines = false): string {
  const flat = joinLines ? text.replace(/\s*\r?\n\s*/g, ' ') : text;
  return escapeUnprintable(flat);
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
