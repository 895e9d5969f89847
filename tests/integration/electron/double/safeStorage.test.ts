/**
 * The Electron double's safeStorage (tests/support/electron/safeStorage.ts) behaves as
 * Electron 45's: shell/browser/api/electron_api_safe_storage.cc, docs/api/safe-storage.md and
 * electron.d.ts 45.x. Each test names its rule.
 */
import { describe, expect, it } from 'vitest';
import { createElectronDouble, type ElectronDoubleOptions } from '../../../support/electron';

function doubleOf(options: Partial<ElectronDoubleOptions> = {}) {
  return createElectronDouble({ userData: '/nonexistent', platform: 'linux', ...options });
}

function ready(options: Partial<ElectronDoubleOptions> = {}) {
  const double = doubleOf(options);
  double.control.emitReady();
  return double;
}

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('safeStorage before the app is ready', () => {
  // electron_api_safe_storage.cc: IsEncryptionAvailable and IsAsyncEncryptionAvailable say
  // false, GetSelectedLinuxBackend 'unknown', before Browser::is_ready().
  it("isEncryptionAvailable() is false, isAsyncEncryptionAvailable() resolves false and the backend is 'unknown'", async () => {
    const { safeStorage } = doubleOf().main;
    expect(safeStorage.isEncryptionAvailable()).toBe(false);
    expect(await safeStorage.isAsyncEncryptionAvailable()).toBe(false);
    expect(safeStorage.getSelectedStorageBackend?.()).toBe('unknown');
  });

  // encryptStringAsync / decryptStringAsync: promise.RejectWithErrorMessage("safeStorage cannot
  // be used before app is ready") — a rejection, not a throw.
  it('the async calls reject (not throw) with "safeStorage cannot be used before app is ready"', async () => {
    const { safeStorage } = doubleOf().main;
    let encrypting: Promise<unknown> | undefined;
    let decrypting: Promise<unknown> | undefined;
    expect(() => {
      encrypting = safeStorage.encryptStringAsync('ffsk_key');
      decrypting = safeStorage.decryptStringAsync(Buffer.from('v11whatever'));
    }).not.toThrow();
    for (const error of [await rejection(encrypting!), await rejection(decrypting!)]) {
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('safeStorage cannot be used before app is ready');
    }
  });

  // EncryptString / DecryptString: ThrowError("safeStorage cannot be used before app is ready").
  it('the sync calls throw "safeStorage cannot be used before app is ready"', () => {
    const { safeStorage } = doubleOf().main;
    expect(() => safeStorage.encryptString('ffsk_key')).toThrow(
      'safeStorage cannot be used before app is ready',
    );
    expect(() => safeStorage.decryptString(Buffer.from('v11whatever'))).toThrow(
      'safeStorage cannot be used before app is ready',
    );
  });
});

describe('safeStorage once ready', () => {
  // decryptStringAsync resolves a dictionary { shouldReEncrypt, result } (electron.d.ts 45:
  // Promise<DecryptStringAsyncReturnValue>), not a string.
  it('decryptStringAsync resolves { result, shouldReEncrypt }, not a string', async () => {
    const { safeStorage } = ready().main;
    const sealed = await safeStorage.encryptStringAsync('ffsk_key');
    expect(Buffer.isBuffer(sealed)).toBe(true);
    expect(sealed.includes(Buffer.from('ffsk_key'))).toBe(false);
    const opened = await safeStorage.decryptStringAsync(sealed);
    expect(opened).toEqual({ result: 'ffsk_key', shouldReEncrypt: false });
  });

  // os_crypt_async Encryptor::DecryptString sets flags.should_reencrypt for data under a key
  // that is no longer the current one.
  it('after the OS rotates its key, older data still decrypts and says shouldReEncrypt: true', async () => {
    const double = ready();
    const { safeStorage } = double.main;
    const old = await safeStorage.encryptStringAsync('ffsk_old');
    double.control.safeStorage.rotateKey();
    const fresh = await safeStorage.encryptStringAsync('ffsk_new');
    expect(await safeStorage.decryptStringAsync(old)).toEqual({
      result: 'ffsk_old',
      shouldReEncrypt: true,
    });
    expect(await safeStorage.decryptStringAsync(fresh)).toEqual({
      result: 'ffsk_new',
      shouldReEncrypt: false,
    });
  });

  // flags.temporarily_unavailable → "safeStorage.decryptStringAsync is temporarily
  // unavailable. Please try again."
  it('a key store that is temporarily unavailable rejects decryptStringAsync with Electron\'s "try again" text', async () => {
    const double = ready();
    const { safeStorage } = double.main;
    const sealed = await safeStorage.encryptStringAsync('ffsk_key');
    double.control.safeStorage.temporarilyUnavailable = true;
    const error = await rejection(safeStorage.decryptStringAsync(sealed));
    expect((error as Error).message).toBe(
      'safeStorage.decryptStringAsync is temporarily unavailable. Please try again.',
    );
    double.control.safeStorage.temporarilyUnavailable = false;
    expect((await safeStorage.decryptStringAsync(sealed)).result).toBe('ffsk_key');
  });

  // DecryptString: `node::Buffer::HasInstance` or "Expected the first argument of
  // decryptString() to be a buffer"; data without the v10/v11 prefix → "Ciphertext does not
  // appear to be encrypted."
  it('decryptString refuses a non-Buffer and data without the v10/v11 prefix', () => {
    const { safeStorage } = ready().main;
    expect(() => safeStorage.decryptString('v11abc' as unknown as Buffer)).toThrow(
      'Expected the first argument of decryptString() to be a buffer',
    );
    expect(() => safeStorage.decryptString(Buffer.from('ffsk_plain_text_key'))).toThrow(
      'Error while decrypting the ciphertext provided to safeStorage.decryptString. Ciphertext does not appear to be encrypted.',
    );
    expect(safeStorage.decryptString(safeStorage.encryptString('ffsk_key'))).toBe('ffsk_key');
  });

  // DecryptString with encryption unavailable: "... safeStorage.decryptString. Decryption is not
  // available." (EncryptString: "Encryption is not available.").
  it('with no usable key store the sync calls throw Electron\'s "not available" texts', () => {
    const { safeStorage } = ready({ safeStorage: { available: false } }).main;
    expect(safeStorage.isEncryptionAvailable()).toBe(false);
    expect(() => safeStorage.encryptString('ffsk_key')).toThrow(
      'Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.',
    );
    expect(() => safeStorage.decryptString(Buffer.from('v11abc'))).toThrow(
      'Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.',
    );
  });

  // GetObjectTemplateBuilder: getSelectedStorageBackend is set only `#if BUILDFLAG(IS_LINUX)`.
  it('getSelectedStorageBackend exists on Linux only', () => {
    expect(
      ready({
        safeStorage: { backend: 'kwallet5' },
      }).main.safeStorage.getSelectedStorageBackend?.(),
    ).toBe('kwallet5');
    expect(
      ready({ platform: 'darwin' }).main.safeStorage.getSelectedStorageBackend,
    ).toBeUndefined();
    expect(ready({ platform: 'win32' }).main.safeStorage.getSelectedStorageBackend).toBeUndefined();
  });
});
