/**
 * The clients of the profiles (electron/core/profileClients.ts) against a real HTTP server:
 * each bound to its profile's key and address, built over the transport it is given, and
 * the queue's shared one renewed when the key or the address changes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FetchLike } from '../../../electron/core/ports';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { createProfileClients } from '../../../electron/core/profileClients';
import { createKeyVerifier, KeyVault } from '../../../electron/core/vault';
import { startRecordingServer, type RecordingServer } from '../../support/recordingServer';
import { tempDir } from '../../support/media';

const newKey = () => `ffsk_${randomBytes(32).toString('hex')}`;

let api: RecordingServer;
let tmp: { path: string; cleanup(): Promise<void> };
let vault: KeyVault;
beforeEach(async () => {
  api = await startRecordingServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"commands":[]}');
  });
  tmp = await tempDir('profile-clients-');
  vault = await KeyVault.open({
    file: join(tmp.path, 'keys.json'),
    cipher: null,
    verifier: createKeyVerifier({ fetch: undiciFetch }),
    env: {},
  });
});
afterEach(async () => {
  await api.close();
  await tmp.cleanup();
});

/** A session-only profile at the recording server with a key of its own. */
async function profileWithKey(name: string): Promise<{ id: string; key: string }> {
  const key = newKey();
  const p = await vault.addProfile({ name, baseUrl: api.url });
  expect((await vault.set(key, { profileId: p.profileId, sessionOnly: true })).ok).toBe(true);
  return { id: p.profileId, key };
}

describe('profile clients', () => {
  it("sends each profile's own key, through the transport it was given", async () => {
    const urls: string[] = [];
    const counting: FetchLike = Object.assign(
      (input: string, init?: RequestInit) => {
        urls.push(input);
        return undiciFetch(input, init);
      },
      { uploadChunkBytes: undiciFetch.uploadChunkBytes },
    );
    const clients = createProfileClients({
      fetch: counting,
      profiles: vault.profiles,
      secrets: vault.secrets,
    });
    const a = await profileWithKey('A');
    const b = await profileWithKey('B');
    api.requests.length = 0;
    await clients.clientFor(b.id).listCommands({ limit: 1 });
    await clients.clientFor().listCommands({ limit: 1 }); // the active one: A, the first
    expect(api.requests.map((r) => r.headers['x-api-key'])).toEqual([b.key, a.key]);
    expect(urls).toHaveLength(2);
    clients.dispose();
  });

  it('keeps one shared client per profile until its key or its address changes', async () => {
    const clients = createProfileClients({
      fetch: undiciFetch,
      profiles: vault.profiles,
      secrets: vault.secrets,
    });
    const { id } = await profileWithKey('A');
    const first = clients.shared(id);
    expect(clients.shared(id)).toBe(first);
    await vault.reportRejected(id); // only the check changed
    expect(clients.shared(id)).toBe(first);

    const next = newKey();
    expect((await vault.set(next, { profileId: id, sessionOnly: true })).ok).toBe(true);
    const second = clients.shared(id);
    expect(second).not.toBe(first);
    api.requests.length = 0;
    await second.listCommands({ limit: 1 });
    expect(api.requests[0]!.headers['x-api-key']).toBe(next);

    const elsewhere = await startRecordingServer();
    try {
      await vault.updateProfile(id, { baseUrl: elsewhere.url });
      const third = clients.shared(id);
      expect(third).not.toBe(second);
      expect(third.baseUrl).toBe(elsewhere.url);
      // The move dropped the key: the old client cannot borrow it for the old address.
      await expect(second.listCommands({ limit: 1 })).rejects.toThrow();
      expect(api.requests).toHaveLength(1);
    } finally {
      await elsewhere.close();
    }
    clients.dispose();
  });
});
