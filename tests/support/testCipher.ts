/**
 * A real SecretCipher for tests: AES-256-GCM with a random key per instance (per test), so
 * the vault's files hold real ciphertext. `backend` / `secure` let a test play a weak OS
 * store (Linux basic_text) without weakening the encryption itself.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../electron/core/ports';

export interface TestCipherOptions {
  backend?: string;
  secure?: boolean;
  /** Make encrypt() throw, as safeStorage does when encryption is unavailable. */
  failEncrypt?: boolean;
}

export class TestCipher implements SecretCipher {
  readonly key = randomBytes(32);
  encryptCalls = 0;
  decryptCalls = 0;

  constructor(private readonly o: TestCipherOptions = {}) {}

  async encrypt(plain: string): Promise<Buffer> {
    this.encryptCalls++;
    if (this.o.failEncrypt === true) throw new Error('Encryption is not available');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async decrypt(data: Buffer): Promise<{ plain: string; reEncrypt: boolean }> {
    this.decryptCalls++;
    const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
    return { plain: plain.toString('utf8'), reEncrypt: false };
  }

  async backend(): Promise<string> {
    return this.o.backend ?? 'aes-gcm-test';
  }

  async isSecure(): Promise<boolean> {
    return this.o.secure ?? true;
  }
}
