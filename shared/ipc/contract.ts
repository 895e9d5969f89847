/**
 * The one IPC contract between the renderer and main. Every invoke channel has a zod schema
 * for its argument (main validates with it: the renderer is untrusted) and a result type;
 * one push channel carries throttled queue patches. `createRendererApi` builds
 * `window.renderio` from this table, and `electron/core/ipc` registers a handler for every
 * row, so a channel cannot exist on one side only.
 */
import { z } from 'zod';
import { describeTemplateProblem } from '../fileNameTemplate';
import {
  ENGINE_STATUS_CHANNEL,
  ipcChannels,
  QUEUE_UPDATE_CHANNEL,
  type IpcChannels,
} from './channels';
import type { EngineRestartResult, FfmpegChoiceResult, LocalEngineStatus } from '../localEngine';
import {
  MAX_SELECTED_IDS,
  type AddJobsResult,
  type BulkResult,
  type JobBrief,
  type LocateSourceResult,
  type QueuePatch,
  type QueueSnapshot,
  type QueueWindow,
} from '../jobs';
import type { JobDetails } from '../jobDetails';
import type { MediaKind, Preset } from '../presetTypes';
import type { VaultStatus } from '../profileTypes';
import { historyContract } from './historyContract';
import { toolsContract } from './toolsContract';
export type { PresetImportReport, ThemeChoice, ToolsSettings } from './toolsContract';

/** A path the renderer names: main still stats, expands and checks it. */
const pathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'A path may not contain a NUL character.');
const idSchema = z.string().min(1).max(128);
const presetIdSchema = z.string().min(1).max(200);
export const collisionSchema = z.enum(['rename', 'overwrite', 'skip']);
const nameTemplateSchema = z
  .string()
  .max(255)
  .superRefine((t, ctx) => {
    const problem = describeTemplateProblem(t);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const addJobsSchema = z.strictObject({
  paths: z.array(pathSchema).min(1).max(10_000),
  presetId: presetIdSchema,
  outputDir: pathSchema.nullable().optional(),
  nameTemplate: nameTemplateSchema.optional(),
  collision: collisionSchema.optional(),
  mirrorTree: z.boolean().optional(),
  again: z.boolean().optional(),
});

/** The output choices the UI keeps between sessions (main persists them). */
export interface OutputSettings {
  defaultPresetId: string;
  /** null: next to each source file. */
  outputDir: string | null;
  nameTemplate: string;
  collision: z.infer<typeof collisionSchema>;
  mirrorTree: boolean;
  /** The preset a file gets when the picked one cannot take its kind (video, audio, image). */
  kindDefaults: Record<MediaKind, string>;
}

/** A change to the output settings: any field, and any of the kinds' default presets. */
export type OutputSettingsPatch = Partial<Omit<OutputSettings, 'kindDefaults'>> & {
  kindDefaults?: Partial<Record<MediaKind, string>>;
};

export const outputSettingsPatchSchema = z.strictObject({
  defaultPresetId: presetIdSchema.optional(),
  outputDir: pathSchema.nullable().optional(),
  nameTemplate: nameTemplateSchema.optional(),
  collision: collisionSchema.optional(),
  mirrorTree: z.boolean().optional(),
  kindDefaults: z
    .strictObject({
      video: presetIdSchema.optional(),
      audio: presetIdSchema.optional(),
      image: presetIdSchema.optional(),
    })
    .optional(),
  again: z.boolean().optional(),
});

/** Which jobs took the new preset, and why the others did not. */
export interface ApplyPresetResult {
  applied: string[];
  skipped: { id: string; reason: string }[];
}

/**
 * "Run jobs on" after a key was saved: 'switched' (new jobs now run on the key's profile,
 * because the local engine had only been the default and the key was verified), 'offered'
 * (the person decides: they chose the local engine, the session was started with
 * RENDERIO_API_KEY, or the key could not be checked), 'unchanged' (it already runs jobs).
 */
/** The presets after asking the active RenderIO account for its own. */
export interface AccountPresetsResult {
  presets: Preset[];
  /** Why the account's presets could not be listed (offline, key refused), or null. */
  accountError: string | null;
}

export type RunJobsOnChange = 'switched' | 'offered' | 'unchanged';

/** What a key entry (clipboard, file) reports back: status and a sentence, never the key. */
export type KeyEntryResult =
  | {
      outcome: 'saved';
      message: string;
      status: VaultStatus;
      /** The profile the key was saved to. */
      profileId: string;
      /** true: the API accepted the key; null: it could not be checked and is kept unverified. */
      verified: boolean | null;
      runJobsOn: RunJobsOnChange;
    }
  | { outcome: 'cancelled'; message: string; status: VaultStatus };

const noArgs = z.undefined();
/** The jobs an action on the selection names: a whole queue of them at most. */
const selectedIdsArgs = z.strictObject({
  ids: z.array(idSchema).min(1).max(MAX_SELECTED_IDS),
});
export const jobChangeSchema = z
  .strictObject({
    ids: z.array(idSchema).min(1).max(MAX_SELECTED_IDS),
    presetId: presetIdSchema.optional(),
    outputDir: pathSchema.nullable().optional(),
    nameTemplate: nameTemplateSchema.optional(),
  })
  .refine(
    (c) => c.presetId !== undefined || c.outputDir !== undefined || c.nameTemplate !== undefined,
    'Nothing to change: name a preset, an output folder or a name template.',
  );
const jobIdArgs = z.strictObject({ id: idSchema });
const profileArgs = z.strictObject({ profileId: idSchema.optional() }).optional();
/** `sessionOnly`: keep the key in memory for this session (the choice offered on a weak key store). */
const keyEntryArgs = z
  .strictObject({ profileId: idSchema.optional(), sessionOnly: z.boolean().optional() })
  .optional();

/** Carries a result type alongside the schema without a runtime value. */
interface Channel<S extends z.ZodType, R> {
  readonly channel: string;
  readonly args: S;
  /** Type-only marker; always undefined at run time. */
  readonly result?: R;
}
function channel<R>() {
  return <S extends z.ZodType>(name: string, args: S): Channel<S, R> => ({ channel: name, args });
}

export const ipcContract = {
  queue: {
    snapshot: channel<QueueSnapshot>()(ipcChannels.queue.snapshot, noArgs),
    add: channel<AddJobsResult>()(ipcChannels.queue.add, addJobsSchema),
    pauseAll: channel<void>()(ipcChannels.queue.pauseAll, noArgs),
    resumeAll: channel<void>()(ipcChannels.queue.resumeAll, noArgs),
    stopAfterRunning: channel<void>()(ipcChannels.queue.stopAfterRunning, noArgs),
    retryAllFailed: channel<void>()(ipcChannels.queue.retryAllFailed, noArgs),
    retryNow: channel<void>()(ipcChannels.queue.retryNow, noArgs),
    clearFinished: channel<void>()(ipcChannels.queue.clearFinished, noArgs),
    /** A slice of the queue: the first paint asks for one page and the count, not every job. */
    window: channel<QueueWindow>()(
      ipcChannels.queue.window,
      z.strictObject({
        offset: z.number().int().nonnegative().max(10_000_000),
        limit: z.number().int().min(1).max(500),
      }),
    ),
    /** Every job id in order, without the jobs (fetched after the first paint). */
    ids: channel<string[]>()(ipcChannels.queue.ids, noArgs),
    /** Every job's stage and kind, in order: which actions apply to a selection off screen. */
    briefs: channel<JobBrief[]>()(ipcChannels.queue.briefs, noArgs),
  },
  jobs: {
    cancel: channel<void>()(ipcChannels.jobs.cancel, jobIdArgs),
    retry: channel<void>()(ipcChannels.jobs.retry, jobIdArgs),
    remove: channel<void>()(
      ipcChannels.jobs.remove,
      z.strictObject({ ids: z.array(idSchema).min(1).max(10_000) }),
    ),
    move: channel<void>()(
      ipcChannels.jobs.move,
      z.strictObject({ id: idSchema, direction: z.enum(['up', 'down', 'top', 'bottom']) }),
    ),
    /** The row's Cancel, Retry and Remove over the selection, with what was not done and why. */
    cancelMany: channel<BulkResult>()(ipcChannels.jobs.cancelMany, selectedIdsArgs),
    retryMany: channel<BulkResult>()(ipcChannels.jobs.retryMany, selectedIdsArgs),
    removeMany: channel<BulkResult>()(ipcChannels.jobs.removeMany, selectedIdsArgs),
    /** Change… : queued jobs' own preset, output folder or name template (never the defaults). */
    change: channel<BulkResult>()(ipcChannels.jobs.change, jobChangeSchema),
    /** Shows the job's first output in the file manager; main looks the path up itself. */
    reveal: channel<void>()(ipcChannels.jobs.reveal, jobIdArgs),
    /**
     * "Locate…" on a job whose source is gone: main asks for the file in a native dialog (the
     * path never comes from the page) and runs the job again from it. null: the dialog was
     * cancelled.
     */
    locateSource: channel<LocateSourceResult | null>()(ipcChannels.jobs.locateSource, jobIdArgs),
    /** Opens the job's first output in its default app; main looks the path up itself. */
    open: channel<void>()(ipcChannels.jobs.open, jobIdArgs),
    /** Drags the job's first output out of the window (webContents.startDrag in main). */
    startDrag: channel<void>()(ipcChannels.jobs.startDrag, jobIdArgs),
    /** Stage times, the command, the server's or ffmpeg's words. */
    details: channel<JobDetails>()(ipcChannels.jobs.details, jobIdArgs),
  },
  presets: {
    list: channel<Preset[]>()(ipcChannels.presets.list, noArgs),
    /** Lists the active cloud profile's presets again (none for this computer). */
    refreshAccount: channel<AccountPresetsResult>()(ipcChannels.presets.refreshAccount, noArgs),
  },
  // The tools of issue 13 (toolsContract.ts): preset editor, key profiles, settings, watch folders.
  ...toolsContract,
  settings: {
    get: channel<OutputSettings>()(ipcChannels.settings.get, noArgs),
    update: channel<OutputSettings>()(ipcChannels.settings.update, outputSettingsPatchSchema),
  },
  vault: {
    status: channel<VaultStatus>()(ipcChannels.vault.status, noArgs),
    /** Main reads the clipboard itself: the key never passes through the renderer. */
    pasteFromClipboard: channel<KeyEntryResult>()(
      ipcChannels.vault.pasteFromClipboard,
      keyEntryArgs,
    ),
    /** Main opens a native file dialog and reads the file itself. */
    importFromFile: channel<KeyEntryResult>()(ipcChannels.vault.importFromFile, keyEntryArgs),
    clear: channel<VaultStatus>()(ipcChannels.vault.clear, profileArgs),
    /**
     * "Run jobs on": the profile new jobs use. Refused for a profile without a key; jobs
     * already queued keep the profile they were queued with.
     */
    setActive: channel<VaultStatus>()(
      ipcChannels.vault.setActive,
      z.strictObject({ profileId: idSchema }),
    ),
  },
  dialogs: {
    /** Native open dialog in main; an empty list when cancelled. */
    pickSources: channel<string[]>()(
      ipcChannels.dialogs.pickSources,
      z.strictObject({ kind: z.enum(['files', 'folder']) }),
    ),
    pickOutputDir: channel<string | null>()(ipcChannels.dialogs.pickOutputDir, noArgs),
  },
  shell: {
    /** Opens an https link in the browser; anything else is refused in main. */
    openExternal: channel<void>()(
      ipcChannels.shell.openExternal,
      z.strictObject({ url: z.string().max(2048) }),
    ),
  },
  engine: {
    status: channel<LocalEngineStatus>()(ipcChannels.engine.status, noArgs),
    /**
     * "Choose ffmpeg…": main opens its file dialog (the path never comes from the page),
     * checks the file, and only a working ffmpeg is saved and the engine restarted with it.
     */
    chooseFfmpeg: channel<FfmpegChoiceResult>()(ipcChannels.engine.chooseFfmpeg, noArgs),
    /** "Use automatic": forgets the chosen ffmpeg and restarts the engine with the one it finds. */
    useAutomaticFfmpeg: channel<FfmpegChoiceResult>()(
      ipcChannels.engine.useAutomaticFfmpeg,
      noArgs,
    ),
    /**
     * "Start converter again": starts this computer's converter once it gave up (crashed again
     * and again) or was stopped, with a fresh count of crashes; one that runs is left alone.
     */
    restart: channel<EngineRestartResult>()(ipcChannels.engine.restart, noArgs),
  },
  // The history of finished jobs (issue 12, historyContract.ts).
  ...historyContract,
} as const;

export { ENGINE_STATUS_CHANNEL, QUEUE_UPDATE_CHANNEL };
export type QueueUpdatePayload = QueuePatch[];

export type IpcContract = typeof ipcContract;

// The contract and the name table must list the same groups and methods.
type SameKeys<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? true
    : false
  : false;
type Assert<T extends true> = T;
export type ContractMatchesChannels = Assert<
  SameKeys<IpcContract, IpcChannels> &
    {
      [G in keyof IpcContract & keyof IpcChannels]: SameKeys<IpcContract[G], IpcChannels[G]>;
    }[keyof IpcContract & keyof IpcChannels]
>;
export type GroupName = keyof IpcContract;
type AnyChannel = Channel<z.ZodType, unknown>;

export type ArgsOf<C> = C extends Channel<infer S, unknown> ? z.input<S> : never;
export type ResultOf<C> = C extends Channel<z.ZodType, infer R> ? R : never;

/** Every row of the contract, flattened: used by the router and the tests. */
export function listChannels(): {
  group: string;
  method: string;
  channel: string;
  args: z.ZodType;
}[] {
  const rows: { group: string; method: string; channel: string; args: z.ZodType }[] = [];
  for (const [group, methods] of Object.entries(ipcContract)) {
    for (const [method, def] of Object.entries(methods as Record<string, AnyChannel>)) {
      rows.push({ group, method, channel: def.channel, args: def.args });
    }
  }
  return rows;
}

/** What every invoke resolves to on the wire: errors travel as data, already redacted. */
export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: IpcErrorInfo };
export interface IpcErrorInfo {
  /** 'invalid-argument' | 'forbidden-sender' | 'unknown-channel' | a core error code | 'internal' */
  code: string;
  message: string;
}
