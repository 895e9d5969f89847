/**
 * The vault on disk: `keys.json` (the secret store's, format 2) and `profiles.json` (the
 * profile store's, format 1), loaded together because format 1 of keys.json held both.
 *
 * Format 1 (RenderIO Desktop before the vault was split into services) kept every profile
 * with its ciphertext in keys.json. It is migrated at open: profiles.json is written first,
 * then keys.json in format 2, each atomically. A crash between the two leaves keys.json in
 * format 1, which is migrated again at the next open; nothing is lost and no copy of a
 * ciphertext is left behind (a cleared key must leave the disk).
 *
 * A file that cannot be used is kept aside (files/versionedJsonFile.ts); a file whose mode
 * was widened is tightened to 0600.
 */
import { chmod, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Logger } from '../../../shared/redact';
import { errnoCode } from '../../../shared/node/errnoCode';
import { loadVersionedJson, type FileFormat } from '../files/versionedJsonFile';
import {
  emptyProfilesFile,
  parseProfilesFile,
  PROFILES_FILE_VERSION,
  writeProfilesFile,
  type ProfilesFileData,
} from './profilesFile';
import {
  emptySecretsFile,
  parseSecretsFile,
  SECRETS_FILE_VERSION,
  writeSecretsFile,
  type SecretsFileData,
  type StoredSecret,
} from './secretsFile';
import { VaultError } from './vaultErrors';

export interface VaultFiles {
  /** The secret store's file, e.g. `<userData>/keys.json`. */
  keysFile: string;
  /** The profile store's file, e.g. `<userData>/profiles.json`. */
  profilesFile: string;
}

export interface VaultFileData {
  secrets: SecretsFileData;
  profiles: ProfilesFileData;
}

// ---- format 1: profiles and ciphertext together in keys.json ------------------------------

/** As format 1 was read: a profile without an id, name or address was skipped, the rest defaulted. */
const v1ProfileSchema = z.object({
  id: z.string().min(1).max(128),
  name: z.string(),
  baseUrl: z.string(),
  verified: z.boolean().nullable().catch(null),
  hint: z.string().max(64).nullable().catch(null),
  ciphertext: z.string().min(1).nullable().catch(null),
  backend: z.string().nullable().catch(null),
  updatedAt: z.string().catch(new Date(0).toISOString()),
});

const v1FileSchema = z.object({
  version: z.literal(1),
  activeProfileId: z.string().nullable().catch(null),
  allowInsecurePersistence: z.unknown().transform((v) => v === true),
  preferLocal: z.unknown().transform((v) => v === true),
  profiles: z.array(z.unknown()),
});

/** Splits a format 1 file into the two files of today. */
function migrateV1(
  raw: Record<string, unknown>,
): { data: VaultFileData; dropped: string[] } | null {
  const frame = v1FileSchema.safeParse(raw);
  if (!frame.success) return null;
  const profiles: ProfilesFileData = {
    ...emptyProfilesFile(),
    activeProfileId: frame.data.activeProfileId,
    ...(frame.data.preferLocal ? { preferLocal: true as const } : {}),
  };
  const secrets: SecretsFileData = {
    ...emptySecretsFile(),
    allowInsecurePersistence: frame.data.allowInsecurePersistence,
  };
  const dropped: string[] = [];
  frame.data.profiles.forEach((value, i) => {
    const p = v1ProfileSchema.safeParse(value);
    if (!p.success) {
      dropped.push(`profile ${i + 1}`);
      return;
    }
    const { id, name, baseUrl, updatedAt, ciphertext } = p.data;
    profiles.profiles.push({ id, name, baseUrl, updatedAt });
    // A profile without a stored key had nothing but its verification state to carry over.
    if (ciphertext === null) return;
    const secret: StoredSecret = {
      ciphertext,
      backend: p.data.backend,
      hint: p.data.hint,
      verified: p.data.verified,
      updatedAt,
    };
    secrets.secrets[id] = secret;
  });
  return { data: { secrets, profiles }, dropped };
}

// ---- loading -------------------------------------------------------------------------------

const keysFormat: FileFormat<{ secrets: SecretsFileData; profiles: ProfilesFileData | null }> = {
  label: 'the key store',
  current: SECRETS_FILE_VERSION,
  parse(version, raw) {
    if (version === SECRETS_FILE_VERSION) {
      const r = parseSecretsFile(raw);
      return r && { data: { secrets: r.data, profiles: null }, dropped: r.dropped };
    }
    if (version === 1) return migrateV1(raw);
    return null;
  },
};

const profilesFormat: FileFormat<ProfilesFileData> = {
  label: 'the profile list',
  current: PROFILES_FILE_VERSION,
  parse: (version, raw) => (version === PROFILES_FILE_VERSION ? parseProfilesFile(raw) : null),
};

/** Reads both files (migrating format 1); missing files are an empty vault. */
export async function loadVaultFiles(files: VaultFiles, log: Logger): Promise<VaultFileData> {
  await tightenMode(files.keysFile);
  await tightenMode(files.profilesFile);
  const keys = await loadVersionedJson(files.keysFile, keysFormat, log);
  if (keys.state === 'loaded' && keys.data.profiles !== null) {
    const migrated = { secrets: keys.data.secrets, profiles: keys.data.profiles };
    try {
      await writeProfilesFile(files.profilesFile, migrated.profiles);
      await writeSecretsFile(files.keysFile, migrated.secrets);
    } catch (error) {
      throw new VaultError(
        'storage',
        `The key store could not be updated to its new format (${errnoCode(error) ?? 'error'}); it is unchanged`,
      );
    }
    log.info(
      `the key store was updated from format ${keys.version} to ${SECRETS_FILE_VERSION}; profiles are now kept in profiles.json`,
    );
    return migrated;
  }
  const profiles = await loadVersionedJson(files.profilesFile, profilesFormat, log);
  return {
    secrets: keys.state === 'loaded' ? keys.data.secrets : emptySecretsFile(),
    profiles: profiles.state === 'loaded' ? profiles.data : emptyProfilesFile(),
  };
}

/** Tightens a file whose mode was widened by hand or by a copy. */
async function tightenMode(path: string): Promise<void> {
  try {
    const s = await stat(path);
    if ((s.mode & 0o077) !== 0) await chmod(path, 0o600);
  } catch {
    // Missing, or Windows (no POSIX modes; ACLs of the profile folder apply).
  }
}
