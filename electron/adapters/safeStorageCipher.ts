/**
 * The SecretCipher port over Electron's safeStorage. Uses the async API (encryptStringAsync /
 * decryptStringAsync, Electron ≥ 42 with the availability fix) when present, else the
 * deprecated sync trio. Linux `basic_text` (a hard-coded password) and `unknown` count as
 * insecure, whatever isEncryptionAvailable says.
 */
import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/ports';

/** The parts of safeStorage used here; optional members cover older Electron versions. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
  getSelectedStorageBackend?(): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plain: string): Promise<Buffer>;
  decryptStringAsync?(data: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

const INSECURE_BACKENDS = new Set(['basic_text', 'unknown']);

export function createSafeStorageCipher(
  store: SafeStorageLike = safeStorage as unknown as SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
  /** Told when the OS asks for data to be re-encrypted (key rotation); the vault may rewrite it. */
  onReEncryptAdvised?: () => void,
): SecretCipher {
  const useAsync =
    typeof store.encryptStringAsync === 'function' &&
    typeof store.decryptStringAsync === 'function';

  const available = async (): Promise<boolean> => {
    try {
      if (useAsync && typeof store.isAsyncEncryptionAvailable === 'function')
        return await store.isAsyncEncryptionAvailable();
      return store.isEncryptionAvailable();
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
      return useAsync && store.encryptStringAsync
        ? store.encryptStringAsync(plain)
        : store.encryptString(plain);
    },
    async decrypt(data) {
      if (useAsync && store.decryptStringAsync) {
        // Resolves to { result, shouldReEncrypt }, not a string.
        const { result, shouldReEncrypt } = await store.decryptStringAsync(data);
        if (shouldReEncrypt) onReEncryptAdvised?.();
        return result;
      }
      return store.decryptString(data);
    },
    backend,
    async isSecure() {
      if (!(await available())) return false;
      return !INSECURE_BACKENDS.has(await backend());
    },
  };
}
