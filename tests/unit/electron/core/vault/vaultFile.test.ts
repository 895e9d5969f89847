import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  emptyVault,
  readVaultFile,
  writeVaultFile,
  type VaultFileData,
} from '../../../../../electron/core/vault/vaultFile';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
let file: string;
beforeEach(async () => {
  dir = await tempDir('vault-file-');
  file = join(dir.path, 'sub', 'keys.json');
});
afterEach(async () => {
  await dir.cleanup();
});

const sample: VaultFileData = {
  version: 1,
  activeProfileId: 'p1',
  allowInsecurePersistence: false,
  profiles: [
    {
      id: 'p1',
      name: 'Production',
      baseUrl: 'https://renderio.dev',
      kind: 'cloud',
      verified: true,
      hint: 'ffsk_…a1b2',
      ciphertext: Buffer.from('opaque').toString('base64'),
      backend: 'keychain',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
  ],
};

describe('vault file', () => {
  it('reads a missing file as an empty vault', async () => {
    expect(await readVaultFile(file)).toEqual({ data: emptyVault(), problem: null });
  });

  it('writes atomically with mode 0600 in a 0700 folder and reads it back', async () => {
    await writeVaultFile(file, sample);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir.path, 'sub'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir.path, 'sub'))).toEqual(['keys.json']);
    expect((await readVaultFile(file)).data).toEqual(sample);
    await writeVaultFile(file, { ...sample, activeProfileId: null });
    expect((await readVaultFile(file)).data.activeProfileId).toBeNull();
    expect(await readdir(join(dir.path, 'sub'))).toEqual(['keys.json']);
  });

  it('tightens a file whose mode was widened', async () => {
    await writeVaultFile(file, sample);
    await chmod(file, 0o644);
    await readVaultFile(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('sets an unreadable file aside and starts empty', async () => {
    await writeVaultFile(file, sample);
    await writeFile(file, '{"version": 99}');
    const r = await readVaultFile(file);
    expect(r.data).toEqual(emptyVault());
    expect(r.problem).toMatch(/moved aside/);
    const names = await readdir(join(dir.path, 'sub'));
    expect(names.some((n) => n.startsWith('keys.json.unreadable-'))).toBe(true);
    const aside = names.find((n) => n.startsWith('keys.json.unreadable-'))!;
    expect(await readFile(join(dir.path, 'sub', aside), 'utf8')).toBe('{"version": 99}');
  });

  it('skips malformed profiles but keeps the good ones', async () => {
    await writeVaultFile(file, sample);
    const raw = JSON.parse(await readFile(file, 'utf8')) as { profiles: unknown[] };
    raw.profiles.push({ id: 3 }, null, 'x');
    await writeFile(file, JSON.stringify(raw));
    expect((await readVaultFile(file)).data.profiles.map((p) => p.id)).toEqual(['p1']);
  });
});
