/**
 * The secret store's file (`keys.json`), format 2: each profile's key as the cipher's output
 * (base64) beside its masked hint, the backend that encrypted it and whether the API accepted
 * it, plus the person's choice of weak storage. Never a plaintext key, never a profile's name
 * or address (those are in profiles.json). Mode 0600 in a 0700 folder, written atomically
 * (temp file, fsync, rename, fsync of the folder).
 */
import { z } from 'zod';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';

export const SECRETS_FILE_VERSION = 2;

const storedSecretSchema = z.object({
  /** The cipher's output, base64. */
  ciphertext: z.string().min(1),
  /** The cipher backend that produced it (e.g. keychain, basic_text). */
  backend: z.string().nullable(),
  /** `ffsk_…a1b2`: what the renderer shows; not enough of the key to matter. */
  hint: z.string().max(64).nullable(),
  /** true: the API accepted the key; false: refused it later; null: not checked. */
  verified: z.boolean().nullable(),
  updatedAt: z.string(),
});

export type StoredSecret = z.infer<typeof storedSecretSchema>;

export interface SecretsFileData {
  version: typeof SECRETS_FILE_VERSION;
  /** The person chose to store keys although the OS store is weak (docs/SECURITY.md). */
  allowInsecurePersistence: boolean;
  /** By profile id. */
  secrets: Record<string, StoredSecret>;
}

const secretsFileSchema = z.object({
  version: z.literal(SECRETS_FILE_VERSION),
  allowInsecurePersistence: z.boolean(),
  secrets: z.record(z.string().min(1).max(128), z.unknown()),
});

export function emptySecretsFile(): SecretsFileData {
  return { version: SECRETS_FILE_VERSION, allowInsecurePersistence: false, secrets: {} };
}

/**
 * A format 2 file, or null when its frame is not one. A damaged entry is left out and named
 * in `dropped` (the loader keeps a copy of the file).
 */
export function parseSecretsFile(
  raw: Record<string, unknown>,
): { data: SecretsFileData; dropped: string[] } | null {
  const frame = secretsFileSchema.safeParse(raw);
  if (!frame.success) return null;
  const secrets: Record<string, StoredSecret> = {};
  const dropped: string[] = [];
  for (const [id, value] of Object.entries(frame.data.secrets)) {
    const entry = storedSecretSchema.safeParse(value);
    if (entry.success) secrets[id] = entry.data;
    else dropped.push(`the key of profile ${id}`);
  }
  return {
    data: {
      version: SECRETS_FILE_VERSION,
      allowInsecurePersistence: frame.data.allowInsecurePersistence,
      secrets,
    },
    dropped,
  };
}

export async function writeSecretsFile(path: string, data: SecretsFileData): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(data, null, 2) + '\n', {
    mode: 0o600,
    dirMode: 0o700,
  });
}
