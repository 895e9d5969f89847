/**
 * The vault's file: profiles (names, base URLs, verification state, masked hints) and each
 * key's ciphertext, base64. Never a plaintext key. Mode 0600 in a 0700 folder, written
 * atomically (temp file, fsync, rename, fsync of the folder) so a crash leaves the old or
 * the new file, never half of one.
 */
import { chmod, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ProfileKind } from '../../../shared/profileTypes';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
import { errnoCode } from '../../../shared/node/errnoCode';

export const VAULT_FILE_VERSION = 1;

export interface StoredProfile {
  id: string;
  name: string;
  baseUrl: string;
  /** Only 'cloud' profiles are ever written; 'env' and 'local' live in memory. */
  kind: Extract<ProfileKind, 'cloud'>;
  verified: boolean | null;
  /** `ffsk_…a1b2`: what the renderer shows; not enough of the key to matter. */
  hint: string | null;
  /** The cipher's output, base64; null when the profile has no stored key. */
  ciphertext: string | null;
  /** The cipher backend that produced the ciphertext. */
  backend: string | null;
  updatedAt: string;
}

export interface VaultFileData {
  version: typeof VAULT_FILE_VERSION;
  activeProfileId: string | null;
  /** The person chose to store keys although the OS store is weak (see docs/SECURITY.md). */
  allowInsecurePersistence: boolean;
  /**
   * The person chose "This computer" (the local engine, never stored itself) to run jobs, so
   * it is active again at the next launch. Absent when not chosen.
   */
  preferLocal?: boolean;
  profiles: StoredProfile[];
}

export function emptyVault(): VaultFileData {
  return {
    version: VAULT_FILE_VERSION,
    activeProfileId: null,
    allowInsecurePersistence: false,
    profiles: [],
  };
}

export type ReadResult =
  { data: VaultFileData; problem: null } | { data: VaultFileData; problem: string };

/** Reads the vault; a missing file is an empty vault, an unreadable one is set aside, not lost. */
export async function readVaultFile(path: string): Promise<ReadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { data: emptyVault(), problem: null };
    throw error;
  }
  // Tighten a file whose mode was widened by hand or by a copy.
  try {
    const s = await stat(path);
    if ((s.mode & 0o077) !== 0) await chmod(path, 0o600);
  } catch {
    // Windows has no POSIX modes; ACLs of the profile folder apply.
  }
  const parsed = parseVault(text);
  if (parsed !== null) return { data: parsed, problem: null };
  const aside = join(dirname(path), `${basename(path)}.unreadable-${Date.now()}`);
  await rename(path, aside).catch(() => undefined);
  return {
    data: emptyVault(),
    problem: `The key store could not be read; it was moved aside to ${basename(aside)}`,
  };
}

function parseVault(text: string): VaultFileData | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  if (o.version !== VAULT_FILE_VERSION || !Array.isArray(o.profiles)) return null;
  const profiles: StoredProfile[] = [];
  for (const p of o.profiles as unknown[]) {
    if (typeof p !== 'object' || p === null) continue;
    const r = p as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.name !== 'string' || typeof r.baseUrl !== 'string')
      continue;
    profiles.push({
      id: r.id,
      name: r.name,
      baseUrl: r.baseUrl,
      kind: 'cloud',
      verified: typeof r.verified === 'boolean' ? r.verified : null,
      hint: typeof r.hint === 'string' ? r.hint : null,
      ciphertext: typeof r.ciphertext === 'string' ? r.ciphertext : null,
      backend: typeof r.backend === 'string' ? r.backend : null,
      updatedAt: typeof r.updatedAt === 'string' ? r.updatedAt : new Date(0).toISOString(),
    });
  }
  return {
    version: VAULT_FILE_VERSION,
    activeProfileId: typeof o.activeProfileId === 'string' ? o.activeProfileId : null,
    allowInsecurePersistence: o.allowInsecurePersistence === true,
    ...(o.preferLocal === true ? { preferLocal: true } : {}),
    profiles,
  };
}

export async function writeVaultFile(path: string, data: VaultFileData): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(data, null, 2) + '\n', {
    mode: 0o600,
    dirMode: 0o700,
  });
}
