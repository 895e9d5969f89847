/**
 * The profile store's file (`profiles.json`), format 1: the saved (cloud) profiles with their
 * names and API addresses, which one runs new jobs, and whether the person chose this
 * computer. No key material (that is keys.json). Written atomically, mode 0600.
 */
import { z } from 'zod';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';

export const PROFILES_FILE_VERSION = 1;

const storedProfileSchema = z.object({
  id: z.string().min(1).max(128),
  name: z.string(),
  baseUrl: z.string(),
  updatedAt: z.string(),
});

export type StoredProfile = z.infer<typeof storedProfileSchema>;

export interface ProfilesFileData {
  version: typeof PROFILES_FILE_VERSION;
  activeProfileId: string | null;
  /**
   * The person chose "This computer" (the local engine, never stored itself) to run jobs, so
   * it is active again at the next launch. Absent when not chosen.
   */
  preferLocal?: true;
  /** Only cloud profiles are written; 'env' and 'local' live in memory. */
  profiles: StoredProfile[];
}

const profilesFileSchema = z.object({
  version: z.literal(PROFILES_FILE_VERSION),
  activeProfileId: z.string().nullable(),
  preferLocal: z.literal(true).optional(),
  profiles: z.array(z.unknown()),
});

export function emptyProfilesFile(): ProfilesFileData {
  return { version: PROFILES_FILE_VERSION, activeProfileId: null, profiles: [] };
}

/** A format 1 file, or null when its frame is not one; a damaged profile is left out. */
export function parseProfilesFile(
  raw: Record<string, unknown>,
): { data: ProfilesFileData; dropped: string[] } | null {
  const frame = profilesFileSchema.safeParse(raw);
  if (!frame.success) return null;
  const profiles: StoredProfile[] = [];
  const dropped: string[] = [];
  frame.data.profiles.forEach((value, i) => {
    const entry = storedProfileSchema.safeParse(value);
    if (entry.success) profiles.push(entry.data);
    else dropped.push(`profile ${i + 1}`);
  });
  return {
    data: {
      version: PROFILES_FILE_VERSION,
      activeProfileId: frame.data.activeProfileId,
      ...(frame.data.preferLocal ? { preferLocal: true as const } : {}),
      profiles,
    },
    dropped,
  };
}

export async function writeProfilesFile(path: string, data: ProfilesFileData): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(data, null, 2) + '\n', {
    mode: 0o600,
    dirMode: 0o700,
  });
}
