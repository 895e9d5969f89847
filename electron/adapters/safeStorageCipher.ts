/**
 * The SecretCipher port over Electron 45's safeStorage, async API only (the sync trio is
 * deprecated in 45 and blocks the main thread on a Keychain or keyring prompt):
 * encryptStringAsync / decryptStringAsync, the latter resolving to { result, shouldReEncrypt }.
 * Linux `basic_text` (a hard-coded password) and `unknown` count as insecure whatever the
 * availability says. The rules are enforced by the Electron double (tests/support/electron).
 */
import { safeStorage } from 'electron';
import { CipherUnavailableError, type SecretCipher } from '../core/ports';

/** The parts of Electron's safeStorage used here, as electron.d.ts (45.x) types them. */
export type SafeStorageLike = Pick<
  Electron.SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'
> &
  Partial<Pick<Electron.SafeStorage, 'getSelectedStorageBackend'>>;

const INSECURE_BACKENDS = new Set(['basic_text', 'unknown']);

export function createSafeStorageCipher(
  store: SafeStorageLike = safeStorage,
  platform: NodeJS.Platform = process.platform,
): SecretCipher {
  const available = async (): Promise<boolean> => {
    try {
      return await store.isAsyncEncryptionAvailable();
    } catch {
      return false;
    }
  };

  const backend = async (): Promise<string> => {
    if (platform === 'darwin') return 'keychain';
    if (platform === 'win32') return 'dpapi';
    try {
      return store.getSelectedStorageBackend?.() ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };

  return {
    async encrypt(plain) {
      if (!(await available()))
        throw new Error('The operating system cannot encrypt secrets right now.');
      return store.encryptStringAsync(plain);
    },
    async decrypt(data) {
      try {
        const { result, shouldReEncrypt } = await store.decryptStringAsync(data);
        return { plain: result, reEncrypt: shouldReEncrypt };
      } catch (error) {
        // electron_api_safe_storage.cc: "... is temporarily unavailable. Please try again."
        if (error instanceof Error && /temporarily unavailable/i.test(error.message))
          throw new CipherUnavailableError(
            'The system key store is not available right now; try again in a moment.',
          );
        throw error;
      }
    },
    backend,
    async isSecure() {
      if (!(await available())) return false;
      return !INSECURE_BACKENDS.has(await backend());
    },
  };
}
