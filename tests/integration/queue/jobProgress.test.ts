/**
 * Honest progress against the real local engine and ffmpeg: each job's one bar (its overall
 * share across upload → processing → download) never goes back in anything the window or
 * the CLI is sent, stays below 100 % until the job is done, and the queue's time left
 * appears while the queue runs without leaping about.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeVideo } from '../../support/media';
import { startHarness, waitFinished, type Harness } from './harness';
import type { JobStage, QueuePatch } from '../../../shared/jobs';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('progress of real jobs on the local engine', () => {
  it("never moves a job's bar backwards, and gives the queue a steady time left", async () => {
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clips = await Promise.all([
      makeVideo(src, 'one.mp4', { seconds: 6 }),
      makeVideo(src, 'two.mp4', { seconds: 6 }),
      makeVideo(src, 'three.mp4', { seconds: 6 }),
    ]);
    const queue = await h.openQueue();
    const batches: { at: number; patches: QueuePatch[] }[] = [];
    queue.subscribe((patches) => batches.push({ at: Date.now(), patches }));
    const { added } = await queue.add({ paths: clips, presetId: 'test-slow' });
    expect(added).toHaveLength(3);
    await waitFinished(queue, added, 90_000);
    // The last batch (the jobs done) is flushed within one interval of the end.
    const lastDone = () =>
      batches.at(-1)?.patches.some((p) => p.type === 'aggregate' && p.aggregate.done === 3);
    for (let i = 0; i < 200 && !lastDone(); i++) await new Promise((r) => setTimeout(r, 20));

    const seen = new Map<string, { stage: JobStage; overall: number }[]>();
    const etas: { at: number; eta: number | null; active: number }[] = [];
    // Each job's own ETA (queueRun's 3 s clips may end before it shows).
    const jobEtas = new Map<string, { eta: number; overall: number }[]>();
    for (const { at, patches } of batches)
      for (const p of patches) {
        const one =
          p.type === 'progress'
            ? { id: p.id, stage: p.stage, overall: p.progress.overall }
            : p.type === 'upsert'
              ? { id: p.job.id, stage: p.job.stage, overall: p.job.progress.overall }
              : null;
        if (p.type === 'progress' && p.progress.etaSeconds != null) {
          const list = jobEtas.get(p.id) ?? [];
          list.push({ eta: p.progress.etaSeconds, overall: p.progress.overall ?? 0 });
          jobEtas.set(p.id, list);
        }
        if (one) {
          expect(one.overall, 'every job snapshot carries its overall progress').toBeTypeOf(
            'number',
          );
          const list = seen.get(one.id) ?? [];
          list.push({ stage: one.stage, overall: one.overall! });
          seen.set(one.id, list);
        }
        if (p.type === 'aggregate')
          etas.push({ at, eta: p.aggregate.etaSeconds ?? null, active: p.aggregate.active });
      }

    for (const id of added) {
      expect(queue.get(id)?.stage).toBe('done');
      const list = seen.get(id) ?? [];
      // Enough snapshots to mean something: uploading, processing with the engine's percent…
      expect(list.length).toBeGreaterThan(5);
      const values = list.map((s) => s.overall);
      for (let i = 1; i < values.length; i++)
        expect(values[i], `went back: ${values.join(' ')}`).toBeGreaterThanOrEqual(values[i - 1]!);
      for (const s of list) if (s.stage !== 'done') expect(s.overall).toBeLessThan(1);
      expect(values.at(-1), JSON.stringify(list.slice(-4))).toBe(1);
      // Processing is most of a job on this computer: the bar spends time in the middle.
      expect(values.some((v) => v > 0.2 && v < 0.9)).toBe(true);
      // The job's own ETA shows while it runs: a time, once a tenth of it is done.
      const own = jobEtas.get(id) ?? [];
      expect(own.length, `no ETA shown for ${id}`).toBeGreaterThan(0);
      for (const e of own) {
        expect(e.eta).toBeGreaterThanOrEqual(0);
        expect(e.overall).toBeGreaterThanOrEqual(0.1);
      }
    }

    // The queue's time left shows once it means something, and never leaps: between two
    // reports it moves by no more than the time passed plus a fifth of itself.
    const shown = etas.filter((e) => e.eta !== null);
    expect(shown.length).toBeGreaterThan(3);
    expect(etas[0]?.eta ?? null).toBeNull();
    for (let i = 1; i < shown.length; i++) {
      const a = shown[i - 1]!;
      const b = shown[i]!;
      const dt = (b.at - a.at) / 1000;
      expect(Math.abs(b.eta! - (a.eta! - dt))).toBeLessThanOrEqual(
        (0.1 * a.eta! + 1) * Math.max(1, dt) + 0.5,
      );
    }
    // Once nothing runs, no time left is given.
    expect(etas.at(-1)).toMatchObject({ active: 0, eta: null });
  }, 120_000);
});
