import { describe, expect, it } from 'vitest';
import {
  BLOB_NAME_MAX_BYTES,
  isNameTooLongError,
  safeFileName,
  shorterFileName,
} from '../../../../engine/storage/blobStore';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const whole = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

describe('safeFileName caps a name in UTF-8 bytes', () => {
  it('whatever its length, a name fits, whole characters, its extension kept', () => {
    for (const raw of [
      `${'日本語の動画'.repeat(13)}旅行~rdj-9e9c8d920.mp4`,
      `${'日本語の動画'.repeat(200)}.mp4`,
      `${'🎬'.repeat(300)}.webm`,
      `${'e\u0301'.repeat(300)}.mov`,
      `${'x'.repeat(5000)}.mp3`,
    ]) {
      const safe = safeFileName(raw);
      expect(bytes(safe)).toBeLessThanOrEqual(BLOB_NAME_MAX_BYTES);
      expect(whole(safe)).toBe(true);
      expect(safe.slice(safe.lastIndexOf('.'))).toBe(raw.slice(raw.lastIndexOf('.')));
    }
    // Under the cap, left as it is.
    const fits = `${'日本語の動画'.repeat(10)}旅行.mp4`;
    expect(safeFileName(fits)).toBe(fits);
  });

  it('shorter names after the disk refused one: shorter each time, then none', () => {
    let name: string | null = safeFileName(`${'日本語の動画'.repeat(20)}.mp4`);
    const seen: string[] = [];
    while (name !== null) {
      seen.push(name);
      name = shorterFileName(name);
    }
    expect(seen.map(bytes)).toEqual([...seen.map(bytes)].sort((a, b) => b - a));
    expect(seen.at(-1)).toBe('file.mp4');
    expect(seen.every((n) => n.endsWith('.mp4') && whole(n))).toBe(true);
    expect(shorterFileName('a.mp4')).toBeNull();
    // Shorter in bytes, as the disk counts: 10 bytes (6 UTF-16 units) against file.mp4's 8.
    expect(shorterFileName('日本.mp4')).toBe('file.mp4');
  });

  it('knows ENAMETOOLONG', () => {
    expect(isNameTooLongError(Object.assign(new Error('x'), { code: 'ENAMETOOLONG' }))).toBe(true);
    expect(isNameTooLongError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isNameTooLongError(null)).toBe(false);
  });
});
