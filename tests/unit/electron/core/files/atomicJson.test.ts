/**
 * createCoalescingWriter on real files: saves during a write collapse into one more, a state
 * the file holds is not written again, and a failed write rejects the saves it held.
 */
import { describe, expect, it } from 'vitest';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCoalescingWriter } from '../../../../../electron/core/files/atomicJson';
import { tempDir } from '../../../../support/media';

describe('createCoalescingWriter', () => {
  it('saves made while a write runs resolve with the newest state on disk, in fewer writes', async () => {
    const dir = await tempDir('coalesce-');
    try {
      const path = join(dir.path, 'list.json');
      let state = 0;
      let serialized = 0;
      const writer = createCoalescingWriter(path, () => {
        serialized++;
        return JSON.stringify({ state });
      });
      const saves: Promise<void>[] = [];
      for (let i = 1; i <= 5; i++) {
        state = i;
        saves.push(writer.save());
      }
      await Promise.all(saves);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ state: 5 });
      expect(serialized).toBeLessThan(5);
      await writer.flush();
    } finally {
      await dir.cleanup();
    }
  });

  it('does not write a state the file already holds', async () => {
    const dir = await tempDir('coalesce-');
    try {
      const path = join(dir.path, 'list.json');
      // What the file held at start is told as onDisk; a stand-in shows that nothing is written.
      await writeFile(path, 'stand-in');
      const writer = createCoalescingWriter(path, () => '{"tasks":[]}', '{"tasks":[]}');
      await writer.save();
      expect(await readFile(path, 'utf8')).toBe('stand-in');
    } finally {
      await dir.cleanup();
    }
  });

  it('a failed write rejects its saves; the next save writes once the path is free', async () => {
    const dir = await tempDir('coalesce-');
    try {
      // A folder where the file should be: the rename over it fails.
      const path = join(dir.path, 'list.json');
      await mkdir(join(path, 'in-the-way'), { recursive: true });
      const writer = createCoalescingWriter(path, () => '{"ok":true}');
      await expect(writer.save()).rejects.toThrow();
      await rm(path, { recursive: true });
      await writer.save();
      expect(await readFile(path, 'utf8')).toBe('{"ok":true}');
    } finally {
      await dir.cleanup();
    }
  });
});
