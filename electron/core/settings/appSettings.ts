/**
 * App settings, persisted in `<dataDir>/settings.json` (atomic writes). Jobs copy what they need
 * when queued, so a later change affects only jobs added afterwards.
 *
 * The file has a format version (settingsSchema.ts): today's is 1; a file without one (written
 * before versions existed) is read as format 0 and rewritten as 1 at the next change.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../../shared/redact';
import { writeJsonAtomic } from '../files/atomicJson';
import { loadVersionedJson } from '../files/versionedJsonFile';
import {
  DEFAULT_SETTINGS,
  describePollBoundsProblem,
  mergeSettings,
  settingsFileFormat,
  settingsPatch,
  SETTINGS_FILE_VERSION,
  type AppSettings,
  type SettingsPatch,
} from './settingsSchema';

export {
  DEFAULT_SETTINGS,
  type AppSettings,
  type ConcurrencyLimits,
  type PollIntervalBounds,
  type SettingsPatch,
} from './settingsSchema';

export interface SettingsStore {
  get(): AppSettings;
  /** Validates (throws a readable Error on bad input), saves, notifies. */
  update(patch: unknown): Promise<AppSettings>;
  subscribe(listener: (settings: AppSettings) => void): () => void;
}

export async function openSettings(
  dataDir: string,
  overrides: SettingsPatch = {},
  options: { logger?: Logger } = {},
): Promise<SettingsStore> {
  const file = join(dataDir, 'settings.json');
  const log = options.logger ?? createLogger('settings', () => undefined);
  const saved = await loadVersionedJson(file, settingsFileFormat, log);
  let current = saved.state === 'loaded' ? saved.data : DEFAULT_SETTINGS;
  // Overrides (the CLI's flags) apply to this session only and are not written back.
  const parsedOverrides = settingsPatch.parse(overrides);
  let session = mergeSettings(current, parsedOverrides);
  const listeners = new Set<(settings: AppSettings) => void>();
  return {
    get: () => session,
    async update(patch) {
      const parsed = settingsPatch.safeParse(patch);
      if (!parsed.success)
        throw new Error(
          `Invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const next = mergeSettings(current, parsed.data);
      const nextSession = mergeSettings(session, parsed.data);
      // One bound alone is checked against the other one held now.
      const problem =
        describePollBoundsProblem(next.pollIntervalSeconds) ??
        describePollBoundsProblem(nextSession.pollIntervalSeconds);
      if (problem) throw new Error(`Invalid settings: pollIntervalSeconds: ${problem}`);
      current = next;
      session = nextSession;
      await writeJsonAtomic(file, { version: SETTINGS_FILE_VERSION, ...current });
      for (const listener of listeners) listener(session);
      return session;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The saved ffmpeg choice, read without opening the store: the app starts its engine before the
 * core (which opens the settings) exists. Read-only; anything unreadable or invalid is "automatic"
 * (the store itself deals with a damaged file when it opens it).
 */
export async function readSavedChosenFfmpeg(dataDir: string): Promise<string | null> {
  try {
    const raw = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null) return null;
    const one = settingsPatch.safeParse({
      chosenFfmpeg: (raw as { chosenFfmpeg?: unknown }).chosenFfmpeg ?? null,
    });
    return one.success ? (one.data.chosenFfmpeg ?? null) : null;
  } catch {
    return null;
  }
}
