import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { link, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ProtectedSet,
  checkFileName,
  numberedName,
  placeFinished,
} from '../../../../../electron/core/transfers/collision';
import { LocalFileError } from '../../../../../electron/core/transfers/errors';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await tempDir('collision-');
});
afterEach(async () => {
  await dir.cleanup();
});

async function part(content: string): Promise<string> {
  const p = join(dir.path, 'out.webm.part');
  await writeFile(p, content);
  return p;
}

describe('numberedName', () => {
  it('numbers before the last extension', () => {
    expect(numberedName('clip.webm', 1)).toBe('clip (1).webm');
    expect(numberedName('a.tar.gz', 2)).toBe('a.tar (2).gz');
    expect(numberedName('README', 3)).toBe('README (3)');
    expect(numberedName('.hidden', 1)).toBe('.hidden (1)');
  });
});

describe('checkFileName', () => {
  it('refuses paths and odd names', () => {
    for (const bad of [
      '',
      '.',
      '..',
      '../x.webm',
      'a/b.webm',
      'a\\b.webm',
      'x\0.webm',
      'x'.repeat(300),
    ]) {
      expect(() => checkFileName(bad)).toThrow(LocalFileError);
    }
    expect(() => checkFileName('clip (1).webm')).not.toThrow();
  });
});

describe('placeFinished', () => {
  it("'rename' takes the first free name and never replaces", async () => {
    await writeFile(join(dir.path, 'out.webm'), 'old');
    await writeFile(join(dir.path, 'out (1).webm'), 'old1');
    const r = await placeFinished(
      await part('new'),
      join(dir.path, 'out.webm'),
      'rename',
      await ProtectedSet.of(),
    );
    expect(r).toEqual({ path: join(dir.path, 'out (2).webm'), skipped: false });
    expect(await readFile(join(dir.path, 'out.webm'), 'utf8')).toBe('old');
    expect(await readFile(r.path, 'utf8')).toBe('new');
    expect((await readdir(dir.path)).sort()).toEqual(['out (1).webm', 'out (2).webm', 'out.webm']);
  });
  it("'overwrite' replaces an ordinary file", async () => {
    await writeFile(join(dir.path, 'out.webm'), 'old');
    const r = await placeFinished(
      await part('new'),
      join(dir.path, 'out.webm'),
      'overwrite',
      await ProtectedSet.of(),
    );
    expect(r.path).toBe(join(dir.path, 'out.webm'));
    expect(await readFile(r.path, 'utf8')).toBe('new');
  });
  it("'overwrite' never replaces a protected source (by path or by hard link): it renames", async () => {
    const source = join(dir.path, 'out.webm');
    await writeFile(source, 'source');
    const alias = join(dir.path, 'alias.webm');
    await link(source, alias);
    const prot = await ProtectedSet.of([source]);
    const r1 = await placeFinished(await part('new'), source, 'overwrite', prot);
    expect(r1.path).toBe(join(dir.path, 'out (1).webm'));
    const r2 = await placeFinished(await part('new2'), alias, 'overwrite', prot);
    expect(r2.path).toBe(join(dir.path, 'alias (1).webm'));
    expect(await readFile(source, 'utf8')).toBe('source');
  });
  it('names held by other jobs are passed over, in any letter case, under every policy', async () => {
    // Held by path alone: "Out.webm" is another job's chosen name, not written yet.
    const held = await ProtectedSet.of([], [join(dir.path, 'Out.webm')]);
    const r1 = await placeFinished(await part('a'), join(dir.path, 'out.webm'), 'overwrite', held);
    expect(r1.path).toBe(join(dir.path, 'out (1).webm'));
    const r2 = await placeFinished(await part('b'), join(dir.path, 'out.webm'), 'rename', held);
    expect(r2.path).toBe(join(dir.path, 'out (2).webm'));
    expect((await readdir(dir.path)).sort()).toEqual(['out (1).webm', 'out (2).webm']);
  });
  it("'skip' keeps the existing file and drops the part", async () => {
    await writeFile(join(dir.path, 'out.webm'), 'old');
    const p = await part('new');
    const r = await placeFinished(p, join(dir.path, 'out.webm'), 'skip', await ProtectedSet.of());
    expect(r.skipped).toBe(true);
    expect(await readFile(join(dir.path, 'out.webm'), 'utf8')).toBe('old');
    expect(await readdir(dir.path)).toEqual(['out.webm']);
  });
});

describe('placeFinished announces the final path before the move', () => {
  it('calls beforeClaim with the chosen name while the part is still a .part', async () => {
    await writeFile(join(dir.path, 'out.webm'), 'old');
    const p = await part('new');
    const seen: { path: string; entries: string[] }[] = [];
    const r = await placeFinished(
      p,
      join(dir.path, 'out.webm'),
      'rename',
      await ProtectedSet.of(),
      async (path) => {
        seen.push({ path, entries: (await readdir(dir.path)).sort() });
      },
    );
    // A name already taken is passed over without being announced.
    expect(seen).toEqual([
      { path: join(dir.path, 'out (1).webm'), entries: ['out.webm', 'out.webm.part'] },
    ]);
    expect(r.path).toBe(join(dir.path, 'out (1).webm'));
  });
  it('moves nothing when beforeClaim throws', async () => {
    const p = await part('new');
    for (const policy of ['rename', 'overwrite', 'skip'] as const) {
      await expect(
        placeFinished(p, join(dir.path, 'out.webm'), policy, await ProtectedSet.of(), () =>
          Promise.reject(new Error('not recorded')),
        ),
      ).rejects.toThrow('not recorded');
      expect(await readdir(dir.path)).toEqual(['out.webm.part']);
    }
  });
});
