/**
 * The safeStorage adapter against the strict double of Electron 45's safeStorage
 * (tests/support/electron/safeStorage.ts): the async API, shouldReEncrypt, the before-ready
 * refusals, temporary unavailability, and which backends count as secure.
 */
import { describe, expect, it, vi } from 'vitest';
import { CipherUnavailableError } from '../../../../electron/core/ports';
import { SafeStorageDouble, type LinuxBackend } from '../../../support/electron/safeStorage';

// `electron` cannot load without its binary: the adapter is handed the double explicitly.
vi.mock('electron', () => ({ safeStorage: {} }));
const { createSafeStorageCipher } = await import('../../../../electron/adapters/safeStorageCipher');

function storage(o: { backend?: LinuxBackend; available?: boolean; ready?: boolean } = {}) {
  let ready = o.ready ?? true;
  const store = new SafeStorageDouble(
    { platform: 'linux', backend: o.backend ?? 'gnome_libsecret', available: o.available },
    () => ready,
  );
  return { store, setReady: (r: boolean) => (ready = r) };
}

describe('safeStorage cipher adapter', () => {
  it('encrypts and decrypts with the async API, unwrapping { result, shouldReEncrypt }', async () => {
    const { store } = storage();
    const cipher = createSafeStorageCipher(store, 'linux');
    const data = await cipher.encrypt('ffsk_secret');
    expect(data.subarray(0, 3).toString()).toBe('v11');
    expect(await cipher.decrypt(data)).toEqual({ plain: 'ffsk_secret', reEncrypt: false });
  });

  it('asks for re-encryption after the OS rotated its key, and the new ciphertext needs none', async () => {
    const { store } = storage();
    const cipher = createSafeStorageCipher(store, 'linux');
    const old = await cipher.encrypt('ffsk_secret');
    store.rotateKey();
    expect(await cipher.decrypt(old)).toEqual({ plain: 'ffsk_secret', reEncrypt: true });
    const fresh = await cipher.encrypt('ffsk_secret');
    expect(await cipher.decrypt(fresh)).toEqual({ plain: 'ffsk_secret', reEncrypt: false });
  });

  it('tells a store that is only temporarily unavailable from a key that cannot be read', async () => {
    const { store } = storage();
    const cipher = createSafeStorageCipher(store, 'linux');
    const data = await cipher.encrypt('k');
    store.temporarilyUnavailable = true;
    await expect(cipher.decrypt(data)).rejects.toBeInstanceOf(CipherUnavailableError);
    store.temporarilyUnavailable = false;
    const other = new SafeStorageDouble({ platform: 'linux' }, () => true);
    await expect(createSafeStorageCipher(other, 'linux').decrypt(data)).rejects.not.toBeInstanceOf(
      CipherUnavailableError,
    );
  });

  it('before the app is ready: not secure, encrypt refused, backend unknown', async () => {
    const { store, setReady } = storage();
    setReady(false);
    const cipher = createSafeStorageCipher(store, 'linux');
    expect(await cipher.isSecure()).toBe(false);
    expect(await cipher.backend()).toBe('unknown');
    await expect(cipher.encrypt('k')).rejects.toThrow(/cannot encrypt/);
  });

  it.each([
    ['linux', 'gnome_libsecret', true],
    ['linux', 'kwallet6', true],
    ['linux', 'basic_text', false],
    ['darwin', 'basic_text', true],
    ['win32', 'basic_text', true],
  ] as const)('on %s with %s, secure is %s', async (platform, backend, secure) => {
    const { store } = storage({ backend });
    const cipher = createSafeStorageCipher(store, platform);
    expect(await cipher.isSecure()).toBe(secure);
    expect(await cipher.backend()).toBe(
      platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : backend,
    );
  });

  it('is neither secure nor usable when encryption is unavailable', async () => {
    const { store } = storage({ available: false });
    const cipher = createSafeStorageCipher(store, 'darwin');
    expect(await cipher.isSecure()).toBe(false);
    await expect(cipher.encrypt('k')).rejects.toThrow(/cannot encrypt/);
  });
});
