import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeFolder } from '../../../../engine/storage/removeFolder';
import { BlobStore } from '../../../../engine/storage/blobStore';
import { exists } from '../../../../electron/core/transfers/collision';
import { tempDir } from '../../../support/media';

describe('removeFolder', () => {
  it('removes a folder holding only the files named', async () => {
    const dir = await tempDir();
    try {
      const folder = join(dir.path, 'f');
      await mkdir(join(folder, 'sub'), { recursive: true });
      await writeFile(join(folder, 'a.mp4'), 'a');
      await writeFile(join(folder, 'sub', 'b.png'), 'b');
      await removeFolder(folder, ['a.mp4', 'sub/b.png'], ['sub']);
      expect(await exists(folder)).toBe(false);
      expect(await exists(dir.path)).toBe(true);
    } finally {
      await dir.cleanup();
    }
  });

  it('removes what it was not told of, a file named that is missing, and a folder already gone', async () => {
    const dir = await tempDir();
    try {
      const folder = join(dir.path, 'g');
      await mkdir(join(folder, 'nested'), { recursive: true });
      await writeFile(join(folder, 'left.mp4'), 'left by a failed check');
      await writeFile(join(folder, 'nested', 'seg0.ts'), 'z');
      await removeFolder(folder, ['never-written.mp4']);
      expect(await exists(folder)).toBe(false);
      await expect(removeFolder(folder, ['x'])).resolves.toBeUndefined();
    } finally {
      await dir.cleanup();
    }
  });

  it("removes a stored file's folder with or without its name (BlobStore)", async () => {
    const dir = await tempDir();
    try {
      const blobs = new BlobStore(dir.path);
      await blobs.prepare('one');
      await writeFile(blobs.pathOf('one', 'clip.mp4'), 'x');
      await blobs.remove('one', 'clip.mp4');
      expect(await exists(blobs.dirOf('one'))).toBe(false);
      await blobs.prepare('two');
      await writeFile(blobs.pathOf('two', 'clip.mp4'), 'x');
      await blobs.remove('two');
      expect(await exists(blobs.dirOf('two'))).toBe(false);
    } finally {
      await dir.cleanup();
    }
  });
});
