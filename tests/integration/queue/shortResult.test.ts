/**
 * A source cut short after its header (a download that stopped) converts without an error and
 * comes out much shorter than it says it is: the job is done, and says so beside its result.
 * Real engine on 127.0.0.1, real ffmpeg, a real half-written MP4.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { durationOf, makeCutShort, makeVideo, probe } from '../../support/media';
import { startHarness, waitFinished, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a result much shorter than its source', () => {
  it('finishes the job and says so; a whole source, or the mended one, says nothing', async () => {
    const src = join(h.dir, 'src');
    await mkdir(src, { recursive: true });
    const whole = await makeVideo(src, 'whole.mp4', { seconds: 6, width: 160, height: 120 });
    const cut = await makeCutShort(src, 'cut.mp4', { seconds: 12, share: 0.4 });
    const queue = await h.openQueue();
    const out = join(h.dir, 'out');
    const { added } = await queue.add({
      paths: [whole, cut],
      presetId: 'test-webm',
      outputDir: out,
    });
    await waitFinished(queue, added, 60_000);

    const [wholeJob, cutJob] = added.map((id) => queue.get(id)!);
    expect(wholeJob!.stage).toBe('done');
    expect(wholeJob!.warning ?? null).toBeNull();
    expect(cutJob!.stage, cutJob!.error?.message).toBe('done');
    // The container still says 12 s; ffmpeg read what was there.
    const made = durationOf(await probe(cutJob!.outputPaths[0]!));
    expect(made).toBeLessThan(8);
    expect(cutJob!.warning).toBe(
      `The result is 0:0${Math.round(made)} long, its source 0:12. The source may be damaged ` +
        'or cut short (ffmpeg converts what it can read), or its tracks end at different times.',
    );

    // Kept with the job: a second launch shows it too.
    await queue.close();
    const again = await h.openQueue();
    expect(again.get(cutJob!.id)?.warning).toBe(cutJob!.warning);

    // Mended (the whole file where the cut one was) and run again: nothing to say any more.
    await copyFile(whole, cut);
    const rerun = await again.add({ paths: [cut], presetId: 'test-webm', outputDir: out });
    await waitFinished(again, rerun.added, 60_000);
    expect(again.get(rerun.added[0]!)?.stage).toBe('done');
    expect(again.get(rerun.added[0]!)?.warning ?? null).toBeNull();
  });
});
