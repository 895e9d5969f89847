import { describe, expect, it } from 'vitest';
import {
  UPLOAD_NAME_MAX_BYTES,
  UPLOAD_TAG_IN_TEXT,
  uploadNameFor,
} from '../../../../../../electron/core/queue/phases/uploadTag';
import { safeFileName } from '../../../../../../engine/storage/blobStore';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const whole = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

describe("an upload's tagged name", () => {
  it('puts the tag before the extension', () => {
    expect(uploadNameFor('clip.mp4', '3f2a9c1b0')).toBe('clip~rdj-3f2a9c1b0.mp4');
    expect(uploadNameFor('README', '3f2a9c1b0')).toBe('README~rdj-3f2a9c1b0');
    expect(uploadNameFor('.mp4', 'ab')).toBe('.mp4~rdj-ab');
  });

  it('a long non-ASCII name is cut in bytes, between characters, the tag and extension kept', () => {
    const name = `${'日本語の動画'.repeat(13)}旅行.mp4`;
    expect(bytes(name)).toBe(244);
    const tagged = uploadNameFor(name, '9e9c8d920');
    expect(bytes(tagged)).toBeLessThanOrEqual(UPLOAD_NAME_MAX_BYTES);
    expect(tagged.endsWith('~rdj-9e9c8d920.mp4')).toBe(true);
    expect(tagged.startsWith('日本語の動画')).toBe(true);
    expect(whole(tagged)).toBe(true);
    // This computer's engine keeps it as sent, so the tag is found in its storage URL.
    expect(safeFileName(tagged)).toBe(tagged);
    expect(tagged.match(UPLOAD_TAG_IN_TEXT)).toEqual(['~rdj-9e9c8d920']);
  });

  it('emoji and long endings that are not extensions', () => {
    const tagged = uploadNameFor(`${'🎬'.repeat(80)}.mkv`, 'abc');
    expect(whole(tagged)).toBe(true);
    expect(tagged.endsWith('~rdj-abc.mkv')).toBe(true);
    expect(bytes(tagged)).toBeLessThanOrEqual(UPLOAD_NAME_MAX_BYTES);
    const odd = uploadNameFor(`a.${'x'.repeat(300)}`, 'abc');
    expect(odd.endsWith('~rdj-abc')).toBe(true);
    expect(bytes(odd)).toBeLessThanOrEqual(UPLOAD_NAME_MAX_BYTES);
  });
});
