/**
 * Stage times measured by finished jobs outlive the queue: a job on the real engine records its
 * legs, the queue closes, and the next queue on the same data folder goes on from that count.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STAGE_TIMES_FILE } from '../../../electron/core/queue/stageTimesFile';
import { makeVideo } from '../../support/media';
import { startHarness, waitFinished, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function kept(h: Harness): Promise<{ measured: Record<string, number> }> {
  return JSON.parse(await readFile(join(h.dir, 'state', STAGE_TIMES_FILE), 'utf8'));
}

describe('stage times kept across launches', () => {
  it('a second launch adds its job to the first launch’s measure', async () => {
    h = await startHarness();
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clips = [
      await makeVideo(src, 'one.mp4', { seconds: 1 }),
      await makeVideo(src, 'two.mp4', { seconds: 1 }),
    ];
    const first = await h.openQueue();
    const a = await first.add({ paths: [clips[0]!], presetId: 'test-webm' });
    await waitFinished(first, a.added);
    expect(first.get(a.added[0]!)?.stage).toBe('done');
    await first.close();
    expect((await kept(h)).measured).toEqual({ local: 1, cloud: 0 });

    const second = await h.openQueue();
    const b = await second.add({ paths: [clips[1]!], presetId: 'test-webm' });
    await waitFinished(second, b.added);
    expect(second.get(b.added[0]!)?.stage).toBe('done');
    await second.close();
    expect((await kept(h)).measured).toEqual({ local: 2, cloud: 0 });
  }, 60_000);
});
