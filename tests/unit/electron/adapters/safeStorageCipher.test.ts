import { describe, expect, it, vi } from 'vitest';

// The Electron binary cannot load here; the adapter is given its safeStorage explicitly.
vi.mock('electron', () => ({ safeStorage: {} }));
const { createSafeStorageCipher } = await import('../../../../electron/adapters/safeStorageCipher');
type Store = Parameters<typeof createSafeStorageCipher>[0];

/** A reversible stand-in for the OS encryption, with the sync and (optionally) async API. */
function store(
  o: { async?: boolean; available?: boolean; backend?: string; reEncrypt?: boolean } = {},
): Store & { calls: string[] } {
  const calls: string[] = [];
  const enc = (s: string) => Buffer.from(s, 'utf8').reverse();
  const dec = (b: Buffer) => Buffer.from(b).reverse().toString('utf8');
  const base = {
    calls,
    isEncryptionAvailable: () => o.available ?? true,
    encryptString: (s: string) => (calls.push('encryptString'), enc(s)),
    decryptString: (b: Buffer) => (calls.push('decryptString'), dec(b)),
    getSelectedStorageBackend: () => o.backend ?? 'gnome_libsecret',
  };
  if (!o.async) return base;
  return {
    ...base,
    isAsyncEncryptionAvailable: async () => o.available ?? true,
    encryptStringAsync: async (s: string) => (calls.push('encryptStringAsync'), enc(s)),
    decryptStringAsync: async (b: Buffer) => (
      calls.push('decryptStringAsync'),
      { result: dec(b), shouldReEncrypt: o.reEncrypt ?? false }
    ),
  };
}

describe('safeStorage cipher adapter', () => {
  it('prefers the async API and unwraps { result, shouldReEncrypt }', async () => {
    const s = store({ async: true, reEncrypt: true });
    let advised = 0;
    const cipher = createSafeStorageCipher(s, 'linux', () => advised++);
    const data = await cipher.encrypt('ffsk_secret');
    expect(await cipher.decrypt(data)).toBe('ffsk_secret');
    expect(s.calls).toEqual(['encryptStringAsync', 'decryptStringAsync']);
    expect(advised).toBe(1);
  });

  it('falls back to the sync API on older Electron', async () => {
    const s = store();
    const cipher = createSafeStorageCipher(s, 'linux');
    expect(await cipher.decrypt(await cipher.encrypt('k'))).toBe('k');
    expect(s.calls).toEqual(['encryptString', 'decryptString']);
  });

  it.each([
    ['linux', 'gnome_libsecret', true],
    ['linux', 'kwallet6', true],
    ['linux', 'basic_text', false],
    ['linux', 'unknown', false],
    ['darwin', 'basic_text', true],
    ['win32', 'unknown', true],
  ] as const)('on %s with %s, secure is %s', async (platform, backend, secure) => {
    const cipher = createSafeStorageCipher(store({ async: true, backend }), platform);
    expect(await cipher.isSecure()).toBe(secure);
    expect(await cipher.backend()).toBe(
      platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : backend,
    );
  });

  it('is neither secure nor usable when encryption is unavailable', async () => {
    const cipher = createSafeStorageCipher(store({ async: true, available: false }), 'darwin');
    expect(await cipher.isSecure()).toBe(false);
    await expect(cipher.encrypt('k')).rejects.toThrow(/cannot encrypt/);
  });
});
