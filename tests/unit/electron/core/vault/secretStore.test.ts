/**
 * The secret store alone: keys by id, ciphertext only on disk (0600, atomic), decrypted keys
 * cached for the session, the weak-store rules, a failed write keeping the previous state,
 * and change events that name the id only. A real AES-256-GCM cipher and real files.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gateForKey } from '../../../../../electron/core/client/rateGate';
import type { SecretCipher } from '../../../../../electron/core/ports';
import { SecretStore, type SecretChange } from '../../../../../electron/core/vault/secretStore';
import { loadVaultFiles } from '../../../../../electron/core/vault/vaultFile';
import { createLogger } from '../../../../../shared/redact';
import { TestCipher } from '../../../../support/testCipher';
import { tempDir } from '../../../../support/media';

const newKey = () => `ffsk_${randomBytes(32).toString('hex')}`;

let tmp: { path: string; cleanup(): Promise<void> };
let file: string;
beforeEach(async () => {
  tmp = await tempDir('secret-store-');
  file = join(tmp.path, 'cfg', 'keys.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

/** A store over what is on disk now, as the vault opens it. */
async function open(cipher: SecretCipher | null, allowInsecure = false): Promise<SecretStore> {
  const log = createLogger('vault', () => undefined);
  const data = await loadVaultFiles(
    { keysFile: file, profilesFile: join(tmp.path, 'cfg', 'profiles.json') },
    log,
  );
  return new SecretStore({ file, cipher, logger: log }, data.secrets, allowInsecure);
}

async function fileText(): Promise<string> {
  return readFile(file, 'utf8');
}

describe('SecretStore', () => {
  it('writes ciphertext only (0600, atomic), reads it back in a new session, decrypts once', async () => {
    const cipher = new TestCipher({ backend: 'gnome_libsecret' });
    const store = await open(cipher);
    const key = newKey();
    const info = await store.set('p1', key, { sessionOnly: false, verified: true });
    expect(info).toMatchObject({
      id: 'p1',
      hint: `ffsk_…${key.slice(-4)}`,
      verified: true,
      location: 'disk',
      backend: 'gnome_libsecret',
    });
    const text = await fileText();
    expect(text).not.toContain(key.slice(5));
    expect(text).not.toContain(key.slice(5, 21));
    expect(JSON.parse(text)).toMatchObject({
      version: 2,
      allowInsecurePersistence: false,
      secrets: { p1: { hint: `ffsk_…${key.slice(-4)}`, backend: 'gnome_libsecret' } },
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(tmp.path, 'cfg'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(tmp.path, 'cfg'))).toEqual(['keys.json']);
    expect(await store.get('p1')).toBe(key);

    const next = await open(cipher);
    expect(next.info('p1')).toMatchObject({ location: 'disk', verified: true });
    expect(await next.get('p1')).toBe(key);
    expect(await next.get('p1')).toBe(key);
    expect(cipher.decryptCalls).toBe(1);
    expect(await next.get('nobody')).toBeNull();
  });

  it('keeps a session-only key in memory, and takes a stored key off the disk when it becomes one', async () => {
    const cipher = new TestCipher();
    const store = await open(cipher);
    const key = newKey();
    await store.set('s', key, { sessionOnly: true, verified: null });
    expect(store.info('s')).toMatchObject({ location: 'memory', backend: null });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(cipher.encryptCalls).toBe(0);

    await store.set('p', key, { sessionOnly: false, verified: null });
    expect(Object.keys(JSON.parse(await fileText()).secrets)).toEqual(['p']);
    await store.set('p', key, { sessionOnly: true, verified: null });
    expect(JSON.parse(await fileText()).secrets).toEqual({});
    expect(await store.get('p')).toBe(key);
    expect((await open(cipher)).has('p')).toBe(false);
  });

  it('refuses to write on a weak store unless the person chose it; taking the choice back keeps keys for the session', async () => {
    const cipher = new TestCipher({ backend: 'basic_text', secure: false });
    const store = await open(cipher);
    expect(await store.storage()).toEqual({
      backend: 'basic_text',
      secure: false,
      persistAllowed: false,
    });
    const key = newKey();
    await expect(store.set('p', key, { sessionOnly: false, verified: true })).rejects.toMatchObject(
      {
        kind: 'insecure-storage',
        message: expect.stringMatching(/publicly known password/),
      },
    );
    expect(cipher.encryptCalls).toBe(0);
    expect(store.has('p')).toBe(false);

    await store.setAllowInsecurePersistence(true);
    await store.set('p', key, { sessionOnly: false, verified: true });
    expect(store.info('p')).toMatchObject({ location: 'disk', backend: 'basic_text' });
    const again = await open(cipher);
    expect((await again.storage()).persistAllowed).toBe(true);
    expect(await again.get('p')).toBe(key);

    await again.setAllowInsecurePersistence(false);
    expect(again.info('p')).toMatchObject({ location: 'memory' });
    expect(await again.get('p')).toBe(key);
    expect(JSON.parse(await fileText())).toEqual({
      version: 2,
      allowInsecurePersistence: false,
      secrets: {},
    });
  });

  it('with no cipher keeps keys for the session only, and cannot read stored ones', async () => {
    const cipher = new TestCipher();
    await (await open(cipher)).set('p', newKey(), { sessionOnly: false, verified: null });
    const store = await open(null);
    expect(await store.storage()).toEqual({
      backend: 'none',
      secure: false,
      persistAllowed: false,
    });
    await expect(
      store.set('q', newKey(), { sessionOnly: false, verified: null }),
    ).rejects.toMatchObject({
      kind: 'insecure-storage',
      message: expect.stringMatching(/no encrypted key store/),
    });
    await expect(store.get('p', '"Production"')).rejects.toMatchObject({
      kind: 'undecryptable',
      message: 'The key of "Production" cannot be read: no system key store is available',
    });
  });

  it('keeps the previous key when the cipher or the disk fails', async () => {
    const store = await open(new TestCipher({ failEncrypt: true }));
    await expect(
      store.set('p', newKey(), { sessionOnly: false, verified: null }),
    ).rejects.toMatchObject({
      kind: 'storage',
      message: expect.stringMatching(/could not be encrypted.*Nothing was saved/),
    });
    expect(store.has('p')).toBe(false);

    const working = await open(new TestCipher());
    const first = newKey();
    await working.set('p', first, { sessionOnly: false, verified: true });
    // The folder becomes a file: the next write cannot happen.
    await rename(join(tmp.path, 'cfg'), join(tmp.path, 'moved'));
    await writeFile(join(tmp.path, 'cfg'), '');
    const second = newKey();
    const failed = await working
      .set('p', second, { sessionOnly: false, verified: true })
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({
      kind: 'storage',
      message: expect.stringMatching(
        /could not be written \(E[A-Z]+\); the previous state is kept/,
      ),
    });
    expect(String((failed as Error).message)).not.toContain(second.slice(5, 21));
    expect(await working.get('p')).toBe(first);
    await expect(working.delete('p')).rejects.toMatchObject({ kind: 'storage' });
    expect(working.has('p')).toBe(true);
  });

  it('tells listeners which key changed, never the key, and forgets its rate-limit gate', async () => {
    const store = await open(new TestCipher());
    const changes: SecretChange[] = [];
    const stop = store.onDidChange((c) => changes.push(c));
    const key = newKey();
    await store.set('p', key, { sessionOnly: false, verified: null });
    await store.setVerified('p', false);
    await store.setVerified('p', false); // no change, no event
    expect(store.info('p')?.verified).toBe(false);
    const gate = gateForKey(key);
    expect(await store.delete('p')).toBe(true);
    expect(await store.delete('p')).toBe(false);
    expect(gateForKey(key)).not.toBe(gate);
    expect(changes).toEqual([
      { id: 'p', change: 'set' },
      { id: 'p', change: 'verified' },
      { id: 'p', change: 'deleted' },
    ]);
    expect(JSON.parse(await fileText()).secrets).toEqual({});
    stop();
    await store.set('q', newKey(), { sessionOnly: true, verified: null });
    expect(changes).toHaveLength(3);
  });

  it('reports a stored key another cipher cannot open as undecryptable', async () => {
    await (await open(new TestCipher())).set('p', newKey(), { sessionOnly: false, verified: true });
    const other = await open(new TestCipher());
    await expect(other.get('p', '"Production"')).rejects.toMatchObject({
      kind: 'undecryptable',
      message: expect.stringMatching(/stored key of "Production" could not be decrypted/),
    });
    // Still listed: the person sees a key is set and is asked for it again.
    expect(other.info('p')).toMatchObject({ location: 'disk' });
  });
});
