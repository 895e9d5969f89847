/**
 * What the settings are: their types and defaults, the schema every change passes, and
 * settings.json's formats. Format 1 is today's: `{ "version": 1, ...settings }`, flat, so an
 * older RenderIO Desktop still finds each field where it expects it. Format 0 is the same
 * fields without a version (written before versions existed); it needs nothing but the
 * version, added at the next save.
 *
 * Fields added later (pollIntervalSeconds) take their default when a file lacks them, so the
 * format stays 1; an older app leaves out a field it does not know and keeps the rest.
 *
 * Each field of the file is read on its own: one bad value (a hand edit) falls back to its
 * default and keeps the rest; the loader keeps a copy of the file as it was
 * (files/versionedJsonFile.ts).
 */
import { CONCURRENCY_LIMITS } from '../../../shared/concurrencyLimits';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { DEFAULT_NAME_TEMPLATE, describeTemplateProblem } from '../../../shared/fileNameTemplate';
import type { CollisionPolicy } from '../../../shared/jobs';
import type { MediaKind } from '../../../shared/presetTypes';
import {
  describePollBoundProblem,
  describePollBoundsProblem,
  type PollIntervalBounds,
} from '../../../shared/pollBounds';
import type { FileFormat } from '../files/versionedJsonFile';

export interface ConcurrencyLimits {
  /** Files uploading at once. */
  uploads: number;
  /** Commands submitted and running remotely at once. */
  remote: number;
  /** Outputs downloading at once. */
  downloads: number;
}

export { describePollBoundsProblem, type PollIntervalBounds } from '../../../shared/pollBounds';

export interface AppSettings {
  concurrency: ConcurrencyLimits;
  /** null: next to each source file. */
  outputDir: string | null;
  nameTemplate: string;
  collision: CollisionPolicy;
  /** Recreate a dropped folder's tree under the output folder. */
  mirrorTree: boolean;
  /** Delete the uploaded input and the command's outputs on RenderIO after a successful download. */
  cleanupRemote: boolean;
  defaultPresetId: string;
  /**
   * The preset a file of each kind gets when the picked preset cannot take it (a WAV dropped
   * with a video preset picked): mixed drops just work, and the row says which preset it got.
   */
  kindDefaults: Record<MediaKind, string>;
  /** A system notification per failed job and when the queue finishes. */
  notifications: boolean;
  /** The window's colours: follow the system, or always light or dark. */
  theme: 'system' | 'light' | 'dark';
  /**
   * The ffmpeg jobs on this computer run with: null (automatic: FFMPEG_PATH, the packaged
   * copy, PATH, the usual folders; docs/FFMPEG.md), or the file chosen with "Choose ffmpeg…",
   * checked before it was saved. Only main sets it (the window's patches cannot name a path).
   */
  chosenFfmpeg: string | null;
  /** Bounds of the wait between status polls of a command on RenderIO (not this computer's). */
  pollIntervalSeconds: PollIntervalBounds;
}

export const DEFAULT_SETTINGS: AppSettings = {
  concurrency: { uploads: 2, remote: 2, downloads: 2 },
  outputDir: null,
  nameTemplate: DEFAULT_NAME_TEMPLATE,
  collision: 'rename',
  mirrorTree: true,
  cleanupRemote: true,
  defaultPresetId: 'webm-vp9',
  kindDefaults: { video: 'mp4-h264', audio: 'mp3', image: 'image-jpg' },
  notifications: true,
  theme: 'system',
  chosenFfmpeg: null,
  // The adaptive policy's own shortest (250 ms) and longest (60 s) waits: no change by default.
  pollIntervalSeconds: { min: 0.25, max: 60 },
};

const limit = z.number().int().min(CONCURRENCY_LIMITS.low).max(CONCURRENCY_LIMITS.high);
/** One bound, refused in the words the Settings panel uses too (shared/pollBounds.ts). */
const seconds = (which: 'min' | 'max') =>
  // Not a number at all: refused as NaN is ("must be a number of seconds").
  z
    .number({ error: () => describePollBoundProblem(which, NaN) ?? undefined })
    .superRefine((n, ctx) => {
      const problem = describePollBoundProblem(which, n);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
export const settingsPatch = z
  .object({
    concurrency: z.object({ uploads: limit, remote: limit, downloads: limit }).partial().strict(),
    outputDir: z.string().min(1).max(4096).nullable(),
    nameTemplate: z.string().superRefine((t, ctx) => {
      const problem = describeTemplateProblem(t);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    collision: z.enum(['rename', 'overwrite', 'skip']),
    mirrorTree: z.boolean(),
    cleanupRemote: z.boolean(),
    defaultPresetId: z.string().min(1).max(200),
    kindDefaults: z
      .object({
        video: z.string().min(1).max(200),
        audio: z.string().min(1).max(200),
        image: z.string().min(1).max(200),
      })
      .partial()
      .strict(),
    notifications: z.boolean(),
    theme: z.enum(['system', 'light', 'dark']),
    chosenFfmpeg: z
      .string()
      .min(1)
      .max(4096)
      .refine((p) => !p.includes('\0'), 'A path may not contain a NUL character.')
      .refine((p) => isAbsolute(p), 'The ffmpeg path must be absolute.')
      .nullable(),
    pollIntervalSeconds: z
      .object({
        min: seconds('min'),
        max: seconds('max'),
      })
      .partial()
      .strict()
      .superRefine((b, ctx) => {
        const problem =
          b.min !== undefined && b.max !== undefined
            ? describePollBoundsProblem({ min: b.min, max: b.max })
            : null;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  })
  .partial()
  .strict();

export type SettingsPatch = z.input<typeof settingsPatch>;

export function mergeSettings(
  base: AppSettings,
  patch: z.output<typeof settingsPatch>,
): AppSettings {
  return {
    ...base,
    ...patch,
    concurrency: { ...base.concurrency, ...(patch.concurrency ?? {}) },
    kindDefaults: { ...base.kindDefaults, ...(patch.kindDefaults ?? {}) },
    pollIntervalSeconds: { ...base.pollIntervalSeconds, ...(patch.pollIntervalSeconds ?? {}) },
  } as AppSettings;
}

export const SETTINGS_FILE_VERSION = 1;

export const settingsFileFormat: FileFormat<AppSettings> = {
  label: 'the settings',
  current: SETTINGS_FILE_VERSION,
  unversioned: 0,
  parse(version, raw) {
    if (version !== 0 && version !== SETTINGS_FILE_VERSION) return null;
    let settings = DEFAULT_SETTINGS;
    const dropped: string[] = [];
    for (const [field, value] of Object.entries(raw)) {
      if (field === 'version') continue;
      const one = settingsPatch.safeParse({ [field]: value });
      const merged = one.success ? mergeSettings(settings, one.data) : null;
      // Half of a pair of bounds (a hand edit) may not fit the default other half.
      if (merged && !describePollBoundsProblem(merged.pollIntervalSeconds)) settings = merged;
      else dropped.push(`"${field}"`);
    }
    return { data: settings, dropped };
  },
};
