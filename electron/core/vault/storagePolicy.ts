/**
 * The weak-store rules: which OS key stores protect a key, whether keys may be written to
 * disk, and what to tell the person when they may not (docs/SECURITY.md, "Weak or missing OS
 * key store").
 */
import type { VaultStorageStatus } from '../../../shared/profileTypes';
import type { SecretCipher } from '../ports';

/** Backends that are a hard-coded password or unknown: not a protection worth the name. */
const INSECURE_BACKENDS = new Set(['basic_text', 'unknown', 'none', '']);

export function isInsecureBackend(backend: string): boolean {
  return INSECURE_BACKENDS.has(backend);
}

/**
 * What the cipher offers: its backend, whether it protects secrets, and whether keys may be
 * written (a secure backend, or the person's explicit choice of weak storage).
 */
export async function readStorageStatus(
  cipher: SecretCipher | null,
  allowInsecure: boolean,
): Promise<VaultStorageStatus> {
  if (cipher === null) return { backend: 'none', secure: false, persistAllowed: false };
  let backend = 'unknown';
  let secure = false;
  try {
    backend = await cipher.backend();
    secure = (await cipher.isSecure()) && !isInsecureBackend(backend);
  } catch {
    // A cipher that cannot even report itself is treated as absent-but-weak.
  }
  return { backend, secure, persistAllowed: secure || allowInsecure };
}

/** Why a key cannot be written here, and what the person can do instead. */
export function insecureStorageMessage(backend: string, hasCipher: boolean): string {
  if (!hasCipher || backend === 'none') {
    return 'This system offers no encrypted key store, so the key cannot be saved. You can keep it for this session only.';
  }
  return (
    `The system key store is not secure here (${backend}: the key would be encrypted with a fixed, publicly known password, ` +
    'so anyone who can read your files could recover it). Keep the key for this session only, or choose to store it anyway.'
  );
}
