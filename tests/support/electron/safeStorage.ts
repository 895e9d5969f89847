/**
 * The double of Electron 45's safeStorage (docs/api/safe-storage.md, electron.d.ts 45.x,
 * shell/browser/api/electron_api_safe_storage.cc), with real AES-256-GCM underneath:
 * - before the app is ready: isEncryptionAvailable() is false, getSelectedStorageBackend() is
 *   'unknown', isAsyncEncryptionAvailable() resolves false, the async calls REJECT and the sync
 *   ones throw "safeStorage cannot be used before app is ready";
 * - decryptStringAsync resolves to { result, shouldReEncrypt }, not a string; shouldReEncrypt
 *   is true for data encrypted under a key the OS has since rotated (control.rotateKey);
 * - a store that is "temporarily unavailable" rejects decryptStringAsync with "safeStorage.
 *   decryptStringAsync is temporarily unavailable. Please try again.";
 * - sync decryptString refuses a non-Buffer and data without the v10/v11 prefix ("Ciphertext
 *   does not appear to be encrypted."); the sync pair is deprecated in 45 but still works;
 * - getSelectedStorageBackend exists on Linux only.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type LinuxBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6';

export interface SafeStorageDoubleOptions {
  platform: NodeJS.Platform;
  /** Linux: what the OS offers. basic_text is available but weak. */
  backend?: LinuxBackend;
  /** false: no usable key store at all. */
  available?: boolean;
}

const PREFIX = Buffer.from('v11');

export class SafeStorageDouble {
  private keys: Buffer[] = [randomBytes(32)];
  temporarilyUnavailable = false;
  available: boolean;
  readonly getSelectedStorageBackend?: () => LinuxBackend | 'unknown';

  constructor(
    private readonly options: SafeStorageDoubleOptions,
    private readonly isReady: () => boolean,
  ) {
    this.available = options.available ?? true;
    if (options.platform === 'linux')
      this.getSelectedStorageBackend = () =>
        this.isReady() ? (options.backend ?? 'gnome_libsecret') : 'unknown';
  }

  /** control: the OS rotated its key; older ciphertexts still decrypt, asking to re-encrypt. */
  rotateKey(): void {
    this.keys = [randomBytes(32), ...this.keys];
  }

  isEncryptionAvailable(): boolean {
    return this.isReady() && this.available;
  }

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.isEncryptionAvailable();
  }

  setUsePlainTextEncryption(_usePlainText: boolean): void {}

  encryptString(plain: string): Buffer {
    this.checkSync('encryptString', 'encrypting the text provided to', 'Encryption');
    return this.seal(plain);
  }

  decryptString(data: Buffer): string {
    // electron_api_safe_storage.cc DecryptString: "... Decryption is not available."
    this.checkSync('decryptString', 'decrypting the ciphertext provided to', 'Decryption');
    if (!Buffer.isBuffer(data))
      throw new Error('Expected the first argument of decryptString() to be a buffer');
    if (data.length === 0) return '';
    if (!data.subarray(0, 3).equals(PREFIX) && !data.subarray(0, 3).equals(Buffer.from('v10')))
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString. Ciphertext does not appear to be encrypted.',
      );
    return this.open(data).result;
  }

  async encryptStringAsync(plain: string): Promise<Buffer> {
    if (!this.isReady()) throw new Error('safeStorage cannot be used before app is ready');
    if (!this.available)
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptStringAsync.',
      );
    return this.seal(plain);
  }

  async decryptStringAsync(data: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (!this.isReady()) throw new Error('safeStorage cannot be used before app is ready');
    if (!Buffer.isBuffer(data))
      throw new Error('Expected the first argument of decryptStringAsync() to be a buffer');
    if (data.length === 0) return { shouldReEncrypt: false, result: '' };
    if (this.temporarilyUnavailable)
      throw new Error(
        'safeStorage.decryptStringAsync is temporarily unavailable. Please try again.',
      );
    return this.open(data);
  }

  private checkSync(method: string, doing: string, what: 'Encryption' | 'Decryption'): void {
    if (this.isEncryptionAvailable()) return;
    if (!this.isReady()) throw new Error('safeStorage cannot be used before app is ready');
    throw new Error(`Error while ${doing} safeStorage.${method}. ${what} is not available.`);
  }

  private seal(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([PREFIX, iv, cipher.getAuthTag(), body]);
  }

  private open(data: Buffer): { result: string; shouldReEncrypt: boolean } {
    const iv = data.subarray(3, 15);
    const tag = data.subarray(15, 31);
    const body = data.subarray(31);
    for (const [i, key] of this.keys.entries()) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        const result = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
        return { result, shouldReEncrypt: i > 0 };
      } catch {
        // Not this key: try the older ones.
      }
    }
    throw new Error(
      'Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.',
    );
  }
}
