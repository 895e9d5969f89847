/**
 * The key vault (its three services together) with a real AES-256-GCM cipher, real files and
 * a small API server that knows which keys are valid (the engine-backed tests are in
 * engineClient.test.ts; each service alone in tests/unit/electron/core/vault).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createKeyVerifier,
  KeyVault,
  VaultError,
  type VaultOptions,
} from '../../../electron/core/vault';
import { createProfileClients } from '../../../electron/core/profileClients';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { startRecordingServer, type RecordingServer } from '../../support/recordingServer';
import { TestCipher } from '../../support/testCipher';
import { tempDir } from '../../support/media';
import { SafeStorageDouble } from '../../support/electron/safeStorage';

// The adapter imports 'electron', which cannot load without its binary; it is handed the double.
vi.mock('electron', () => ({ safeStorage: {} }));
const { createSafeStorageCipher } = await import('../../../electron/adapters/safeStorageCipher');

const newKey = () => `ffsk_${randomBytes(32).toString('hex')}`;

let api: RecordingServer;
let tmp: { path: string; cleanup(): Promise<void> };
let file: string;
let profilesFile: string;
const valid = new Set<string>();

beforeEach(async () => {
  valid.clear();
  api = await startRecordingServer((req, res) => {
    const ok = valid.has(String(req.headers['x-api-key'] ?? ''));
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        ok ? { commands: [], limit: 1, offset: 0 } : { detail: 'Invalid or missing API key' },
      ),
    );
  });
  tmp = await tempDir('vault-');
  file = join(tmp.path, 'cfg', 'renderio-keys.json');
  profilesFile = join(tmp.path, 'cfg', 'profiles.json');
});
afterEach(async () => {
  await api.close();
  await tmp.cleanup();
});

function open(o: Partial<VaultOptions> = {}): Promise<KeyVault> {
  return KeyVault.open({
    file,
    cipher: new TestCipher(),
    verifier: createKeyVerifier({ fetch: undiciFetch, timeoutMs: 2000 }),
    env: {},
    defaultBaseUrl: api.url,
    ...o,
  });
}

/** The key file as text, and a check that no part of any key is in it or the profile file. */
async function fileHoldsNoKey(...keys: string[]): Promise<string> {
  // A vault that never stored a key has no key file.
  const text = await readFile(file, 'utf8').catch(() => '');
  const profiles = await readFile(profilesFile, 'utf8').catch(() => '');
  for (const k of keys) {
    for (const t of [text, profiles]) {
      expect(t).not.toContain(k);
      expect(t).not.toContain(k.slice(5, 21));
      expect(t).not.toContain(Buffer.from(k).toString('base64').slice(0, 20));
    }
  }
  return text;
}

/** The ciphertext keys.json holds for the only key it holds. */
function onlyCiphertext(text: string): string {
  const { secrets } = JSON.parse(text) as { secrets: Record<string, { ciphertext: string }> };
  const all = Object.values(secrets);
  expect(all).toHaveLength(1);
  return all[0]!.ciphertext;
}

describe('KeyVault', () => {
  it('verifies, stores ciphertext only (0600, atomic) and lends the key through withKey', async () => {
    const key = newKey();
    valid.add(key);
    const cipher = new TestCipher();
    const vault = await open({ cipher });
    const r = await vault.set(`  ${key}\n`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.status).toMatchObject({
      configured: true,
      verified: true,
      hint: `ffsk_…${key.slice(-4)}`,
      backend: 'aes-gcm-test',
      secure: true,
      sessionOnly: false,
      kind: 'cloud',
      active: true,
    });
    expect(JSON.stringify(r)).not.toContain(key);
    expect(api.requests[0]!.url).toBe('/api/v1/commands?limit=1');
    expect(api.requests[0]!.headers['x-api-key']).toBe(key);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(profilesFile)).mode & 0o777).toBe(0o600);
    // No temp file left.
    expect((await readdir(join(tmp.path, 'cfg'))).sort()).toEqual([
      'profiles.json',
      'renderio-keys.json',
    ]);
    await fileHoldsNoKey(key);
    expect(await vault.withKey(async (k) => k)).toBe(key);
    // A new process with the same cipher reads it back.
    const again = await open({ cipher });
    expect(await again.withKey(async (k, p) => `${k}@${p.baseUrl}`)).toBe(`${key}@${api.url}`);
    const status = await again.status();
    expect(JSON.stringify(status)).not.toContain(key);
    expect(status.profiles[0]!.verified).toBe(true);
  });

  it('refuses a bad format and a key the API refuses (401), saving nothing', async () => {
    const vault = await open();
    const bad = await vault.set('ffsk_123');
    expect(bad).toMatchObject({ ok: false, reason: 'format' });
    expect(api.requests).toHaveLength(0);
    const refused = newKey();
    const r = await vault.set(refused);
    expect(r).toMatchObject({ ok: false, reason: 'rejected' });
    if (r.ok) return;
    expect(r.message).toMatch(/refused/);
    expect(r.message).not.toContain(refused.slice(5, 15));
    expect((await vault.status()).profiles.every((p) => !p.configured)).toBe(true);
    await expect(vault.withKey(async (k) => k)).rejects.toBeInstanceOf(VaultError);
    const text = await fileHoldsNoKey(refused);
    expect(text).not.toContain('ciphertext": "');
    // The default profile the key was meant for is saved; no key file was ever needed.
    expect(JSON.parse(await readFile(profilesFile, 'utf8'))).toMatchObject({
      profiles: [{ name: 'RenderIO', baseUrl: api.url }],
    });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('saves a key it cannot check (server unreachable) as unverified', async () => {
    const key = newKey();
    const port = new URL(api.url).port;
    await api.close();
    const vault = await open({ defaultBaseUrl: `http://127.0.0.1:${port}` });
    const r = await vault.set(key);
    expect(r).toMatchObject({ ok: true, status: { verified: null, configured: true } });
    if (r.ok) expect(r.message).toMatch(/could not be reached/);
    await fileHoldsNoKey(key);
    api = await startRecordingServer();
  });

  it('rotation: a new key replaces the old one only once it verifies', async () => {
    const oldKey = newKey();
    valid.add(oldKey);
    const vault = await open();
    expect((await vault.set(oldKey)).ok).toBe(true);
    const wrong = newKey();
    const r = await vault.set(wrong);
    expect(r).toMatchObject({ ok: false, reason: 'rejected' });
    if (!r.ok) expect(r.message).toMatch(/current key is kept/);
    expect(await vault.withKey(async (k) => k)).toBe(oldKey);
    // Unreachable during a rotation: the old key stays too.
    const profileId = (await vault.status()).activeProfileId!;
    await vault.updateProfile(profileId, { name: 'Production' });
    await api.close();
    const offline = await vault.set(newKey());
    expect(offline).toMatchObject({ ok: false, reason: 'unverified-rotation' });
    expect(await vault.withKey(async (k) => k)).toBe(oldKey);
    api = await startRecordingServer((req, res) => {
      const ok = valid.has(String(req.headers['x-api-key'] ?? ''));
      res
        .writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
        .end(ok ? '{"commands":[]}' : '{"detail":"Invalid or missing API key"}');
    });
    const good = newKey();
    valid.add(good);
    await vault.updateProfile(profileId, { baseUrl: api.url });
    // Moving the profile to another address dropped its key.
    expect((await vault.profileStatus(profileId))!.configured).toBe(false);
    expect((await vault.set(good, { profileId })).ok).toBe(true);
    expect(await vault.withKey(async (k) => k)).toBe(good);
    await fileHoldsNoKey(oldKey, good, wrong);
  });

  it('holds several profiles with one active', async () => {
    const prod = newKey();
    const dev = newKey();
    valid.add(prod).add(dev);
    const vault = await open();
    const p1 = await vault.addProfile({ name: 'Production', baseUrl: api.url });
    const p2 = await vault.addProfile({ name: 'Development', baseUrl: api.url });
    expect((await vault.set(prod, { profileId: p1.profileId })).ok).toBe(true);
    expect((await vault.set(dev, { profileId: p2.profileId })).ok).toBe(true);
    expect((await vault.status()).activeProfileId).toBe(p1.profileId);
    await vault.setActive(p2.profileId);
    expect(await vault.withKey(async (k) => k)).toBe(dev);
    expect(await vault.withKey(async (k) => k, { profileId: p1.profileId })).toBe(prod);
    const reopened = await open();
    expect((await reopened.status()).activeProfileId).toBe(p2.profileId);
    await vault.clear(p2.profileId);
    expect((await vault.profileStatus(p2.profileId))!.configured).toBe(false);
    await vault.removeProfile(p1.profileId);
    expect((await vault.status()).profiles.map((p) => p.name)).toEqual(['Development']);
    await fileHoldsNoKey(prod, dev);
  });

  it('RENDERIO_API_KEY gives a session-only env profile that is never written', async () => {
    const key = newKey();
    const vault = await open({ env: { RENDERIO_API_KEY: key, RENDERIO_BASE_URL: api.url } });
    const s = await vault.status();
    expect(s.activeProfileId).toBe('env');
    expect(s.profiles[0]).toMatchObject({
      kind: 'env',
      sessionOnly: true,
      configured: true,
      backend: 'memory',
    });
    expect(await vault.withKey(async (k) => k)).toBe(key);
    expect((await vault.set(newKey(), { profileId: 'env' })).ok).toBe(false);
    // It is the session's, not the person's to rename or remove (the Tools drawer asks main).
    await expect(vault.removeProfile('env')).rejects.toThrow(
      /comes from the RENDERIO_API_KEY environment variable/,
    );
    await expect(vault.updateProfile('env', { name: 'Mine' })).rejects.toThrow(
      /cannot be renamed or moved here/,
    );
    expect(await vault.withKey(async (k) => k, { profileId: 'env' })).toBe(key);
    // Setting a cloud key writes the file: the env key is not in it.
    const cloud = newKey();
    valid.add(cloud);
    expect((await vault.set(cloud)).ok).toBe(true);
    await fileHoldsNoKey(key, cloud);
    expect(await readFile(file, 'utf8')).not.toContain('"env"');
    expect(await readFile(profilesFile, 'utf8')).not.toContain('"env"');
    expect(await readFile(profilesFile, 'utf8')).not.toContain('RENDERIO_API_KEY');
    // A malformed env key is ignored, not used.
    const v2 = await open({ env: { RENDERIO_API_KEY: 'ffsk_nope' } });
    expect((await v2.status()).profiles.some((p) => p.kind === 'env')).toBe(false);
  });

  it('the local engine profile lives in memory only', async () => {
    const key = newKey();
    const vault = await open();
    const st = await vault.setLocalEngine({ baseUrl: 'http://127.0.0.1:45678', key });
    expect(st).toMatchObject({ kind: 'local', sessionOnly: true, active: true, configured: true });
    // Not even its masked end reaches the window.
    expect(st?.hint).toBeNull();
    expect(JSON.stringify(await vault.status())).not.toContain(`ffsk_…${key.slice(-4)}`);
    expect(vault.credentials().baseUrl).toBe('http://127.0.0.1:45678');
    await expect(vault.setLocalEngine({ baseUrl: 'http://example.com', key })).rejects.toThrow(
      /https/,
    );
    // Nothing was ever written.
    await expect(readFile(file, 'utf8')).rejects.toThrow();
    await expect(readFile(profilesFile, 'utf8')).rejects.toThrow();
  });

  it('refuses to persist on an insecure backend; offers session-only or an explicit opt-in', async () => {
    const key = newKey();
    valid.add(key);
    const cipher = new TestCipher({ backend: 'basic_text', secure: false });
    const vault = await open({ cipher });
    expect((await vault.status()).storage).toEqual({
      backend: 'basic_text',
      secure: false,
      persistAllowed: false,
    });
    const refused = await vault.set(key);
    expect(refused).toMatchObject({ ok: false, reason: 'insecure-storage' });
    if (!refused.ok) expect(refused.message).toMatch(/session only/);
    expect(api.requests).toHaveLength(0); // not even sent anywhere
    const session = await vault.set(key, { sessionOnly: true });
    expect(session).toMatchObject({
      ok: true,
      status: { sessionOnly: true, backend: 'memory', verified: true },
    });
    expect(cipher.encryptCalls).toBe(0);
    await fileHoldsNoKey(key);
    expect((await (await open({ cipher })).status()).profiles[0]!.configured).toBe(false);
    // The explicit choice: stored with the weak backend, reported as not secure.
    await vault.setAllowInsecurePersistence(true);
    const weak = await vault.set(key);
    expect(weak).toMatchObject({
      ok: true,
      status: { sessionOnly: false, backend: 'basic_text', secure: false },
    });
    const reopened = await open({ cipher });
    expect((await reopened.status()).storage.persistAllowed).toBe(true);
    expect(await reopened.withKey(async (k) => k)).toBe(key);
    // Taking the choice back removes the weakly stored key from disk, keeps it for the session.
    await reopened.setAllowInsecurePersistence(false);
    expect(await reopened.withKey(async (k) => k)).toBe(key);
    expect(await readFile(file, 'utf8')).not.toContain('"ciphertext": "');
  });

  it('with no cipher at all, keys can only be kept for the session', async () => {
    const key = newKey();
    valid.add(key);
    const vault = await open({ cipher: null });
    expect((await vault.set(key)).ok).toBe(false);
    expect((await vault.set(key, { sessionOnly: true })).ok).toBe(true);
    expect((await vault.status()).storage).toEqual({
      backend: 'none',
      secure: false,
      persistAllowed: false,
    });
  });

  it('reports a key that another cipher (another machine or user) cannot decrypt', async () => {
    const key = newKey();
    valid.add(key);
    const vault = await open();
    await vault.set(key);
    const other = await open({ cipher: new TestCipher() });
    await expect(other.withKey(async (k) => k)).rejects.toMatchObject({ kind: 'undecryptable' });
  });

  it('sets a corrupt file aside instead of failing or losing it', async () => {
    const key = newKey();
    valid.add(key);
    const vault = await open();
    await vault.addProfile({ name: 'A', baseUrl: api.url });
    expect((await vault.set(key)).ok).toBe(true);
    await writeFile(profilesFile, '{ not json');
    const again = await open();
    expect((await again.status()).profiles).toEqual([]);
    const names = await readdir(join(tmp.path, 'cfg'));
    expect(names.some((n) => n.startsWith('profiles.json.unreadable-'))).toBe(true);
    // The key store itself was fine and stays; a corrupt one is set aside too.
    expect(onlyCiphertext(await readFile(file, 'utf8'))).toMatch(/^[A-Za-z0-9+/]+=*$/);
    await writeFile(file, '{ not json');
    await open();
    const after = await readdir(join(tmp.path, 'cfg'));
    expect(after.some((n) => n.startsWith('renderio-keys.json.unreadable-'))).toBe(true);
  });

  it("opens today's key file: profiles, the active one, the key and the choices carry over", async () => {
    // keys.json as RenderIO Desktop wrote it before the vault was split (format 1).
    const cipher = new TestCipher({ backend: 'gnome_libsecret' });
    const key = newKey();
    const hint = `ffsk_…${key.slice(-4)}`;
    const todays = {
      version: 1,
      activeProfileId: 'p1',
      allowInsecurePersistence: false,
      preferLocal: true,
      profiles: [
        {
          id: 'p1',
          name: 'Production',
          baseUrl: api.url,
          kind: 'cloud',
          verified: true,
          hint,
          ciphertext: (await cipher.encrypt(key)).toString('base64'),
          backend: 'gnome_libsecret',
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
        {
          id: 'p2',
          name: 'Staging',
          baseUrl: 'https://staging.example',
          kind: 'cloud',
          verified: null,
          hint: null,
          ciphertext: null,
          backend: null,
          updatedAt: '2026-01-02T00:00:00.000Z',
        },
      ],
    };
    await mkdir(join(tmp.path, 'cfg'), { mode: 0o700 });
    await writeFile(file, JSON.stringify(todays, null, 2) + '\n', { mode: 0o600 });
    const vault = await open({ cipher });
    expect(await vault.withKey(async (k, p) => `${k}@${p.profileId}`)).toBe(`${key}@p1`);
    const common = { kind: 'cloud', backend: 'gnome_libsecret', secure: true, sessionOnly: false };
    expect(await vault.status()).toEqual({
      activeProfileId: 'p1',
      storage: { backend: 'gnome_libsecret', secure: true, persistAllowed: true },
      profiles: [
        {
          ...common,
          profileId: 'p1',
          name: 'Production',
          baseUrl: api.url,
          active: true,
          configured: true,
          hint,
          verified: true,
        },
        {
          ...common,
          profileId: 'p2',
          name: 'Staging',
          baseUrl: 'https://staging.example',
          active: false,
          configured: false,
          hint: null,
          verified: null,
        },
      ],
    });
    expect(vault.isLocalChosen()).toBe(true);
    expect(api.requests).toHaveLength(0); // opening checks nothing with the API
    await fileHoldsNoKey(key);
  });

  it('a key entry the caller stops is not saved', async () => {
    api.handle(() => undefined); // the check never gets an answer
    const vault = await open();
    const abort = new AbortController();
    const pending = vault.set(newKey(), { signal: abort.signal });
    while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    expect((await vault.status()).profiles.map((p) => p.configured)).toEqual([false]);
  });

  it('credentials refuse once the profile moved to another address', async () => {
    const key = newKey();
    valid.add(key);
    const vault = await open();
    await vault.set(key);
    const creds = vault.credentials();
    const clients = createProfileClients({
      fetch: undiciFetch,
      profiles: vault.profiles,
      secrets: vault.secrets,
    });
    const client = clients.clientFor();
    expect((await client.checkKey()).result).toBe('valid');
    await vault.updateProfile(creds.profileId, { baseUrl: 'https://elsewhere.example' });
    await expect(creds.withKey(async (k) => k)).rejects.toBeInstanceOf(VaultError);
    // The moved profile has no key: a client of it has none to send.
    expect(await vault.profileStatus(creds.profileId)).toMatchObject({ configured: false });
    await expect(vault.withKey(async (k) => k)).rejects.toMatchObject({ kind: 'no-key' });
    clients.dispose();
  });
});

describe('the vault over the safeStorage adapter and its Electron 45 double', () => {
  it('encrypts a key again when the OS rotated its key, and says "try again" while the store is away', async () => {
    const store = new SafeStorageDouble(
      { platform: 'linux', backend: 'gnome_libsecret' },
      () => true,
    );
    const cipher = createSafeStorageCipher(store, 'linux');
    const key = newKey();
    valid.add(key);
    const first = await open({ cipher });
    expect((await first.set(key)).ok).toBe(true);
    const before = onlyCiphertext(await fileHoldsNoKey(key));

    // A new session after the OS rotated its key: the old ciphertext still opens, with
    // shouldReEncrypt, and the vault writes the key encrypted anew.
    store.rotateKey();
    const second = await open({ cipher });
    expect(await second.credentials().withKey(async (k) => k === key)).toBe(true);
    const after = onlyCiphertext(await fileHoldsNoKey(key));
    expect(after).not.toBe(before);
    const reopened = Buffer.from(after, 'base64');
    expect(await store.decryptStringAsync(reopened)).toEqual({
      result: key,
      shouldReEncrypt: false,
    });

    store.temporarilyUnavailable = true;
    const third = await open({ cipher });
    const e = await third
      .credentials()
      .withKey(async () => 'unreachable')
      .catch((error: unknown) => error);
    expect(e).toBeInstanceOf(VaultError);
    expect(e).toMatchObject({
      kind: 'store-unavailable',
      message: expect.stringMatching(/try again/),
    });
  });
});
