/**
 * Versioned state files: what is read, what is migrated, and what is kept aside (never lost).
 * A small format of its own here; the real ones are tested with their stores.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadVersionedJson,
  type FileFormat,
} from '../../../../../electron/core/files/versionedJsonFile';
import { createLogger } from '../../../../../shared/redact';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
let file: string;
let lines: string[];
const log = () => createLogger('test', (_level, line) => lines.push(line));
beforeEach(async () => {
  dir = await tempDir('versioned-');
  file = join(dir.path, 'state.json');
  lines = [];
});
afterEach(async () => {
  await dir.cleanup();
});

/** Format 2 holds `names`; format 1 held one `name`. */
const format: FileFormat<{ names: string[] }> = {
  label: 'the state',
  current: 2,
  parse(version, raw) {
    if (version === 1)
      return typeof raw.name === 'string' ? { data: { names: [raw.name] }, dropped: [] } : null;
    if (!Array.isArray(raw.names)) return null;
    const names = raw.names.filter((n): n is string => typeof n === 'string');
    const dropped = raw.names.length > names.length ? ['a name that is not text'] : [];
    return { data: { names }, dropped };
  },
};

async function asideFiles(): Promise<string[]> {
  return (await readdir(dir.path)).filter((n) => n !== 'state.json');
}

describe('loadVersionedJson', () => {
  it('reads the current format and migrates an older one', async () => {
    expect(await loadVersionedJson(file, format, log())).toEqual({ state: 'missing' });
    await writeFile(file, JSON.stringify({ version: 2, names: ['a', 'b'] }));
    expect(await loadVersionedJson(file, format, log())).toEqual({
      state: 'loaded',
      data: { names: ['a', 'b'] },
      version: 2,
      migrated: false,
    });
    await writeFile(file, JSON.stringify({ version: 1, name: 'a' }));
    expect(await loadVersionedJson(file, format, log())).toEqual({
      state: 'loaded',
      data: { names: ['a'] },
      version: 1,
      migrated: true,
    });
    expect(lines).toEqual([]);
    expect(await asideFiles()).toEqual([]);
  });

  it('keeps aside what is not a file of any version it reads', async () => {
    const cases = [
      '[1, 2]',
      'null',
      '{"names": []}', // no version, and this format had no unversioned one
      '{"version": "2", "names": []}',
      '{"version": -1, "names": []}',
      '{"version": 1.5, "names": []}',
      '{"version": 1, "names": ["a"]}',
    ];
    for (const text of cases) {
      await writeFile(file, text);
      const r = await loadVersionedJson(file, format, log());
      expect(r).toMatchObject({ state: 'set-aside', reason: 'unreadable' });
      if (r.state === 'set-aside') expect(await readFile(r.aside, 'utf8')).toBe(text);
    }
    expect(lines).toHaveLength(cases.length);
    // One file kept per case, even when two were kept aside in the same millisecond.
    expect(await asideFiles()).toHaveLength(cases.length);
    expect(lines.every((l) => l.startsWith('[test] the state (state.json) cannot be used'))).toBe(
      true,
    );
  });

  it('reads a file without a version as the format named for it', async () => {
    await writeFile(file, JSON.stringify({ name: 'old' }));
    const r = await loadVersionedJson(file, { ...format, unversioned: 1 }, log());
    expect(r).toMatchObject({ state: 'loaded', data: { names: ['old'] }, migrated: true });
  });

  it('keeps a copy before leaving out what it cannot read', async () => {
    const text = JSON.stringify({ version: 2, names: ['a', 7, 'b'] });
    await writeFile(file, text);
    const r = await loadVersionedJson(file, format, log());
    expect(r).toMatchObject({ state: 'loaded', data: { names: ['a', 'b'] } });
    const [copy] = await asideFiles();
    expect(copy).toMatch(/^state\.json\.partly-unreadable-\d+$/);
    expect(await readFile(join(dir.path, copy!), 'utf8')).toBe(text);
    // The file itself is left for its owner to rewrite.
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(lines).toEqual([
      `[test] the state (state.json): left out what could not be read (a name that is not text); the file as it was is kept as ${copy}`,
    ]);
  });

  it('throws on a file it cannot read at all, rather than start without it', async () => {
    await mkdir(file);
    await expect(loadVersionedJson(file, format, log())).rejects.toMatchObject({
      code: 'EISDIR',
    });
  });
});
