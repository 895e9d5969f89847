import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPwned, PWNED_MARKER } from '../../../../scripts/nasty-media/inputs';
import { tempDir } from '../../../support/media';

let dir: { path: string; cleanup(): Promise<void> } | undefined;
afterEach(async () => {
  await dir?.cleanup();
});

describe('findPwned', () => {
  it('finds the payload deep in the run folders and at the top of the current folder', async () => {
    dir = await tempDir('pwned-');
    const deep = join(dir.path, 'run', 'engine', 'work', 'cmd1');
    const shallow = join(dir.path, 'cwd');
    await mkdir(deep, { recursive: true });
    await mkdir(join(shallow, 'sub'), { recursive: true });
    // The input itself and names that merely contain the word are not the payload.
    await writeFile(join(deep, `$(touch ${PWNED_MARKER}).mp4`), '');
    await writeFile(join(deep, `${PWNED_MARKER}.txt`), '');
    expect(await findPwned([join(dir.path, 'run')], [shallow])).toEqual([]);
    await writeFile(join(deep, PWNED_MARKER), '');
    await writeFile(join(shallow, PWNED_MARKER), '');
    // Below the current folder's top level is not where a shell's `touch` lands: not searched.
    await writeFile(join(shallow, 'sub', PWNED_MARKER), '');
    expect((await findPwned([join(dir.path, 'run')], [shallow])).sort()).toEqual(
      [join(deep, PWNED_MARKER), join(shallow, PWNED_MARKER)].sort(),
    );
  });
});
