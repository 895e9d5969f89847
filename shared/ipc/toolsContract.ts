/**
 * The tools' rows of the IPC contract (issue 13): argument schemas and result types for the
 * preset editor, key profiles, the app's settings and watch folders. contract.ts spreads them
 * into ipcContract; main validates every argument with these schemas.
 */
import { z } from 'zod';
import type { Preset } from '../presetTypes';
import type { VaultStatus } from '../profileTypes';
import type { WatchFolderStatus } from '../watchTypes';
import { toolsChannels } from './toolsChannels';

/** Carries a result type alongside the schema (the same shape as contract.ts's rows). */
interface Row<S extends z.ZodType, R> {
  readonly channel: string;
  readonly args: S;
  readonly result?: R;
}
function row<R>() {
  return <S extends z.ZodType>(name: string, args: S): Row<S, R> => ({ channel: name, args });
}

const noArgs = z.undefined();
const idSchema = z.string().min(1).max(128);
const presetIdSchema = z.string().min(1).max(200);
const pathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'A path may not contain a NUL character.');
const kind = z.enum(['video', 'audio', 'image']);

/** What the editor sends: a whole custom preset without id or source (main checks the rest). */
export const presetInputSchema = z.strictObject({
  name: z.string().max(100),
  description: z.string().max(500).optional(),
  category: kind,
  accepts: z.array(kind).min(1).max(3),
  ffmpegCommand: z.string().max(20_000).optional(),
  ffmpegCommands: z.array(z.string().max(20_000)).min(1).max(20).optional(),
  outputs: z
    .array(
      z.strictObject({
        alias: z.string().min(1).max(64),
        extension: z.string().min(1).max(10),
        suffix: z.string().max(40).optional(),
      }),
    )
    .min(1)
    .max(10),
});
export type PresetInputArgs = z.infer<typeof presetInputSchema>;

/** An import's outcome: each refused preset with why; the others are imported whole. */
export interface PresetImportReport {
  imported: Preset[];
  rejected: { name: string; reason: string }[];
}

const profileName = z.string().max(200);
const baseUrl = z.string().min(1).max(2048);

export type ThemeChoice = 'system' | 'light' | 'dark';

/** The settings the Settings panel shows and changes. */
export interface ToolsSettings {
  concurrency: { uploads: number; remote: number; downloads: number };
  /** Delete the uploaded input and outputs on RenderIO after a successful download. */
  cleanupRemote: boolean;
  notifications: boolean;
  theme: ThemeChoice;
  /**
   * The shortest and longest wait between status polls of a command on RenderIO, in seconds
   * (shared/pollBounds.ts); applied to running jobs at their next poll.
   */
  pollIntervalSeconds: { min: number; max: number };
  /** The default preset per media kind, used by mixed drops (absent until the core has it). */
  defaultPresetByKind?: Partial<Record<'video' | 'audio' | 'image', string>>;
  /**
   * The ffmpeg chosen with "Choose ffmpeg…", or null for automatic. Read-only here: only main's
   * own dialog sets it (engine:choose-ffmpeg), never a patch from the page.
   */
  chosenFfmpeg?: string | null;
}

const limit = z.number().int().min(1).max(32);
export const toolsSettingsPatchSchema = z.strictObject({
  concurrency: z
    .strictObject({
      uploads: limit.optional(),
      remote: limit.optional(),
      downloads: limit.optional(),
    })
    .optional(),
  cleanupRemote: z.boolean().optional(),
  notifications: z.boolean().optional(),
  theme: z.enum(['system', 'light', 'dark']).optional(),
  // Any number passes here; main says which range each bound takes and that min ≤ max.
  pollIntervalSeconds: z
    .strictObject({ min: z.number().optional(), max: z.number().optional() })
    .optional(),
});

export const toolsContract = {
  presetEditor: {
    create: row<Preset>()(
      toolsChannels.presetEditor.create,
      z.strictObject({ preset: presetInputSchema }),
    ),
    update: row<Preset>()(
      toolsChannels.presetEditor.update,
      z.strictObject({ id: presetIdSchema, preset: presetInputSchema }),
    ),
    remove: row<void>()(toolsChannels.presetEditor.remove, z.strictObject({ id: presetIdSchema })),
    /** Any preset (built-in, custom, account with a command) as a new editable custom one. */
    duplicate: row<Preset>()(
      toolsChannels.presetEditor.duplicate,
      z.strictObject({ id: presetIdSchema }),
    ),
    /** Main opens the file dialog and reads the file; null when cancelled. */
    importFile: row<PresetImportReport | null>()(toolsChannels.presetEditor.importFile, noArgs),
    /** Main opens the save dialog and writes the file; the path written, or null when cancelled. */
    exportFile: row<string | null>()(
      toolsChannels.presetEditor.exportFile,
      z.strictObject({ ids: z.array(presetIdSchema).min(1).max(1000).optional() }).optional(),
    ),
  },
  profiles: {
    add: row<VaultStatus>()(
      toolsChannels.profiles.add,
      z.strictObject({ name: profileName, baseUrl }),
    ),
    /** Rename, or move to another address (which drops its key: it was not entered for it). */
    update: row<VaultStatus>()(
      toolsChannels.profiles.update,
      z.strictObject({
        profileId: idSchema,
        name: profileName.optional(),
        baseUrl: baseUrl.optional(),
      }),
    ),
    /** Removes a profile and its key here; the key stays valid at RenderIO. */
    remove: row<VaultStatus>()(
      toolsChannels.profiles.remove,
      z.strictObject({ profileId: idSchema }),
    ),
    /** The weak key store choice: true stores keys anyway (weakly protected), false undoes it. */
    setWeakStorage: row<VaultStatus>()(
      toolsChannels.profiles.setWeakStorage,
      z.strictObject({ allow: z.boolean() }),
    ),
  },
  appSettings: {
    get: row<ToolsSettings>()(toolsChannels.appSettings.get, noArgs),
    update: row<ToolsSettings>()(toolsChannels.appSettings.update, toolsSettingsPatchSchema),
  },
  watch: {
    list: row<WatchFolderStatus[]>()(toolsChannels.watch.list, noArgs),
    /** Main opens a folder dialog; only folders chosen there may be watched. null: cancelled. */
    pickFolder: row<string | null>()(toolsChannels.watch.pickFolder, noArgs),
    add: row<WatchFolderStatus>()(
      toolsChannels.watch.add,
      z.strictObject({ folder: pathSchema, presetId: presetIdSchema, outputDir: pathSchema }),
    ),
    setPaused: row<WatchFolderStatus>()(
      toolsChannels.watch.setPaused,
      z.strictObject({ id: idSchema, paused: z.boolean() }),
    ),
    remove: row<void>()(toolsChannels.watch.remove, z.strictObject({ id: idSchema })),
  },
} as const;
