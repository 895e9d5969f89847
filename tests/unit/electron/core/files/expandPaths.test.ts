import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expandPaths } from '../../../../../electron/core/files/expandPaths';
import { tempDir } from '../../../../support/media';
import type { MediaKind } from '../../../../../shared/presetTypes';

const kindOf = (name: string): MediaKind | null => {
  const ext = name.split('.').pop()?.toLowerCase();
  return ext === 'mp4' ? 'video' : ext === 'mp3' ? 'audio' : ext === 'png' ? 'image' : null;
};

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await tempDir('expand-');
});
afterEach(async () => {
  await dir.cleanup();
});

describe('expandPaths', () => {
  it('walks folders recursively, keeps supported files and records the mirror root', async () => {
    const root = join(dir.path, 'shoot');
    await mkdir(join(root, 'day1', 'cam'), { recursive: true });
    await writeFile(join(root, 'a.mp4'), 'x');
    await writeFile(join(root, 'day1', 'b.mp3'), 'x');
    await writeFile(join(root, 'day1', 'cam', 'c.png'), 'x');
    await writeFile(join(root, 'day1', 'notes.txt'), 'x');
    await writeFile(join(root, '.hidden.mp4'), 'x');
    await writeFile(join(root, 'partial.mp4.part'), 'x');
    const { files, rejected } = await expandPaths([root], { kindOf });
    expect(files.map((f) => f.path.slice(root.length))).toEqual([
      '/a.mp4',
      '/day1/b.mp3',
      '/day1/cam/c.png',
    ]);
    expect(files.every((f) => f.mirrorRoot === dir.path)).toBe(true);
    expect(files.map((f) => f.mediaKind)).toEqual(['video', 'audio', 'image']);
    expect(rejected).toEqual([
      { path: join(root, 'day1', 'notes.txt'), reason: 'not a supported media file (.txt)' },
    ]);
  });

  it('refuses with reasons: missing, empty, unsupported, duplicate, already queued', async () => {
    const a = join(dir.path, 'a.mp4');
    const empty = join(dir.path, 'empty.mp4');
    const doc = join(dir.path, 'doc.pdf');
    const queued = join(dir.path, 'q.mp3');
    await writeFile(a, 'x');
    await writeFile(empty, '');
    await writeFile(doc, 'x');
    await writeFile(queued, 'x');
    const { files, rejected } = await expandPaths(
      [a, a, empty, doc, join(dir.path, 'missing.mp4'), queued],
      {
        kindOf,
        alreadyQueued: new Set([queued]),
      },
    );
    expect(files.map((f) => f.path)).toEqual([a]);
    expect(files[0]?.mirrorRoot).toBeNull();
    expect(
      Object.fromEntries(rejected.map((r) => [r.path.slice(dir.path.length + 1), r.reason])),
    ).toEqual({
      'a.mp4': 'added twice',
      'empty.mp4': 'the file is empty',
      'doc.pdf': 'not a supported media file (.pdf)',
      'missing.mp4': 'no such file or folder',
      'q.mp3': 'already in the queue',
    });
  });

  it('dedupes a file reached through a link and survives a link loop', async () => {
    const sub = join(dir.path, 'sub');
    await mkdir(sub);
    await writeFile(join(sub, 'a.mp4'), 'x');
    await symlink(sub, join(sub, 'loop'));
    await symlink(join(sub, 'a.mp4'), join(dir.path, 'link.mp4'));
    const { files } = await expandPaths([sub, join(dir.path, 'link.mp4')], { kindOf });
    expect(files.map((f) => f.path)).toEqual([join(sub, 'a.mp4')]);
  });
});
