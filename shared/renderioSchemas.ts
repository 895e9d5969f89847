/**
 * Schemas of RenderIO's answers, checked at the wire edge (electron/core/client) before the app
 * reads them. What the app acts on is required and checked (ids, statuses, URLs' types); what
 * renderio-api.md says may differ between the cloud and the engine is tolerated:
 * - fields the app does not know are kept (loose objects);
 * - media fields are nullable, and a missing or odd one reads as null;
 * - fields the app only displays or ignores fall back to the value that changes nothing it does
 *   when absent (null, false, an empty list), as the cloud's older or sparser objects may omit
 *   them;
 * - run-multiple's answer key is undocumented: `command_ids` (the engine) or `commands` (ids or
 *   submit objects) both read as `command_ids`.
 * The output of each schema is the wire type of renderioApi.ts (checked below at compile time),
 * so the rest of the app keeps one set of types, the engine's too. `parseAnswer` turns a failed
 * parse into words that name what was missing or wrong.
 */
import { z } from 'zod';
import {
  COMMAND_STATUSES,
  type CommandList,
  type CommandObject,
  type Metadata,
  type OutputFile,
  type PresetObject,
  type StoredFile,
  type SubmitResponse,
} from './renderioApi';

const FILE_STATUSES = ['PROCESSING', 'STORED', 'FAILED'] as const;
const COMMAND_TYPES = ['FFMPEG_COMMAND', 'CHAINED_COMMAND', 'MULTIPLE_COMMAND'] as const;
const STORE_TYPES = ['OUTPUT', 'STORED_FILE', 'UPLOAD'] as const;

const id = z.string().min(1);
/** A field the app only shows: absent, null or of another type, it reads as null. */
const numberOrNull = z.number().nullable().catch(null);
const stringOrNull = z.string().nullable().catch(null);

/** Metadata as echoed back: string, number and boolean values; anything else is dropped. */
const metadataSchema = z
  .record(z.string(), z.unknown())
  .nullable()
  .catch(null)
  .transform((m): Metadata | null => {
    if (m === null) return null;
    const out: Metadata = {};
    for (const [k, v] of Object.entries(m))
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    return out;
  });

const mediaFields = {
  size_mbytes: numberOrNull,
  duration: numberOrNull,
  file_type: z.enum(['video', 'audio', 'image']).nullable().catch(null),
  file_format: stringOrNull,
  codec: stringOrNull,
  pixel_format: stringOrNull,
  mime_type: stringOrNull,
  width: numberOrNull,
  height: numberOrNull,
  frame_rate: numberOrNull,
  bitrate_video_kb: numberOrNull,
  bitrate_audio_kb: numberOrNull,
  sample_rate: numberOrNull,
  channels: numberOrNull,
};

/** `{"file_id"}`: the answer to an upload or a store-file. */
export const fileIdAnswerSchema = z.looseObject({ file_id: id });

/** `{"command_id"}`: the answer to a submit (200 or 202) or a preset's execute. */
export const submitAnswerSchema = z.looseObject({ command_id: id });

/** `GET /files/:id`. */
export const storedFileSchema = z.looseObject({
  file_id: id,
  status: z.enum(FILE_STATUSES),
  storage_url: z.string().nullable().default(null),
  rendi_store_type: z.enum(STORE_TYPES).catch('UPLOAD'),
  is_deleted: z.boolean().catch(false),
  original_file_url: stringOrNull,
  error_status: stringOrNull,
  error_message: stringOrNull,
  created_at: z.string().catch(''),
  ...mediaFields,
});

/**
 * `GET /files`: a file the app cannot read (no id, an unknown status) is left out; the list
 * itself is required.
 */
export const fileListSchema = z.looseObject({ files: z.array(z.unknown()) }).transform((l) => ({
  files: l.files.flatMap((f) => {
    const parsed = storedFileSchema.safeParse(f);
    return parsed.success ? [parsed.data] : [];
  }),
}));

/** One output of a command: what the download needs is its file id and (once stored) URL. */
export const outputFileSchema = z.looseObject({
  file_id: id,
  storage_url: z.string().nullable().default(null),
  status: z.enum(FILE_STATUSES).catch('STORED'),
  rendi_store_type: z.literal('OUTPUT').catch('OUTPUT'),
  is_deleted: z.boolean().catch(false),
  /** The name the command gave it: its extension names the format. */
  filename: z.string().catch(''),
  ...mediaFields,
});

/** `GET /commands/:id`, and each item of `GET /commands`. */
export const commandSchema = z.looseObject({
  command_id: id,
  status: z.enum(COMMAND_STATUSES as [CommandObject['status'], ...CommandObject['status'][]]),
  command_type: z.enum(COMMAND_TYPES).catch('FFMPEG_COMMAND'),
  total_processing_seconds: numberOrNull,
  ffmpeg_command_run_seconds: numberOrNull,
  metadata: metadataSchema,
  error_status: stringOrNull,
  error_message: stringOrNull,
  original_request: z
    .looseObject({
      input_files: z.record(z.string(), z.string()).catch({}),
      output_files: z.record(z.string(), z.string()).catch({}),
      ffmpeg_command: z.string().optional().catch(undefined),
      ffmpeg_commands: z.array(z.string()).optional().catch(undefined),
    })
    .catch({ input_files: {}, output_files: {} }),
  output_files: z
    .record(z.string(), outputFileSchema)
    .nullable()
    .default({})
    .transform((o) => o ?? {}),
  created_at: z.string().optional().catch(undefined),
  /** Engine-only (0..1 while PROCESSING); never required, never an error. */
  progress: z.number().nullable().optional().catch(undefined),
});

/** `GET /commands`: limit and offset fall back to what was asked. */
export function commandListSchema(asked: { limit?: number; offset?: number }) {
  return z
    .looseObject({
      commands: z.array(commandSchema),
      limit: z.number().optional().catch(undefined),
      offset: z.number().optional().catch(undefined),
    })
    .transform((l): CommandList => ({
      commands: l.commands,
      limit: l.limit ?? asked.limit ?? l.commands.length,
      offset: l.offset ?? asked.offset ?? 0,
    }));
}

/** Run-multiple's answer, whichever key the server uses, as `command_ids`. */
export const runMultipleAnswerSchema = z
  .union(
    [
      z.looseObject({ command_ids: z.array(id) }),
      z.looseObject({ commands: z.array(z.union([id, submitAnswerSchema])) }),
    ],
    { error: 'expected a list of command ids (command_ids or commands)' },
  )
  .transform((a) => ({
    command_ids:
      'command_ids' in a && Array.isArray(a.command_ids)
        ? a.command_ids
        : (a as { commands: (string | SubmitResponse)[] }).commands.map((c) =>
            typeof c === 'string' ? c : c.command_id,
          ),
  }));

/** A preset object (own or system). */
export const presetSchema = z.looseObject({
  preset_id: id,
  name: z.string(),
  description: stringOrNull,
  is_system: z.boolean().catch(false),
  category: stringOrNull,
  command_type: z.enum(COMMAND_TYPES).catch('FFMPEG_COMMAND'),
  ffmpeg_command: stringOrNull,
  ffmpeg_commands: z.array(z.string()).nullable().catch(null),
  input_file_keys: z.array(z.string()).catch([]),
  output_file_definitions: z.record(z.string(), z.string()).catch({}),
  metadata: metadataSchema,
  created_at: z.string().catch(''),
  updated_at: z.string().catch(''),
});

/**
 * `GET /presets`: a preset the app cannot read is left out (one broken preset does not hide
 * the others); the list itself is required.
 */
export const presetListSchema = z.looseObject({ presets: z.array(z.unknown()) }).transform((l) => ({
  presets: l.presets.flatMap((p) => {
    const parsed = presetSchema.safeParse(p);
    return parsed.success ? [parsed.data] : [];
  }),
}));

/** A deletion's answer: `{"deleted", ...}`, or no body at all (204). */
export const deletionAnswerSchema = z
  .looseObject({
    deleted: z.boolean().optional().catch(undefined),
    file_id: z.string().optional().catch(undefined),
    files_deleted: z.number().optional().catch(undefined),
  })
  .nullable();

/**
 * Parses an answer: its value, or what was missing or wrong in it, for a protocol error: each
 * problem as its path and what was expected, e.g. `status: missing` or
 * `status: expected one of PROCESSING, STORED, FAILED`.
 */
export function parseAnswer<S extends z.ZodType>(
  schema: S,
  json: unknown,
): { ok: true; value: z.output<S> } | { ok: false; problem: string } {
  const parsed = schema.safeParse(json, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: describeIssues(parsed.error.issues) };
}

function describeIssues(issues: readonly z.core.$ZodIssue[], limit = 3): string {
  const parts = issues.slice(0, limit).map((issue) => {
    const path = issue.path.map(String).join('.');
    const what = issueWords(issue);
    return path === '' ? what : `${path}: ${what}`;
  });
  const more = issues.length - limit;
  return parts.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function issueWords(issue: z.core.$ZodIssue): string {
  if (issue.input === undefined && issue.path.length > 0) return 'missing';
  if (issue.code === 'invalid_type')
    return `expected ${issue.expected}, got ${typeName(issue.input)}`;
  if (issue.code === 'invalid_value')
    return `expected one of ${issue.values.map((v) => String(v)).join(', ')}`;
  if (issue.code === 'too_small') return 'empty';
  return issue.message;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// The schemas' output is the wire type the rest of the app (and the engine) uses.
type Yields<S extends z.ZodType, T> = z.output<S> extends T ? true : never;
const outputsMatch: [
  Yields<typeof storedFileSchema, StoredFile>,
  Yields<typeof outputFileSchema, OutputFile>,
  Yields<typeof commandSchema, CommandObject>,
  Yields<typeof presetSchema, PresetObject>,
  Yields<typeof submitAnswerSchema, SubmitResponse>,
] = [true, true, true, true, true];
void outputsMatch;
