/**
 * The profile store alone: saved cloud profiles in profiles.json (no key material), the
 * active one, session-only env/local profiles that are never written, and the address rules
 * a key relies on. Real files in a temp directory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProfileStore } from '../../../../../electron/core/vault/profileStore';
import { loadVaultFiles } from '../../../../../electron/core/vault/vaultFile';
import { createLogger } from '../../../../../shared/redact';
import { tempDir } from '../../../../support/media';

let tmp: { path: string; cleanup(): Promise<void> };
let file: string;
let warnings: string[];
beforeEach(async () => {
  tmp = await tempDir('profile-store-');
  file = join(tmp.path, 'cfg', 'profiles.json');
  warnings = [];
});
afterEach(async () => {
  await tmp.cleanup();
});

async function open(): Promise<ProfileStore> {
  const logger = createLogger('vault', (level, line) => {
    if (level === 'warn') warnings.push(line);
  });
  const data = await loadVaultFiles(
    { keysFile: join(tmp.path, 'cfg', 'keys.json'), profilesFile: file },
    logger,
  );
  return new ProfileStore({ file, logger }, data.profiles);
}

const saved = async (): Promise<unknown> => JSON.parse(await readFile(file, 'utf8'));

describe('ProfileStore', () => {
  it('saves cloud profiles; the first becomes active; a new session reads them back', async () => {
    const store = await open();
    expect(store.activeId()).toBeNull();
    const prod = await store.add({
      name: '  Production ',
      baseUrl: 'https://renderio.dev/api/v1/',
    });
    const dev = await store.add({ name: 'Development', baseUrl: 'http://127.0.0.1:8787' });
    expect(prod).toMatchObject({
      name: 'Production',
      baseUrl: 'https://renderio.dev',
      kind: 'cloud',
    });
    expect(store.activeId()).toBe(prod.id);
    expect(await saved()).toEqual({
      version: 1,
      activeProfileId: prod.id,
      profiles: [
        {
          id: prod.id,
          name: 'Production',
          baseUrl: 'https://renderio.dev',
          updatedAt: prod.updatedAt,
        },
        {
          id: dev.id,
          name: 'Development',
          baseUrl: 'http://127.0.0.1:8787',
          updatedAt: dev.updatedAt,
        },
      ],
    });
    await store.setActive(dev.id);
    const next = await open();
    expect(next.list().map((p) => p.name)).toEqual(['Production', 'Development']);
    expect(next.activeId()).toBe(dev.id);
    expect(next.defaultCloud()?.id).toBe(dev.id);
  });

  it('refuses names and addresses a key must not go to, saving nothing', async () => {
    const store = await open();
    for (const baseUrl of [
      'http://renderio.dev',
      'https://user:pw@renderio.dev',
      'ftp://renderio.dev',
      'not a url',
    ])
      await expect(store.add({ name: 'X', baseUrl })).rejects.toMatchObject({
        kind: 'invalid-profile',
      });
    await expect(store.add({ name: ' ', baseUrl: 'https://a.example' })).rejects.toMatchObject({
      kind: 'invalid-profile',
      message: 'A profile name has 1 to 80 characters',
    });
    expect(store.list()).toEqual([]);
    await expect(readFile(file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('renames and moves saved profiles; removing the active one activates the next', async () => {
    const store = await open();
    const a = await store.add({ name: 'A', baseUrl: 'https://a.example' });
    const b = await store.add({ name: 'B', baseUrl: 'https://b.example' });
    const moved = await store.update(a.id, { name: 'A2', baseUrl: 'https://a2.example/' });
    expect(moved).toMatchObject({ name: 'A2', baseUrl: 'https://a2.example' });
    await store.remove(a.id);
    expect(store.activeId()).toBe(b.id);
    expect(await saved()).toMatchObject({ activeProfileId: b.id, profiles: [{ id: b.id }] });
    await expect(store.update('nope', { name: 'x' })).rejects.toMatchObject({
      kind: 'unknown-profile',
    });
    await expect(store.setActive('nope')).rejects.toMatchObject({ kind: 'unknown-profile' });
  });

  it('keeps env and local profiles for the session only; choosing this computer is remembered', async () => {
    const store = await open();
    const cloud = await store.add({ name: 'Cloud', baseUrl: 'https://c.example' });
    store.putSession({
      id: 'env',
      name: 'RENDERIO_API_KEY',
      baseUrl: 'https://e.example',
      kind: 'env',
    });
    store.activateForSession('env');
    expect(store.activeId()).toBe('env');
    expect(store.hasSessionChoice()).toBe(true);
    // A key given without a profile still goes to a cloud profile.
    expect(store.defaultCloud()?.id).toBe(cloud.id);
    store.putSession({
      id: 'local',
      name: 'This computer',
      baseUrl: 'http://127.0.0.1:1',
      kind: 'local',
    });
    expect(() => store.activateForSession(cloud.id)).toThrow(/setActive/);
    await store.setActive('local');
    expect(store.isLocalChosen()).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(JSON.parse(text)).toEqual({
      version: 1,
      activeProfileId: cloud.id,
      preferLocal: true,
      profiles: [expect.objectContaining({ id: cloud.id })],
    });
    expect(text).not.toContain('RENDERIO_API_KEY');
    expect(text).not.toContain('127.0.0.1');

    const next = await open();
    expect(next.isLocalChosen()).toBe(true);
    expect(next.list().map((p) => p.kind)).toEqual(['cloud']);
    await next.setActive(cloud.id);
    expect(next.isLocalChosen()).toBe(false);
    expect(await saved()).not.toHaveProperty('preferLocal');
  });

  it('makes the first profile given a key active only when none is', async () => {
    const store = await open();
    store.putSession({
      id: 'local',
      name: 'This computer',
      baseUrl: 'http://127.0.0.1:1',
      kind: 'local',
    });
    await store.activateIfNone('local');
    expect(store.activeId()).toBe('local');
    const cloud = await store.add({ name: 'Cloud', baseUrl: 'https://c.example' });
    // The saved profile is active for the next launch; this session stays on this computer.
    expect(store.activeId()).toBe('local');
    await store.activateIfNone(cloud.id);
    expect(store.activeId()).toBe('local');
    expect(await saved()).toMatchObject({ activeProfileId: cloud.id });
  });

  it('does not keep a profile it could not save', async () => {
    const store = await open();
    await store.add({ name: 'Kept', baseUrl: 'https://k.example' });
    await rename(join(tmp.path, 'cfg'), join(tmp.path, 'moved'));
    await writeFile(join(tmp.path, 'cfg'), '');
    await expect(store.add({ name: 'Lost', baseUrl: 'https://l.example' })).rejects.toMatchObject({
      kind: 'storage',
      message: expect.stringMatching(/^The profile could not be saved \(E[A-Z]+\)$/),
    });
    expect(store.list().map((p) => p.name)).toEqual(['Kept']);
  });

  it('skips a saved profile whose address is no longer allowed, saying which', async () => {
    await (await open()).add({ name: 'Fine', baseUrl: 'https://f.example' });
    const raw = (await saved()) as { profiles: object[] };
    raw.profiles.push({ id: 'old', name: 'Old', baseUrl: 'http://10.0.0.5', updatedAt: '' });
    await writeFile(file, JSON.stringify(raw));
    const store = await open();
    expect(store.list().map((p) => p.name)).toEqual(['Fine']);
    expect(warnings).toEqual(['[vault] profile old has an unusable address and was skipped']);
  });

  it('refuses two profiles with the same name (letter case aside), on add and on rename', async () => {
    const store = await open();
    const dev = await store.add({ name: 'Development', baseUrl: 'https://renderio.dev' });
    await expect(
      store.add({ name: ' development ', baseUrl: 'https://renderio.dev' }),
    ).rejects.toThrow(/"Development" already exists/);
    const prod = await store.add({ name: 'Production', baseUrl: 'https://renderio.dev' });
    await expect(store.update(prod.id, { name: 'DEVELOPMENT' })).rejects.toThrow(/already exists/);
    // Its own name, in another case, is no clash.
    await store.update(dev.id, { name: 'development' });
    const names = ((await saved()) as { profiles: { name: string }[] }).profiles.map((p) => p.name);
    expect(names.sort()).toEqual(['Production', 'development']);
  });
});
