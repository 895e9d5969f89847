/**
 * App settings, persisted in `<dataDir>/settings.json` (atomic writes). Jobs copy what they need
 * when queued, so a later change affects only jobs added afterwards.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_NAME_TEMPLATE, describeTemplateProblem } from '../../../shared/fileNameTemplate';
import type { CollisionPolicy } from '../../../shared/jobs';
import { readJson, writeJsonAtomic } from '../files/atomicJson';

export interface ConcurrencyLimits {
  /** Files uploading at once. */
  uploads: number;
  /** Commands submitted and running remotely at once. */
  remote: number;
  /** Outputs downloading at once. */
  downloads: number;
}

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
}

export const DEFAULT_SETTINGS: AppSettings = {
  concurrency: { uploads: 2, remote: 2, downloads: 2 },
  outputDir: null,
  nameTemplate: DEFAULT_NAME_TEMPLATE,
  collision: 'rename',
  mirrorTree: true,
  cleanupRemote: true,
  defaultPresetId: 'webm-vp9',
};

const limit = z.number().int().min(1).max(32);
const settingsPatch = z
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
  })
  .partial()
  .strict();

export type SettingsPatch = z.input<typeof settingsPatch>;

export interface SettingsStore {
  get(): AppSettings;
  /** Validates (throws a readable Error on bad input), saves, notifies. */
  update(patch: unknown): Promise<AppSettings>;
  subscribe(listener: (settings: AppSettings) => void): () => void;
}

function merge(base: AppSettings, patch: z.output<typeof settingsPatch>): AppSettings {
  return {
    ...base,
    ...patch,
    concurrency: { ...base.concurrency, ...(patch.concurrency ?? {}) },
  } as AppSettings;
}

export async function openSettings(
  dataDir: string,
  overrides: SettingsPatch = {},
): Promise<SettingsStore> {
  const file = join(dataDir, 'settings.json');
  let current = DEFAULT_SETTINGS;
  const saved = await readJson(file).catch(() => undefined);
  if (saved && typeof saved === 'object') {
    // Each field is taken on its own: one bad value (hand edit, older version) keeps the rest.
    for (const [key, value] of Object.entries(saved as Record<string, unknown>)) {
      const one = settingsPatch.safeParse({ [key]: value });
      if (one.success) current = merge(current, one.data);
    }
  }
  // Overrides (the CLI's flags) apply to this session only and are not written back.
  const parsedOverrides = settingsPatch.parse(overrides);
  let session = merge(current, parsedOverrides);
  const listeners = new Set<(settings: AppSettings) => void>();
  return {
    get: () => session,
    async update(patch) {
      const parsed = settingsPatch.safeParse(patch);
      if (!parsed.success)
        throw new Error(
          `Invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      current = merge(current, parsed.data);
      session = merge(session, parsed.data);
      await writeJsonAtomic(file, current);
      for (const listener of listeners) listener(session);
      return session;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
