/**
 * The command-template rules of the RenderIO API (renderio-api.md, "Alias and placeholder
 * rules"), shared by the engine (which answers 422 with these issues) and the app (which
 * checks custom presets before anything is uploaded).
 */

/** One validation problem, in the shape of a RenderIO 422 `detail` entry. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: 'value_error' | 'type_error' | 'missing';
}

export const ALIAS_CHARACTERS = /^[A-Za-z0-9_]+$/;
export const MAX_CHAINED_COMMANDS = 10;
export const MAX_METADATA_KEYS = 10;

// `{{alias}}` (documented everywhere) and `<<alias>>` (newer docs). The alias part is matched
// loosely so that a bad alias inside a placeholder is reported rather than ignored.
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}|<<\s*([^<>]*?)\s*>>/g;
// A single-brace `{in_x}` / `{out_x}` that is not part of a double-brace placeholder: a
// common mistake that would otherwise reach ffmpeg as a literal file name.
const SINGLE_BRACE = /(?<!\{)\{\s*((?:in|out)_[A-Za-z0-9_]*)\s*\}(?!\})/g;

export interface PlaceholderUse {
  alias: string;
  /** The exact text in the command, e.g. `{{in_video}}` or `<<in_video>>`. */
  token: string;
  index: number;
}

export function findPlaceholders(command: string): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  for (const match of command.matchAll(PLACEHOLDER)) {
    uses.push({ alias: (match[1] ?? match[2] ?? '').trim(), token: match[0], index: match.index });
  }
  return uses;
}

/** Drops one leading `ffmpeg` word (the API allows `ffmpeg -i ...` as well as `-i ...`). */
export function stripLeadingFfmpeg(command: string): string {
  return command.replace(/^\s*ffmpeg(?:\.exe)?(?=\s|$)\s*/i, '').trim();
}

/** Replaces every placeholder with the value the resolver gives for its alias. */
export function substitutePlaceholders(
  command: string,
  resolve: (alias: string) => string,
): string {
  return command.replace(PLACEHOLDER, (_token, a?: string, b?: string) =>
    resolve((a ?? b ?? '').trim()),
  );
}

/** Why an output file name is not acceptable, or null. Output names are plain file names. */
export function describeOutputNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.trim() === '') return 'must be a non-empty file name';
  if (/[/\\]/.test(name)) return 'must be a plain file name without path separators';
  if (name === '.' || name === '..' || name.includes('..')) return 'must not contain ".."';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\0-\x1f<>:"|?*]/.test(name)) return 'contains a character not allowed in file names';
  if (name.startsWith('-')) return 'must not start with "-" (ffmpeg would read it as an option)';
  if (!/\.[A-Za-z0-9]+$/.test(name)) return 'needs an extension, which picks the output format';
  if (name.length > 200) return 'is longer than 200 characters';
  return null;
}

export interface CommandTemplate {
  input_files: unknown;
  output_files: unknown;
  /** One command (run-ffmpeg-command) ... */
  ffmpeg_command?: unknown;
  /** ... or several run in order in one sandbox (run-chained-ffmpeg-commands). */
  ffmpeg_commands?: unknown;
  metadata?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkAliases(
  field: 'input_files' | 'output_files',
  value: unknown,
  prefix: 'in_' | 'out_',
  issues: ValidationIssue[],
): string[] {
  if (!isPlainObject(value)) {
    issues.push({
      loc: [field],
      msg: `${field} must be an object of alias → ${prefix === 'in_' ? 'URL' : 'file name'}`,
      type: 'type_error',
    });
    return [];
  }
  const aliases: string[] = [];
  for (const [alias, target] of Object.entries(value)) {
    aliases.push(alias);
    if (!alias.startsWith(prefix))
      issues.push({
        loc: [field, alias],
        msg: `alias "${alias}" must start with "${prefix}"`,
        type: 'value_error',
      });
    else if (!ALIAS_CHARACTERS.test(alias))
      issues.push({
        loc: [field, alias],
        msg: `alias "${alias}" may contain only letters, digits and "_"`,
        type: 'value_error',
      });
    if (typeof target !== 'string' || target.trim() === '') {
      issues.push({
        loc: [field, alias],
        msg: `value of "${alias}" must be a non-empty string`,
        type: 'type_error',
      });
    } else if (prefix === 'out_') {
      const problem = describeOutputNameProblem(target);
      if (problem)
        issues.push({
          loc: [field, alias],
          msg: `output file name "${target}" ${problem}`,
          type: 'value_error',
        });
    }
  }
  return aliases;
}

/**
 * Checks a command request against the API's rules. Returns the issues (empty when valid).
 * Input URLs are not checked here beyond being strings: which schemes are acceptable is the
 * engine's policy, and the app fills them in itself.
 */
export function validateCommandTemplate(request: CommandTemplate): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const inputs = checkAliases('input_files', request.input_files, 'in_', issues);
  const outputs = checkAliases('output_files', request.output_files, 'out_', issues);
  if (isPlainObject(request.input_files) && inputs.length === 0)
    issues.push({
      loc: ['input_files'],
      msg: 'at least one input file is required',
      type: 'value_error',
    });
  if (isPlainObject(request.output_files) && outputs.length === 0)
    issues.push({
      loc: ['output_files'],
      msg: 'at least one output file is required',
      type: 'value_error',
    });

  let commands: { text: string; loc: (string | number)[] }[] = [];
  if (request.ffmpeg_commands !== undefined) {
    if (!Array.isArray(request.ffmpeg_commands) || request.ffmpeg_commands.length === 0) {
      issues.push({
        loc: ['ffmpeg_commands'],
        msg: 'ffmpeg_commands must be a non-empty array of strings',
        type: 'type_error',
      });
    } else {
      if (request.ffmpeg_commands.length > MAX_CHAINED_COMMANDS)
        issues.push({
          loc: ['ffmpeg_commands'],
          msg: `at most ${MAX_CHAINED_COMMANDS} commands can be chained`,
          type: 'value_error',
        });
      request.ffmpeg_commands.forEach((text, i) => {
        if (typeof text !== 'string' || text.trim() === '')
          issues.push({
            loc: ['ffmpeg_commands', i],
            msg: 'each command must be a non-empty string',
            type: 'type_error',
          });
        else commands.push({ text, loc: ['ffmpeg_commands', i] });
      });
    }
  } else if (
    typeof request.ffmpeg_command === 'string' &&
    stripLeadingFfmpeg(request.ffmpeg_command) !== ''
  ) {
    commands = [{ text: request.ffmpeg_command, loc: ['ffmpeg_command'] }];
  } else {
    issues.push({
      loc: ['ffmpeg_command'],
      msg:
        request.ffmpeg_command === undefined
          ? 'field required'
          : 'ffmpeg_command must be a non-empty string',
      type: request.ffmpeg_command === undefined ? 'missing' : 'type_error',
    });
  }

  const declared = new Set([...inputs, ...outputs]);
  const used = new Set<string>();
  for (const { text, loc } of commands) {
    for (const match of text.matchAll(SINGLE_BRACE)) {
      issues.push({
        loc,
        msg: `"${match[0]}" uses single braces; write {{${match[1]}}}`,
        type: 'value_error',
      });
    }
    for (const use of findPlaceholders(text)) {
      if (!ALIAS_CHARACTERS.test(use.alias))
        issues.push({
          loc,
          msg: `placeholder ${use.token} is not a valid alias`,
          type: 'value_error',
        });
      else if (!declared.has(use.alias))
        issues.push({
          loc,
          msg: `placeholder ${use.token} names no declared input or output file`,
          type: 'value_error',
        });
      used.add(use.alias);
    }
  }
  if (commands.length > 0) {
    for (const alias of inputs)
      if (!used.has(alias))
        issues.push({
          loc: ['input_files', alias],
          msg: `input "${alias}" is declared but not used in the command`,
          type: 'value_error',
        });
    for (const alias of outputs)
      if (!used.has(alias))
        issues.push({
          loc: ['output_files', alias],
          msg: `output "${alias}" is declared but not used in the command`,
          type: 'value_error',
        });
  }

  if (request.metadata !== undefined && request.metadata !== null) {
    if (!isPlainObject(request.metadata)) {
      issues.push({ loc: ['metadata'], msg: 'metadata must be an object', type: 'type_error' });
    } else {
      const entries = Object.entries(request.metadata);
      if (entries.length > MAX_METADATA_KEYS)
        issues.push({
          loc: ['metadata'],
          msg: `metadata may have at most ${MAX_METADATA_KEYS} keys`,
          type: 'value_error',
        });
      for (const [key, value] of entries)
        if (!['string', 'number', 'boolean'].includes(typeof value))
          issues.push({
            loc: ['metadata', key],
            msg: 'metadata values must be strings, numbers or booleans',
            type: 'type_error',
          });
    }
  }
  return issues;
}

/** One line per issue, for error messages shown to a person. */
export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('\n');
}
