import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../shared/node/atomicWrite';
import { tempDir } from '../../../support/media';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.cleanup());

describe('writeFileAtomic', () => {
  it('creates folders, writes mode 0600 and leaves no temp file', async () => {
    const path = join(dir.path, 'a', 'b', 'state.json');
    await writeFileAtomic(path, '{"v":1}');
    expect(await readFile(path, 'utf8')).toBe('{"v":1}');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir.path, 'a'))).mode & 0o777).toBe(0o700);
    await writeFileAtomic(path, '{"v":2}');
    expect(await readFile(path, 'utf8')).toBe('{"v":2}');
    expect(await readdir(join(dir.path, 'a', 'b'))).toEqual(['state.json']);
  });

  it('keeps the old content and removes the temp file when the rename fails', async () => {
    // A folder in the target's place makes rename fail after the temp file is written.
    const path = join(dir.path, 'taken');
    await mkdir(path);
    await expect(writeFileAtomic(path, 'new')).rejects.toThrow();
    expect((await stat(path)).isDirectory()).toBe(true);
    expect(await readdir(dir.path)).toEqual(['taken']);
  });

  it('honours a chosen file mode', async () => {
    const path = join(dir.path, 'public.txt');
    await writeFileAtomic(path, 'x', { mode: 0o644 });
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });
});
