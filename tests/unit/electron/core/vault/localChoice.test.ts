/**
 * "Run jobs on" across launches: choosing this computer (the local engine, which is never
 * stored itself) is remembered in the profile file, choosing a cloud profile forgets it, and a
 * launch never starts on a profile that has no key. No server: the cloud address is a
 * closed local port, so keys are saved unverified.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createKeyVerifier,
  KeyVault,
  LOCAL_PROFILE_ID,
  type VaultOptions,
} from '../../../../../electron/core/vault';
import { undiciFetch } from '../../../../../electron/core/client/undiciFetch';
import { TestCipher } from '../../../../support/testCipher';
import { tempDir } from '../../../../support/media';

const newKey = () => `ffsk_${randomBytes(32).toString('hex')}`;
const CLOSED = 'http://127.0.0.1:9';

let tmp: { path: string; cleanup(): Promise<void> };
let file: string;
let profilesFile: string;
const cipher = new TestCipher({ backend: 'gnome_libsecret', secure: true });
beforeEach(async () => {
  tmp = await tempDir('vault-choice-');
  file = join(tmp.path, 'keys.json');
  profilesFile = join(tmp.path, 'profiles.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

function open(o: Partial<VaultOptions> = {}): Promise<KeyVault> {
  return KeyVault.open({
    file,
    cipher,
    verifier: createKeyVerifier({ fetch: undiciFetch }),
    env: {},
    defaultBaseUrl: CLOSED,
    ...o,
  });
}

/** One launch: the vault opens, then the app starts its engine (not asked to activate it). */
async function launch(): Promise<KeyVault> {
  const vault = await open();
  await vault.setLocalEngine({ baseUrl: 'http://127.0.0.1:8787', key: newKey(), activate: false });
  return vault;
}

describe('the local engine as a choice', () => {
  it('is remembered when chosen and forgotten when a cloud profile is chosen', async () => {
    const first = await launch();
    expect((await first.set(newKey())).ok).toBe(true);
    const cloudId = (await first.status()).profiles.find((p) => p.kind === 'cloud')!.profileId;
    await first.setActive(cloudId);
    expect(first.isLocalChosen()).toBe(false);
    expect((await (await launch()).status()).activeProfileId).toBe(cloudId);

    const second = await launch();
    await second.setActive(LOCAL_PROFILE_ID);
    expect(second.isLocalChosen()).toBe(true);
    expect(JSON.parse(await readFile(profilesFile, 'utf8'))).toMatchObject({ preferLocal: true });
    const third = await launch();
    expect(third.isLocalChosen()).toBe(true);
    expect((await third.status()).activeProfileId).toBe(LOCAL_PROFILE_ID);

    await third.setActive(cloudId);
    expect(JSON.parse(await readFile(profilesFile, 'utf8'))).not.toHaveProperty('preferLocal');
    expect((await (await launch()).status()).activeProfileId).toBe(cloudId);
  });

  it('is only the default until chosen', async () => {
    const vault = await launch();
    expect((await vault.status()).activeProfileId).toBe(LOCAL_PROFILE_ID);
    expect(vault.isLocalChosen()).toBe(false);
  });

  it('takes over at launch from an active profile that has no key', async () => {
    // A first key refused on a weak store leaves a keyless cloud profile, saved as active.
    const weak = new TestCipher({ backend: 'basic_text', secure: false });
    const before = await open({ cipher: weak });
    expect((await before.set(newKey())).ok).toBe(false);
    const status = await before.status();
    expect(status.profiles.find((p) => p.kind === 'cloud')).toMatchObject({ configured: false });
    expect(status.activeProfileId).not.toBeNull();

    const next = await launch();
    expect((await next.status()).activeProfileId).toBe(LOCAL_PROFILE_ID);
    expect(next.isLocalChosen()).toBe(false);
  });

  it('does not override a session started with RENDERIO_API_KEY', async () => {
    const chooser = await launch();
    await chooser.setActive(LOCAL_PROFILE_ID);
    const vault = await open({
      env: { RENDERIO_API_KEY: newKey(), RENDERIO_BASE_URL: CLOSED },
      defaultBaseUrl: undefined,
    });
    await vault.setLocalEngine({
      baseUrl: 'http://127.0.0.1:8787',
      key: newKey(),
      activate: false,
    });
    expect((await vault.status()).activeProfileId).toBe('env');
  });
});
