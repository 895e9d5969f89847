/**
 * Names longer than a disk takes, over HTTP on 127.0.0.1: the engine cuts a client's name in
 * UTF-8 bytes (engine/storage/blobStore.ts) and never fails a file for its name; a disk that
 * refuses even that gets shorter names; what is left (the data folder's own path too long) is
 * a 422 in words, never a retried 500. And a damaged file says so.
 */
import { copyFile, mkdir, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFile } from '../../../shared/renderioApi';
import { BLOB_NAME_MAX_BYTES } from '../../../engine/storage/blobStore';
import { makeVideo, tempDir } from '../../support/media';
import { download, messages, startHarness, type Harness } from './engineHarness';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
/** The stored name, from the storage URL the engine hands out. */
const storedName = (file: StoredFile) =>
  decodeURIComponent(new URL(file.storage_url ?? '').pathname.split('/').pop() ?? '');
/** The 244-byte name of the report: valid on Linux, 258 with the queue's tag. */
const LONG = `${'日本語の動画'.repeat(13)}旅行.mp4`;

let h: Harness;
let video: string;
let media: { path: string; cleanup(): Promise<void> };

beforeAll(async () => {
  media = await tempDir('long-names-media-');
  video = await makeVideo(media.path, 'clip.mp4', { seconds: 1 });
  h = await startHarness();
});
afterAll(async () => {
  await h.cleanup();
  await media.cleanup();
});

describe("a client's long name", () => {
  it.each([
    ['the 244-byte name with the tag', `${LONG.slice(0, -4)}~rdj-9e9c8d920.mp4`],
    ['2,000 bytes of Japanese', `${'日本語の動画'.repeat(111)}.mp4`],
    ['emoji (surrogate pairs)', `${'🎬'.repeat(100)}.mp4`],
  ])('%s is stored, cut in bytes between characters, served back', async (_what, name) => {
    expect(bytes(name)).toBeGreaterThan(255);
    const file = await h.waitFile(await h.upload(video, name));
    expect(file.status).toBe('STORED');
    const stored = storedName(file);
    expect(bytes(stored)).toBeLessThanOrEqual(BLOB_NAME_MAX_BYTES);
    expect(stored.endsWith('.mp4')).toBe(true);
    expect(name.startsWith(stored.slice(0, -4))).toBe(true);
    expect(Buffer.from(stored, 'utf8').toString('utf8')).toBe(stored);
    const served = await download(file.storage_url ?? '');
    expect(served.status).toBe(200);
    expect(served.bytes.length).toBe((await stat(video)).size);
  });
});

/** A data folder whose own path is `length` bytes long (Linux refuses paths over 4,095). */
async function deepFolder(root: string, length: number): Promise<string> {
  let dir = root;
  while (dir.length < length - 201) dir = join(dir, 'd'.repeat(200));
  dir = join(dir, 'e'.repeat(length - dir.length - 1));
  await mkdir(dir, { recursive: true });
  expect(dir.length).toBe(length);
  return dir;
}

describe('a disk that refuses the name anyway', () => {
  it('gets a shorter name, and the file is stored', async () => {
    const root = await tempDir('deep-');
    try {
      // blobs/<id>/<200 bytes> is past 4,095 here; blobs/<id>/<140 bytes> is not.
      const deep = await startHarness({ dataDir: await deepFolder(root.path, 3880) });
      try {
        const file = await deep.waitFile(await deep.upload(video, `${'x'.repeat(300)}.mp4`));
        expect(file.status).toBe('STORED');
        const stored = storedName(file);
        expect(bytes(stored)).toBeLessThan(BLOB_NAME_MAX_BYTES);
        expect(stored.endsWith('.mp4')).toBe(true);
        expect((await download(file.storage_url ?? '')).status).toBe(200);
      } finally {
        await deep.cleanup();
      }
    } finally {
      await root.cleanup();
    }
  });

  it('with no name short enough, a 422 in words, not a 500, and nothing left behind', async () => {
    const root = await tempDir('deeper-');
    try {
      // Even blobs/<id>/file.mp4 is past 4,095: the folder's own path is the problem.
      const dataDir = await deepFolder(root.path, 4048);
      const deep = await startHarness({ dataDir });
      try {
        const form = new FormData();
        form.append('file', new Blob([Buffer.alloc(1000)]), 'clip.mp4');
        const { status, body } = await deep.json('/api/v1/files/upload', {
          method: 'POST',
          body: form,
        });
        expect(status).toBe(422);
        expect(messages(body)).toBe(
          `The file name is too long for the disk this converter keeps its files on (${dataDir}).`,
        );
        expect((await deep.json<{ files: StoredFile[] }>('/api/v1/files')).body.files).toEqual([]);
        // The refused upload's folder goes once its write has ended.
        for (let i = 0; i < 100 && (await readdir(join(dataDir, 'blobs'))).length > 0; i++)
          await new Promise((r) => setTimeout(r, 20));
        expect(await readdir(join(dataDir, 'blobs'))).toEqual([]);
      } finally {
        await deep.cleanup();
      }
    } finally {
      await root.cleanup();
    }
  });
});

describe('a file that cannot be read says why, in plain words first', () => {
  const WORDS =
    /^It is not a video or audio file, or it is damaged or incomplete\. ffmpeg's reason: \S/;

  it('a video cut in half (its index at the end)', async () => {
    const half = join(media.path, 'trunc.mp4');
    await makeVideo(media.path, 'whole.mp4', { seconds: 2 });
    // ffmpeg writes an MP4's index (moov) last unless told otherwise: half a copy has none.
    const whole = join(media.path, 'whole.mp4');
    await copyFile(whole, half);
    await truncate(half, Math.floor((await stat(whole)).size / 2));
    const file = await h.waitFile(await h.upload(half));
    expect(file.status).toBe('FAILED');
    expect(file.error_message).toMatch(WORDS);
  });

  it('a text file named .mp4', async () => {
    const text = join(media.path, 'notes.mp4');
    await writeFile(text, 'shopping list\n'.repeat(200));
    const file = await h.waitFile(await h.upload(text));
    expect(file.status).toBe('FAILED');
    expect(file.error_message).toMatch(WORDS);
  });
});
