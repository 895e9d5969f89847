/**
 * Long names through the queue and this computer's engine, end to end (real files, real ffmpeg,
 * the engine on 127.0.0.1): the 244-byte Japanese name of the report converts instead of
 * failing after eight tries with a 500; an output name a template makes too long is cut in
 * bytes before the encode, not refused by the disk after it; a damaged video says so.
 */
import { copyFile, readdir, stat, truncate } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILE_NAME_BYTES } from '../../../shared/fileNameTemplate';
import { makeVideo } from '../../support/media';
import { startHarness, waitFinished, type Harness } from './harness';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const LONG = `${'日本語の動画'.repeat(13)}旅行.mp4`;

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('long names on this computer', () => {
  it('the 244-byte name converts at the first try, its output named after it, cut to fit', async () => {
    expect(bytes(LONG)).toBe(244);
    const source = await makeVideo(h.dir, LONG, { seconds: 1 });
    const out = join(h.dir, 'out');
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths: [source], presetId: 'test-mp3', outputDir: out });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!);
    expect(job?.error ?? null).toBeNull();
    expect(job?.stage).toBe('done');
    expect(job?.attempts ?? 0).toBeLessThanOrEqual(1);
    expect(job?.retry).toBeFalsy();
    // 240 bytes of name and ".mp3" would leave no room for " (12)" and ".part": cut to 180.
    const written = await readdir(out);
    expect(written).toEqual([`${LONG.slice(0, 60)}.mp3`]);
    expect(bytes(written[0]!)).toBe(184);
    expect((await stat(join(out, written[0]!))).size).toBeGreaterThan(0);
  });

  it('a template that makes a name too long for the disk is cut in bytes, and the output is written', async () => {
    const source = await makeVideo(h.dir, `${'日本語の動画'.repeat(5)}.mp4`, { seconds: 1 });
    const out = join(h.dir, 'out');
    const queue = await h.openQueue();
    const { added } = await queue.add({
      paths: [source],
      presetId: 'test-mp3',
      outputDir: out,
      nameTemplate: '{name}-{name}-{name}',
    });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!);
    expect(job?.error ?? null).toBeNull();
    expect(job?.stage).toBe('done');
    const written = await readdir(out);
    expect(written).toHaveLength(1);
    const name = written[0]!;
    expect(name.endsWith('.mp3')).toBe(true);
    expect(name.startsWith(`${'日本語の動画'.repeat(5)}-日本語の動画`)).toBe(true);
    expect(bytes(name)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(job?.outputPaths.map((p) => basename(p))).toEqual([name]);
  });

  it("a video cut in half fails at once, saying it may be damaged, with ffmpeg's reason after", async () => {
    const whole = await makeVideo(h.dir, 'whole.mp4', { seconds: 2 });
    const half = join(h.dir, 'trunc.mp4');
    await copyFile(whole, half);
    await truncate(half, Math.floor((await stat(whole)).size / 2));
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths: [half], presetId: 'test-mp3', outputDir: h.dir });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!);
    expect(job?.stage).toBe('failed');
    expect(job?.error?.message).toMatch(
      /^trunc\.mp4 could not be read\. It is not a video or audio file, or it is damaged or incomplete\. ffmpeg's reason: \S/,
    );
  });
});
