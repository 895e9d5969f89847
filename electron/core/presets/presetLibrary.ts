/**
 * The preset library: built-in presets (shared/presets), custom presets the person makes
 * (persisted in `<dataDir>/presets.json`, atomic writes), and account presets listed from
 * `GET /api/v1/presets` when a cloud profile is active (run through `execute`). Custom presets
 * are validated with the same command-template rules as the engine before they are saved, so a
 * bad one is refused here rather than after an upload.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { MediaKind, Preset, PresetOutput } from '../../../shared/presetTypes';
import { PRESET_INPUT_ALIAS } from '../../../shared/presetTypes';
import type { PresetObject } from '../../../shared/renderioApi';
import { validateCommandTemplate, formatIssues } from '../../../shared/commandTemplate';
import { readJson, writeJsonAtomic } from '../files/atomicJson';
import { exportPresets, importPresets } from '../../../shared/presets';
import {
  PresetImportError,
  describePresetIssue,
  printableText,
} from '../../../shared/presets/presetValidation';

/**
 * Where account presets come from (the app: the active profile and its RenderIO client). The
 * library decides what it lists; the source only answers.
 */
export interface AccountPresetSource {
  /** The account whose presets belong in the list now (a profile id), or null when none is active. */
  activeAccount(): string | null;
  /** That account's presets, or null when it has none to offer (the local engine, no key). */
  listPresets(accountId: string): Promise<readonly PresetObject[] | null>;
}

export interface PresetLibraryOptions {
  dataDir: string;
  builtIns: readonly Preset[];
  /** Extra checks on a preset (shared/presets' validatePreset); problems as sentences. */
  validate?: (preset: Preset) => string[];
  /** Without one, refreshAccount() lists none. */
  account?: AccountPresetSource;
}

/** What a person edits: everything but the id and the source. */
export type PresetInput = Omit<
  Preset,
  'id' | 'source' | 'remotePresetId' | 'remoteInputKey' | 'unavailable'
> & {
  id?: string;
};

export interface PresetLibrary {
  list(): Preset[];
  get(id: string): Preset | undefined;
  create(input: PresetInput): Promise<Preset>;
  update(id: string, input: Partial<PresetInput>): Promise<Preset>;
  delete(id: string): Promise<void>;
  /** Imports custom presets from JSON text (an array or `{ presets: [...] }`). */
  importJson(
    text: string,
    options?: { allOrNothing?: boolean },
  ): Promise<{ imported: Preset[]; rejected: { name: string; reason: string }[] }>;
  /** Custom presets (all, or those ids) as JSON text. */
  exportJson(ids?: string[]): string;
  /** Replaces the account presets with what the account lists (call when a cloud profile is active). */
  setAccountPresets(objects: readonly PresetObject[]): Preset[];
  clearAccountPresets(): void;
  /**
   * Lists the active account's presets from the source and shows them; none for the local
   * engine or a profile without a key. Rejects when the account cannot be asked (offline, key
   * refused): another account's presets are gone from the list by then all the same.
   */
  refreshAccount(): Promise<Preset[]>;
  subscribe(listener: (presets: Preset[]) => void): () => void;
}

const KINDS: readonly MediaKind[] = ['video', 'audio', 'image'];

function isKind(value: unknown): value is MediaKind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

/** Problems with a custom preset, as sentences a person can act on. */
export function checkPreset(preset: Preset): string[] {
  const problems: string[] = [];
  if (typeof preset.name !== 'string' || preset.name.trim() === '')
    problems.push('The preset needs a name.');
  if (typeof preset.name === 'string' && preset.name.length > 100)
    problems.push('The name is longer than 100 characters.');
  if (!isKind(preset.category)) problems.push('The category must be video, audio or image.');
  if (
    !Array.isArray(preset.accepts) ||
    preset.accepts.length === 0 ||
    !preset.accepts.every(isKind)
  )
    problems.push('The preset must accept at least one of video, audio, image.');
  if (!Array.isArray(preset.outputs) || preset.outputs.length === 0) {
    problems.push('The preset needs at least one output.');
    return problems;
  }
  const outputFiles: Record<string, string> = {};
  for (const output of preset.outputs) {
    if (typeof output.extension !== 'string' || !/^[A-Za-z0-9]{1,10}$/.test(output.extension))
      problems.push(`Output ${String(output.alias)} needs an extension such as webm or mp3.`);
    outputFiles[String(output.alias)] = `output${output.suffix ?? ''}.${String(output.extension)}`;
  }
  const hasOne = typeof preset.ffmpegCommand === 'string';
  const hasMany = Array.isArray(preset.ffmpegCommands);
  if (hasOne === hasMany)
    problems.push('Give either one FFmpeg command or a list of chained commands.');
  const issues = validateCommandTemplate({
    input_files: { [PRESET_INPUT_ALIAS]: 'https://example.invalid/input' },
    output_files: outputFiles,
    ffmpeg_command: hasOne ? preset.ffmpegCommand : undefined,
    ffmpeg_commands: hasMany ? preset.ffmpegCommands : undefined,
  });
  if (issues.length > 0) problems.push(formatIssues(issues));
  return problems;
}

function normalizeCustom(input: PresetInput, id: string): Preset {
  const preset: Preset = {
    id,
    name: String(input.name ?? '').trim(),
    description: typeof input.description === 'string' ? input.description : '',
    category: input.category,
    accepts: Array.isArray(input.accepts) ? [...new Set(input.accepts)] : [],
    outputs: Array.isArray(input.outputs)
      ? input.outputs.map((o: PresetOutput) => ({
          alias: o.alias,
          extension:
            typeof o.extension === 'string'
              ? o.extension.replace(/^\./, '').toLowerCase()
              : o.extension,
          ...(o.suffix ? { suffix: o.suffix } : {}),
        }))
      : [],
    source: 'custom',
  };
  if (input.ffmpegCommands !== undefined) preset.ffmpegCommands = input.ffmpegCommands;
  else preset.ffmpegCommand = input.ffmpegCommand;
  return preset;
}

/**
 * Why the app cannot run an account preset, as a sentence, or null when it can. The app sends
 * one file per job, so a preset must take exactly one input; it must also make a file.
 */
function accountPresetProblem(object: PresetObject): string | null {
  const keys = Array.isArray(object.input_file_keys) ? object.input_file_keys : [];
  if (keys.length > 1)
    return `Takes ${keys.length} inputs (${keys.join(', ')}); RenderIO Desktop sends one file per job.`;
  if (keys.length === 0) return 'Takes no input file; RenderIO Desktop sends one file per job.';
  if (Object.keys(object.output_file_definitions ?? {}).length === 0)
    return 'Makes no output file, so there is nothing to download.';
  return null;
}

/**
 * An account preset as the app's Preset. One the app cannot run (not exactly one input, or no
 * output) is still returned, with `unavailable` saying why, so the person sees it and the
 * reason instead of wondering where it went; it has no `remoteInputKey`.
 */
export function fromAccountPreset(object: PresetObject): Preset {
  const outputs: PresetOutput[] = Object.entries(object.output_file_definitions ?? {}).map(
    ([alias, fileName]) => {
      const dot = fileName.lastIndexOf('.');
      return { alias, extension: dot > 0 ? fileName.slice(dot + 1).toLowerCase() : 'out' };
    },
  );
  const kind = isKind(object.category) ? object.category : null;
  const problem = accountPresetProblem(object);
  return {
    id: `account-${object.preset_id}`,
    name: object.name,
    description: object.description ?? '',
    category: kind ?? 'video',
    // The category names what a preset makes, not what it reads: let the server judge.
    accepts: [...KINDS],
    ...(object.ffmpeg_commands
      ? { ffmpegCommands: object.ffmpeg_commands }
      : { ffmpegCommand: object.ffmpeg_command ?? '' }),
    outputs:
      outputs.length > 1
        ? outputs.map((o, i) =>
            i === 0 ? o : { ...o, suffix: `-${o.alias.replace(/^out_/, '')}` },
          )
        : outputs,
    source: 'account',
    remotePresetId: object.preset_id,
    ...(problem === null
      ? { remoteInputKey: object.input_file_keys[0] }
      : { unavailable: problem }),
  };
}

export async function openPresetLibrary(options: PresetLibraryOptions): Promise<PresetLibrary> {
  const file = join(options.dataDir, 'presets.json');
  const builtIns = new Map(options.builtIns.map((p) => [p.id, p]));
  const custom = new Map<string, Preset>();
  let account: Preset[] = [];
  /** The account whose presets `account` holds (null: none held). */
  let accountOf: string | null = null;
  const listeners = new Set<(presets: Preset[]) => void>();

  // The host's full check (shared/presets' validatePreset with the command rules) covers
  // everything checkPreset does; running both listed one problem twice in other words.
  const problemsOf = (preset: Preset): string[] =>
    options.validate ? options.validate(preset) : checkPreset(preset);

  const saved = await readJson(file).catch(() => undefined);
  const savedList = (saved as { presets?: unknown } | undefined)?.presets;
  if (Array.isArray(savedList)) {
    for (const raw of savedList as Preset[]) {
      if (
        raw &&
        typeof raw.id === 'string' &&
        raw.id.startsWith('custom-') &&
        problemsOf(raw).length === 0
      ) {
        // Only account presets can be unavailable: a hand-edited file cannot make a custom one so.
        const { unavailable: _unavailable, ...preset } = raw;
        custom.set(raw.id, { ...preset, source: 'custom' });
      }
    }
  }

  const persist = async (): Promise<void> => {
    await writeJsonAtomic(file, { version: 1, presets: [...custom.values()] });
  };
  const notify = (): void => {
    const all = library.list();
    for (const listener of listeners) listener(all);
  };
  const mustBeCustom = (id: string): Preset => {
    const preset = custom.get(id);
    if (preset) return preset;
    if (builtIns.has(id))
      throw new Error(
        'Built-in presets cannot be changed; duplicate it as a custom preset instead.',
      );
    if (account.some((p) => p.id === id))
      throw new Error('Account presets are changed on RenderIO, not here.');
    throw new Error(`No preset with id "${id}".`);
  };
  const ensureValid = (preset: Preset): void => {
    const problems = problemsOf(preset);
    if (problems.length > 0)
      throw new Error(
        `The preset "${preset.name || '(unnamed)'}" is not valid:\n${problems.join('\n')}`,
      );
  };

  const library: PresetLibrary = {
    list: () => [...builtIns.values(), ...custom.values(), ...account],
    get: (id) => builtIns.get(id) ?? custom.get(id) ?? account.find((p) => p.id === id),
    async create(input) {
      const preset = normalizeCustom(input, `custom-${randomUUID()}`);
      ensureValid(preset);
      custom.set(preset.id, preset);
      await persist();
      notify();
      return preset;
    },
    async update(id, input) {
      const current = mustBeCustom(id);
      const { ffmpegCommand, ffmpegCommands, ...rest } = current;
      const merged: PresetInput = { ...rest, ...input };
      if (input.ffmpegCommand !== undefined || input.ffmpegCommands !== undefined) {
        if (input.ffmpegCommands !== undefined) merged.ffmpegCommands = input.ffmpegCommands;
        else merged.ffmpegCommand = input.ffmpegCommand;
      } else if (ffmpegCommands !== undefined) merged.ffmpegCommands = ffmpegCommands;
      else merged.ffmpegCommand = ffmpegCommand;
      const preset = normalizeCustom(merged, id);
      ensureValid(preset);
      custom.set(id, preset);
      await persist();
      notify();
      return preset;
    },
    async delete(id) {
      mustBeCustom(id);
      custom.delete(id);
      await persist();
      notify();
    },
    async importJson(text, importOptions = {}) {
      // The shared reader knows the export format (and bare arrays); it throws on a file that
      // holds no presets, in one sentence a person reads ("This file is not a presets file: it
      // is not JSON."), which is said as it is.
      let parsed: ReturnType<typeof importPresets>;
      try {
        parsed = importPresets(text);
      } catch (error) {
        if (error instanceof PresetImportError) throw new Error(error.message, { cause: error });
        throw error;
      }
      const imported: Preset[] = [];
      // Names come from the file: a control or invisible character in one is shown escaped
      // ("Bell\u0007"), never echoed raw into the report.
      const rejected: { name: string; reason: string }[] = parsed.rejected.map((r) => ({
        name: r.name !== null ? printableText(r.name) : `(preset ${r.index + 1})`,
        reason: r.issues.map(describePresetIssue).join(' '),
      }));
      for (const raw of parsed.presets) {
        // Imported presets always get a new id: an import never replaces a preset silently.
        const preset = normalizeCustom(raw, `custom-${randomUUID()}`);
        const problems = problemsOf(preset);
        if (problems.length > 0)
          rejected.push({ name: printableText(raw.name), reason: problems.join(' ') });
        else imported.push(preset);
      }
      // The CLI refuses a file with any bad preset as a whole: nothing of it is kept.
      if (importOptions.allOrNothing === true && rejected.length > 0)
        return { imported: [], rejected };
      for (const preset of imported) custom.set(preset.id, preset);
      if (imported.length > 0) {
        await persist();
        notify();
      }
      return { imported, rejected };
    },
    exportJson(ids) {
      return exportPresets([...custom.values()].filter((p) => !ids || ids.includes(p.id)));
    },
    setAccountPresets(objects) {
      // Every preset the account lists is shown; those the app cannot run carry `unavailable`.
      account = objects.map(fromAccountPreset);
      // Whose they are is known to refreshAccount only.
      accountOf = null;
      notify();
      return account;
    },
    clearAccountPresets() {
      accountOf = null;
      if (account.length === 0) return;
      account = [];
      notify();
    },
    async refreshAccount() {
      const source = options.account;
      const accountId = source?.activeAccount() ?? null;
      // Another account's presets must not stay listed under this one, even if its own
      // cannot be listed now (offline, key refused).
      if (accountId === null || accountOf !== accountId) library.clearAccountPresets();
      if (source === undefined || accountId === null) return [];
      const objects = await source.listPresets(accountId);
      if (objects === null) return [];
      // System presets of the service are listed too. Those the app cannot run (several
      // inputs, or none) are kept with `unavailable`: shown disabled, refused by the queue.
      const listed = library.setAccountPresets(objects);
      accountOf = accountId;
      return listed;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return library;
}
