import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkDir, removeWorkDir } from '../../../../engine/commands/workDir';
import { exists } from '../../../../electron/core/transfers/collision';
import { tempDir } from '../../../support/media';

describe('work directories', () => {
  it('removes a work directory holding only its inputs', async () => {
    const dir = await tempDir();
    try {
      const work = join(dir.path, 'work', 'a');
      await makeWorkDir(work);
      await writeFile(join(work, 'inputs', 'in_file.mp4'), 'x');
      await writeFile(join(work, 'inputs', 'logo.png'), 'y');
      await removeWorkDir(work, ['./inputs/in_file.mp4', './inputs/logo.png']);
      expect(await exists(work)).toBe(false);
      expect(await exists(join(dir.path, 'work'))).toBe(true);
    } finally {
      await dir.cleanup();
    }
  });

  it('removes a run cut off before its inputs were all fetched, and a folder already gone', async () => {
    const dir = await tempDir();
    try {
      const work = join(dir.path, 'work', 'c');
      await makeWorkDir(work);
      await writeFile(join(work, 'inputs', 'in_file.mp4'), 'half');
      // The run failed while fetching: it knows of no input yet.
      await removeWorkDir(work, []);
      expect(await exists(work)).toBe(false);
      await expect(removeWorkDir(work, ['./inputs/in_file.mp4'])).resolves.toBeUndefined();
    } finally {
      await dir.cleanup();
    }
  });
});
