/**
 * Checks presets that come from outside the code (custom presets, JSON imports) with the
 * same command-template rules the engine applies (shared/commandTemplate.ts), plus the
 * preset's own shape. Also the JSON import/export format.
 */
import { ALIAS_CHARACTERS, validateCommandTemplate } from '../commandTemplate';
import type { ValidationIssue } from '../commandTemplate';
import type { MediaKind, Preset, PresetOutput } from '../presetTypes';
import { PRESET_INPUT_ALIAS } from '../presetTypes';
import { escapeUnprintable } from '../unprintableChars';

const KINDS: readonly MediaKind[] = ['video', 'audio', 'image'];
const SOURCES: readonly Preset['source'][] = ['built-in', 'custom', 'account'];
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const EXTENSION = /^[A-Za-z0-9]{1,10}$/;
const SUFFIX = /^[A-Za-z0-9_-]{0,40}$/;
const MAX_COMMAND_CHARS = 20_000;
/** Line breaks, tabs, NUL, escape codes: a name is shown on one line, in menus and file lists. */
const CONTROL_CHARACTER = /\p{Cc}/u;
/** Placeholder URL used to check a template: input URLs are filled in when a job runs. */
const CHECK_URL = 'https://example.invalid/input';

export type PresetValidation =
  { ok: true; preset: Preset } | { ok: false; issues: ValidationIssue[] };

export interface ValidatePresetOptions {
  /**
   * Extra rules for the command text (the engine's safety rules, for example), returning a
   * reason or null. shared/ cannot import the engine, so the caller passes them in.
   */
  checkCommand?: (command: string) => string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKind(value: unknown): value is MediaKind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

/** Validates an untrusted preset; on success returns a clean copy (unknown fields dropped). */
export function validatePreset(p: unknown, options: ValidatePresetOptions = {}): PresetValidation {
  const issues: ValidationIssue[] = [];
  const issue = (
    loc: (string | number)[],
    msg: string,
    type: ValidationIssue['type'] = 'value_error',
  ) => issues.push({ loc, msg, type });
  if (!isRecord(p))
    return {
      ok: false,
      issues: [{ loc: [], msg: 'a preset must be an object', type: 'type_error' }],
    };

  const {
    id,
    name,
    description,
    category,
    accepts,
    outputs,
    ffmpegCommand,
    ffmpegCommands,
    source,
    remotePresetId,
    remoteInputKey,
  } = p;
  if (typeof id !== 'string' || !ID.test(id))
    issue(
      ['id'],
      'the id must be 1-100 letters, digits, "_", "." or "-", starting with a letter or digit',
    );
  if (typeof name !== 'string' || name.trim() === '') issue(['name'], 'the preset needs a name');
  else if (name.length > 100) issue(['name'], 'the name is longer than 100 characters');
  else if (CONTROL_CHARACTER.test(name))
    issue(['name'], 'the name may not contain control characters (line breaks, tabs and the like)');
  if (description !== undefined && typeof description !== 'string')
    issue(['description'], 'the description must be text', 'type_error');
  if (!isKind(category)) issue(['category'], 'the category must be video, audio or image');
  if (!Array.isArray(accepts) || accepts.length === 0 || !accepts.every(isKind))
    issue(
      ['accepts'],
      'the accepted kinds (accepts) must list at least one of video, audio, image',
    );
  else if (new Set(accepts).size !== accepts.length)
    issue(['accepts'], 'the accepted kinds (accepts) list a kind twice');
  if (source !== undefined && !(SOURCES as readonly unknown[]).includes(source))
    issue(['source'], 'the source must be built-in, custom or account');
  if (remotePresetId !== undefined && typeof remotePresetId !== 'string')
    issue(['remotePresetId'], 'the remotePresetId must be text', 'type_error');
  if (
    remoteInputKey !== undefined &&
    (typeof remoteInputKey !== 'string' ||
      !remoteInputKey.startsWith('in_') ||
      !ALIAS_CHARACTERS.test(remoteInputKey))
  )
    issue(
      ['remoteInputKey'],
      'the remoteInputKey must be an input alias ("in_" + letters, digits, "_")',
    );
  const inputAlias = typeof remoteInputKey === 'string' ? remoteInputKey : PRESET_INPUT_ALIAS;

  const cleanOutputs: PresetOutput[] = [];
  if (!Array.isArray(outputs) || outputs.length === 0) {
    issue(['outputs'], 'the preset needs at least one output');
  } else {
    const aliases = new Set<string>();
    const files = new Set<string>();
    outputs.forEach((o: unknown, i) => {
      if (!isRecord(o)) return issue(['outputs', i], 'an output must be an object', 'type_error');
      const { alias, extension, suffix } = o;
      if (typeof alias !== 'string' || !alias.startsWith('out_') || !ALIAS_CHARACTERS.test(alias))
        issue(
          ['outputs', i, 'alias'],
          'alias must start with "out_" and contain only letters, digits and "_"',
        );
      else if (aliases.has(alias)) issue(['outputs', i, 'alias'], `alias "${alias}" is used twice`);
      if (typeof extension !== 'string' || !EXTENSION.test(extension))
        issue(
          ['outputs', i, 'extension'],
          'extension must be 1-10 letters or digits, without the dot (webm, mp3)',
        );
      if (suffix !== undefined && (typeof suffix !== 'string' || !SUFFIX.test(suffix)))
        issue(
          ['outputs', i, 'suffix'],
          'suffix may contain only letters, digits, "_" and "-" (at most 40)',
        );
      const file = `${typeof suffix === 'string' ? suffix : ''}.${String(extension).toLowerCase()}`;
      if (files.has(file))
        issue(['outputs', i], 'two outputs would write the same file name; give one a suffix');
      if (typeof alias === 'string') aliases.add(alias);
      files.add(file);
      if (typeof alias === 'string' && typeof extension === 'string')
        cleanOutputs.push(
          typeof suffix === 'string' && suffix !== ''
            ? { alias, extension, suffix }
            : { alias, extension },
        );
    });
  }

  const hasOne = ffmpegCommand !== undefined && ffmpegCommand !== null;
  const hasMany = ffmpegCommands !== undefined && ffmpegCommands !== null;
  const isAccount = source === 'account' && typeof remotePresetId === 'string';
  if (hasOne && hasMany)
    issue(['ffmpegCommand'], 'give either one command or a list of chained commands, not both');
  else if (!hasOne && !hasMany && !isAccount)
    issue(['ffmpegCommand'], 'the preset needs an FFmpeg command', 'missing');
  const commands: unknown[] = hasMany
    ? Array.isArray(ffmpegCommands)
      ? ffmpegCommands
      : []
    : hasOne
      ? [ffmpegCommand]
      : [];
  if (hasMany && !Array.isArray(ffmpegCommands))
    issue(['ffmpegCommands'], 'chained commands must be a list of command texts', 'type_error');
  commands.forEach((c, i) => {
    const loc = hasMany ? ['ffmpegCommands', i] : ['ffmpegCommand'];
    if (typeof c === 'string' && c.length > MAX_COMMAND_CHARS)
      issue(loc, `the command is longer than ${MAX_COMMAND_CHARS} characters`);
    if (typeof c === 'string' && options.checkCommand) {
      const reason = options.checkCommand(c);
      if (reason) issue(loc, reason);
    }
  });

  if ((hasOne || hasMany) && cleanOutputs.length > 0) {
    const output_files: Record<string, string> = {};
    for (const o of cleanOutputs) output_files[o.alias] = `output${o.suffix ?? ''}.${o.extension}`;
    const templateIssues = validateCommandTemplate({
      input_files: { [inputAlias]: CHECK_URL },
      output_files,
      ...(hasMany ? { ffmpeg_commands: ffmpegCommands } : { ffmpeg_command: ffmpegCommand }),
    });
    for (const t of templateIssues) {
      // Speak in preset terms: the template's output_files are the preset's outputs.
      const loc =
        t.loc[0] === 'ffmpeg_command'
          ? ['ffmpegCommand', ...t.loc.slice(1)]
          : t.loc[0] === 'ffmpeg_commands'
            ? ['ffmpegCommands', ...t.loc.slice(1)]
            : t.loc[0] === 'output_files'
              ? ['outputs', ...t.loc.slice(1)]
              : t.loc;
      issues.push({ ...t, loc });
    }
  }

  if (issues.length > 0) return { ok: false, issues };
  const preset: Preset = {
    id: id as string,
    name: (name as string).trim(),
    description: typeof description === 'string' ? description : '',
    category: category as MediaKind,
    accepts: [...(accepts as MediaKind[])],
    outputs: cleanOutputs,
    source: (source as Preset['source'] | undefined) ?? 'custom',
  };
  if (hasMany) preset.ffmpegCommands = [...(ffmpegCommands as string[])];
  else if (hasOne) preset.ffmpegCommand = ffmpegCommand as string;
  if (typeof remotePresetId === 'string') preset.remotePresetId = remotePresetId;
  if (typeof remoteInputKey === 'string') preset.remoteInputKey = remoteInputKey;
  return { ok: true, preset };
}

/**
 * The part of a preset an issue is about, in the words the editor's form and a person use
 * ("The command", "Output 2"), or null when the message names it already ("the name …",
 * 'output "out_file" is declared …').
 */
function partOf(loc: readonly (string | number)[]): string | null {
  const [field, index] = loc;
  if (field === 'ffmpegCommand') return 'The command';
  if (field === 'ffmpegCommands')
    return typeof index === 'number' ? `Command ${index + 1}` : 'The commands';
  if (field === 'outputs' && typeof index === 'number') return `Output ${index + 1}`;
  return null;
}

/** Ends the text with a full stop, unless it ends a sentence already. */
function stopped(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * One issue as a sentence a person reads, without the schema's field paths
 * ("ffmpegCommand: the "movie" filter …" reads "The command: the "movie" filter …").
 */
export function describePresetIssue(issue: ValidationIssue): string {
  const part = partOf(issue.loc);
  const text = stopped(issue.msg);
  return part ? `${part}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
}

/** Problems as sentences (for the preset library's `validate` hook). */
export function presetProblems(p: unknown, options?: ValidatePresetOptions): string[] {
  const result = validatePreset(p, options);
  return result.ok ? [] : result.issues.map(describePresetIssue);
}

/** Text longer than this is cut where a name from a file is echoed back. */
const MAX_ECHOED_CHARS = 60;

/**
 * A name (or other text) from an untrusted file as it can be shown: each control or invisible
 * character written as its escape, the way a JSON file writes it ("Bell\u0007", "Line\nbreak";
 * the same set and escapes as the CLI's lines, shared/unprintableChars.ts), and a long one cut
 * with "…". Never echoes a character a screen cannot draw.
 */
export function printableText(text: string): string {
  const escaped = escapeUnprintable(text);
  const chars = [...escaped];
  return chars.length > MAX_ECHOED_CHARS
    ? `${chars.slice(0, MAX_ECHOED_CHARS - 1).join('')}…`
    : escaped;
}

/** The export file's marker, so an import can tell a preset file from any JSON. */
export const PRESET_FILE_FORMAT = 'renderio-desktop-presets';
export const PRESET_FILE_VERSION = 1;
/**
 * The most presets one import takes. A preset list is a person's own work (a few dozen); a file
 * of thousands is a mistake or an attack, and each one is checked against the engine's rules.
 */
export const MAX_IMPORT_PRESETS = 1000;

/** Presets as JSON text for a file: custom presets, without app-internal fields. */
export function exportPresets(presets: readonly Preset[]): string {
  const items = presets.map((p) => {
    const item: Record<string, unknown> = {
      id: p.id,
      name: p.name,
      description: p.description,
      category: p.category,
      accepts: [...p.accepts],
      outputs: p.outputs.map((o) => ({ ...o })),
    };
    if (p.ffmpegCommands) item.ffmpegCommands = [...p.ffmpegCommands];
    else if (p.ffmpegCommand !== undefined) item.ffmpegCommand = p.ffmpegCommand;
    return item;
  });
  return `${JSON.stringify({ format: PRESET_FILE_FORMAT, version: PRESET_FILE_VERSION, presets: items }, null, 2)}\n`;
}

export class PresetImportError extends Error {
  override name = 'PresetImportError';
}

export interface PresetImportResult {
  /** Valid presets, as custom presets (ids prefixed `custom-` when they were not). */
  presets: Preset[];
  /** The ones refused, with why. */
  rejected: { index: number; name: string | null; issues: ValidationIssue[] }[];
}

/**
 * Reads presets from JSON text: an export file, a bare array, `{ presets: [...] }` or one
 * preset object. Throws PresetImportError when the text is not JSON or holds no presets;
 * individual bad presets are returned in `rejected`, never silently dropped.
 */
export function importPresets(json: string, options?: ValidatePresetOptions): PresetImportResult {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    // The parser's own words ("Unexpected token 'o' …") mean nothing to a person: not said.
    throw new PresetImportError('This file is not a presets file: it is not JSON.', {
      cause: error,
    });
  }
  let items: unknown[];
  if (Array.isArray(data)) items = data;
  else if (isRecord(data) && Array.isArray(data.presets)) {
    if (data.format !== undefined && data.format !== PRESET_FILE_FORMAT)
      throw new PresetImportError(
        `This file is not a presets file: it says it is a "${printableText(String(data.format))}" file.`,
      );
    if (typeof data.version === 'number' && data.version > PRESET_FILE_VERSION)
      throw new PresetImportError(
        `This presets file was made by a newer version (format version ${data.version}) of RenderIO Desktop; update the app to import it.`,
      );
    // A version this app never wrote (0, "2", 1.5) is not guessed at: its fields may mean
    // something else. A file without a version (a hand-written list) is read as version 1.
    if (data.version !== undefined && data.version !== PRESET_FILE_VERSION)
      throw new PresetImportError(
        `This presets file has format version ${printableText(JSON.stringify(data.version))}, which this app does not know (it reads version ${PRESET_FILE_VERSION}).`,
      );
    items = data.presets;
  } else if (isRecord(data) && ('ffmpegCommand' in data || 'ffmpegCommands' in data))
    items = [data];
  else throw new PresetImportError('This file holds no presets.');

  if (items.length > MAX_IMPORT_PRESETS)
    throw new PresetImportError(
      `This file holds ${items.length} presets; at most ${MAX_IMPORT_PRESETS} can be imported at once.`,
    );
  const result: PresetImportResult = { presets: [], rejected: [] };
  const ids = new Set<string>();
  items.forEach((item, index) => {
    const candidate = isRecord(item) ? { ...item, source: 'custom' } : item;
    if (isRecord(candidate)) {
      delete candidate.remotePresetId;
      delete candidate.remoteInputKey;
      const id = typeof candidate.id === 'string' ? candidate.id : '';
      if (id !== '' && !id.startsWith('custom-')) candidate.id = `custom-${id}`;
    }
    const checked = validatePreset(candidate, options);
    const name = isRecord(item) && typeof item.name === 'string' ? item.name : null;
    if (!checked.ok) return result.rejected.push({ index, name, issues: checked.issues });
    // Said with the id as the file writes it ("tiny"), not as it would be kept ("custom-tiny").
    const firstId = isRecord(item) && typeof item.id === 'string' ? item.id : checked.preset.id;
    if (ids.has(checked.preset.id))
      return result.rejected.push({
        index,
        name,
        issues: [
          {
            loc: ['id'],
            msg: `the id "${printableText(firstId)}" appears twice in the file`,
            type: 'value_error',
          },
        ],
      });
    ids.add(checked.preset.id);
    result.presets.push(checked.preset);
  });
  return result;
}
