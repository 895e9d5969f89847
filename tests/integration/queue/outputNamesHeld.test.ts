/**
 * Output names held by the queue's jobs (phases/outputNames.ts), against the real engine and
 * ffmpeg: "overwrite" replaces files from before, never another job's result or source. Found
 * by running the CLI: clip.mp4 and clip.mov to MP3 under --collision overwrite both wrote
 * clip.mp3, the second replaced the first, and both were reported converted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { durationOf, makeAudio, makeVideo, probe } from '../../support/media';
import { startHarness, waitFinished, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('output names held by the queue', () => {
  it('two sources with one output name under "overwrite": each result kept, a file from before replaced', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const mp4 = await makeVideo(src, 'clip.mp4', { seconds: 2 });
    const mov = await makeVideo(src, 'clip.mov', { seconds: 4, container: 'mov' });
    // From an earlier day: "overwrite" is for this.
    await writeFile(join(src, 'clip.mp3'), 'an old result');
    const queue = await h.openQueue();
    const { added } = await queue.add({
      paths: [mp4, mov],
      presetId: 'test-mp3',
      collision: 'overwrite',
    });
    expect(added).toHaveLength(2);
    await waitFinished(queue, added);

    const outputs = added.map((id) => {
      const job = queue.get(id)!;
      expect(job.stage, job.error?.message).toBe('done');
      expect(job.outputPaths).toHaveLength(1);
      return job.outputPaths[0]!;
    });
    // One name each, whichever finished first; the old file was replaced, not kept beside.
    expect(outputs.map((p) => p.slice(src.length + 1)).sort()).toEqual([
      'clip (1).mp3',
      'clip.mp3',
    ]);
    expect((await readdir(src)).sort()).toEqual([
      'clip (1).mp3',
      'clip.mov',
      'clip.mp3',
      'clip.mp4',
    ]);
    // Each job's output is its own source's sound (2 s and 4 s), not the other's.
    expect(durationOf(await probe(outputs[0]!))).toBeCloseTo(2, 0);
    expect(durationOf(await probe(outputs[1]!))).toBeCloseTo(4, 0);
  });

  it('an output never replaces another job\'s source, even under "overwrite"', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    // song.wav to MP3 is named song.mp3: the source of the other job.
    const mp3 = await makeAudio(src, 'song.mp3', { seconds: 2, format: 'mp3' });
    const wav = await makeAudio(src, 'song.wav', { seconds: 3, format: 'wav' });
    const before = await readFile(mp3);
    const queue = await h.openQueue();
    const { added } = await queue.add({
      paths: [wav, mp3],
      presetId: 'test-mp3',
      collision: 'overwrite',
    });
    await waitFinished(queue, added);
    const [fromWav, fromMp3] = added.map((id) => queue.get(id)!);
    expect(fromWav!.stage, fromWav!.error?.message).toBe('done');
    expect(fromMp3!.stage, fromMp3!.error?.message).toBe('done');
    expect((await readFile(mp3)).equals(before)).toBe(true);
    // Neither result is written over the other: song (1).mp3 and song (2).mp3, one each.
    const names = [fromWav!.outputPaths[0]!, fromMp3!.outputPaths[0]!].map((p) =>
      p.slice(src.length + 1),
    );
    expect([...names].sort()).toEqual(['song (1).mp3', 'song (2).mp3']);
    expect(durationOf(await probe(fromWav!.outputPaths[0]!))).toBeCloseTo(3, 0);
    expect(durationOf(await probe(fromMp3!.outputPaths[0]!))).toBeCloseTo(2, 0);
  });

  it('the same file converted again under "overwrite" replaces its own earlier result', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'clip.mp4');
    const queue = await h.openQueue();
    const run = async (): Promise<string[]> => {
      const { added } = await queue.add({
        paths: [clip],
        presetId: 'test-mp3',
        collision: 'overwrite',
        again: true,
      });
      await waitFinished(queue, added);
      return queue.get(added[0]!)!.outputPaths;
    };
    expect(await run()).toEqual([join(src, 'clip.mp3')]);
    expect(await run()).toEqual([join(src, 'clip.mp3')]);
    expect((await readdir(src)).sort()).toEqual(['clip.mp3', 'clip.mp4']);
  });
});
