/**
 * The vault's files: keys.json (format 2) and profiles.json (format 1), and the migration of
 * today's keys.json (format 1, profiles and ciphertext together) into them. The format 1
 * fixtures are written exactly as RenderIO Desktop wrote them before the split
 * (`JSON.stringify(data, null, 2) + '\n'`, mode 0600).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, type LogLevel } from '../../../../../shared/redact';
import { loadVaultFiles, type VaultFiles } from '../../../../../electron/core/vault/vaultFile';
import { emptySecretsFile, writeSecretsFile } from '../../../../../electron/core/vault/secretsFile';
import {
  emptyProfilesFile,
  writeProfilesFile,
} from '../../../../../electron/core/vault/profilesFile';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
let files: VaultFiles;
let lines: { level: LogLevel; line: string }[];
const log = () => createLogger('vault', (level, line) => lines.push({ level, line }));
beforeEach(async () => {
  dir = await tempDir('vault-file-');
  files = { keysFile: join(dir.path, 'keys.json'), profilesFile: join(dir.path, 'profiles.json') };
  lines = [];
});
afterEach(async () => {
  await dir.cleanup();
});

const CIPHERTEXT = Buffer.from('opaque ciphertext of the cipher').toString('base64');

/** keys.json as the vault wrote it before the split (format 1). */
const TODAYS_FILE = {
  version: 1,
  activeProfileId: 'p2',
  allowInsecurePersistence: true,
  preferLocal: true,
  profiles: [
    {
      id: 'p1',
      name: 'Production',
      baseUrl: 'https://renderio.dev',
      kind: 'cloud',
      verified: true,
      hint: 'ffsk_…a1b2',
      ciphertext: CIPHERTEXT,
      backend: 'keychain',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
    {
      // A profile whose key was cleared (or kept for a session only): no ciphertext, no hint.
      id: 'p2',
      name: 'Staging',
      baseUrl: 'https://staging.renderio.dev',
      kind: 'cloud',
      verified: null,
      hint: null,
      ciphertext: null,
      backend: null,
      updatedAt: '2026-02-01T00:00:00.000Z',
    },
  ],
};

async function writeTodays(value: unknown = TODAYS_FILE): Promise<void> {
  await writeFile(files.keysFile, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
}

describe('vault files', () => {
  it('reads missing files as an empty vault and writes nothing', async () => {
    expect(await loadVaultFiles(files, log())).toEqual({
      secrets: emptySecretsFile(),
      profiles: emptyProfilesFile(),
    });
    expect(await readdir(dir.path)).toEqual([]);
  });

  it("migrates today's file: profiles to profiles.json, keys to keys.json format 2", async () => {
    await writeTodays();
    const data = await loadVaultFiles(files, log());
    const expected = {
      profiles: {
        version: 1,
        activeProfileId: 'p2',
        preferLocal: true,
        profiles: [
          {
            id: 'p1',
            name: 'Production',
            baseUrl: 'https://renderio.dev',
            updatedAt: '2026-01-01T00:00:00.000Z',
          },
          {
            id: 'p2',
            name: 'Staging',
            baseUrl: 'https://staging.renderio.dev',
            updatedAt: '2026-02-01T00:00:00.000Z',
          },
        ],
      },
      secrets: {
        version: 2,
        allowInsecurePersistence: true,
        secrets: {
          p1: {
            ciphertext: CIPHERTEXT,
            backend: 'keychain',
            hint: 'ffsk_…a1b2',
            verified: true,
            updatedAt: '2026-01-01T00:00:00.000Z',
          },
        },
      },
    };
    expect(data).toEqual(expected);
    // Both files are on disk in their new formats, 0600, and nothing else is left behind.
    expect(JSON.parse(await readFile(files.profilesFile, 'utf8'))).toEqual(expected.profiles);
    expect(JSON.parse(await readFile(files.keysFile, 'utf8'))).toEqual(expected.secrets);
    expect((await stat(files.keysFile)).mode & 0o777).toBe(0o600);
    expect((await stat(files.profilesFile)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir.path)).sort()).toEqual(['keys.json', 'profiles.json']);
    expect(lines).toEqual([
      {
        level: 'info',
        line: '[vault] the key store was updated from format 1 to 2; profiles are now kept in profiles.json',
      },
    ]);
    // A second open reads the new files as they are.
    lines = [];
    expect(await loadVaultFiles(files, log())).toEqual(expected);
    expect(lines).toEqual([]);
  });

  it('migrates again after a crash between writing profiles.json and keys.json', async () => {
    // The crash left a profiles.json from the first attempt beside the format 1 keys.json.
    await writeProfilesFile(files.profilesFile, { ...emptyProfilesFile(), activeProfileId: 'x' });
    await writeTodays();
    const data = await loadVaultFiles(files, log());
    expect(data.profiles.activeProfileId).toBe('p2');
    expect(data.profiles.profiles.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(Object.keys(data.secrets.secrets)).toEqual(['p1']);
  });

  it('tightens a file whose mode was widened', async () => {
    await writeSecretsFile(files.keysFile, emptySecretsFile());
    await writeProfilesFile(files.profilesFile, emptyProfilesFile());
    await chmod(files.keysFile, 0o644);
    await chmod(files.profilesFile, 0o604);
    await loadVaultFiles(files, log());
    expect((await stat(files.keysFile)).mode & 0o777).toBe(0o600);
    expect((await stat(files.profilesFile)).mode & 0o777).toBe(0o600);
  });

  it('keeps a damaged key file aside, says so, and starts empty', async () => {
    await writeFile(files.keysFile, '{ "version": 2, "secrets": ');
    const data = await loadVaultFiles(files, log());
    expect(data.secrets).toEqual(emptySecretsFile());
    const aside = (await readdir(dir.path)).find((n) => n.startsWith('keys.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir.path, aside!), 'utf8')).toBe('{ "version": 2, "secrets": ');
    expect(lines).toEqual([
      {
        level: 'error',
        line: `[vault] the key store (keys.json) cannot be used because it is not JSON; it was kept as ${aside} and a fresh one is used`,
      },
    ]);
  });

  it('keeps a file of a frame it does not know aside', async () => {
    await writeTodays({ ...TODAYS_FILE, profiles: 'none' });
    await writeFile(files.profilesFile, JSON.stringify({ version: 1, profiles: [] }));
    const data = await loadVaultFiles(files, log());
    expect(data).toEqual({ secrets: emptySecretsFile(), profiles: emptyProfilesFile() });
    const names = await readdir(dir.path);
    expect(names.filter((n) => n.includes('.unreadable-'))).toHaveLength(2);
    expect(lines.map((l) => l.line)).toEqual([
      expect.stringMatching(/the key store \(keys\.json\).*not a format 1 file/),
      expect.stringMatching(/the profile list \(profiles\.json\).*not a format 1 file/),
    ]);
  });

  it('keeps a file from a newer RenderIO Desktop aside instead of reading it wrong', async () => {
    const newer = JSON.stringify({ version: 3, secrets: {}, vaults: [] });
    await writeFile(files.keysFile, newer);
    const data = await loadVaultFiles(files, log());
    expect(data.secrets).toEqual(emptySecretsFile());
    const aside = (await readdir(dir.path)).find((n) => n.startsWith('keys.json.newer-'));
    expect(await readFile(join(dir.path, aside!), 'utf8')).toBe(newer);
    expect(lines[0]?.line).toContain('written by a newer RenderIO Desktop (format 3');
  });

  it('keeps the good profiles of a partly damaged file and a copy of the file as it was', async () => {
    const raw = structuredClone(TODAYS_FILE) as { profiles: unknown[] };
    raw.profiles.push({ id: 3 }, null, 'x');
    await writeTodays(raw);
    const data = await loadVaultFiles(files, log());
    expect(data.profiles.profiles.map((p) => p.id)).toEqual(['p1', 'p2']);
    const copy = (await readdir(dir.path)).find((n) => n.includes('.partly-unreadable-'));
    expect(JSON.parse(await readFile(join(dir.path, copy!), 'utf8'))).toEqual(raw);
    // The copy holds ciphertext too: as closed as the file itself.
    expect((await stat(join(dir.path, copy!))).mode & 0o777).toBe(0o600);
    expect(lines[0]).toEqual({
      level: 'warn',
      line: `[vault] the key store (keys.json): left out what could not be read (profile 3; profile 4; profile 5); the file as it was is kept as ${copy}`,
    });
  });

  it('leaves out a damaged key entry of format 2 and keeps the rest', async () => {
    await writeSecretsFile(files.keysFile, {
      ...emptySecretsFile(),
      secrets: {
        good: {
          ciphertext: CIPHERTEXT,
          backend: 'dpapi',
          hint: 'ffsk_…0000',
          verified: null,
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      },
    });
    const raw = JSON.parse(await readFile(files.keysFile, 'utf8')) as {
      secrets: Record<string, unknown>;
    };
    raw.secrets.bad = { ciphertext: 7 };
    await writeFile(files.keysFile, JSON.stringify(raw));
    const data = await loadVaultFiles(files, log());
    expect(Object.keys(data.secrets.secrets)).toEqual(['good']);
    expect(lines[0]?.line).toContain('left out what could not be read (the key of profile bad)');
  });
});
