import { describe, expect, it } from 'vitest';
import { ChangeStream } from '../../../../../electron/core/queue/changeStream';
import type { AggregateProgress, Job, QueuePatch } from '../../../../../shared/jobs';

function fakeJob(id: string, stage: Job['stage'], bytesDone = 0): Job {
  return {
    id,
    stage,
    progress: { fraction: null, bytesDone, bytesTotal: 100, speed: null, etaSeconds: null },
  } as Job;
}

/** A stream over one job, 'a', that is running. */
function streamOfJobA(jobs: Map<string, Job>, intervalMs: number): ChangeStream {
  return new ChangeStream(
    {
      job: (id) => jobs.get(id),
      order: () => ['a'],
      queueFlags: () => ({ paused: false, stopAfterRunning: false, offline: null }),
      aggregate: () => ({ total: 1, done: 0, failed: 0, active: 1, fraction: null }),
    },
    intervalMs,
  );
}

describe('ChangeStream', () => {
  it('counts each change of a job as it is told, so a page answered between batches is newer', () => {
    const jobs = new Map<string, Job>([['a', fakeJob('a', 'uploading')]]);
    const stream = streamOfJobA(jobs, 1_000_000);
    const batches: QueuePatch[][] = [];
    stream.subscribe((p) => batches.push(p));
    stream.progressOf('a');
    stream.progressOf('a');
    stream.flush();
    expect(batches[0]![0]).toMatchObject({ type: 'progress', id: 'a', rev: 2 });
    // Told after the batch went: a page of jobs taken now says 3, the next batch too.
    jobs.get('a')!.stage = 'processing';
    stream.upsert('a');
    expect(jobs.get('a')!.rev).toBe(3);
    stream.flush();
    expect(batches[1]![0]).toMatchObject({ type: 'upsert', job: { id: 'a', rev: 3 } });
  });

  it('coalesces many changes into one batch per interval: upserts win over progress, aggregate last', async () => {
    const jobs = new Map<string, Job>([
      ['a', fakeJob('a', 'uploading', 10)],
      ['b', fakeJob('b', 'queued')],
    ]);
    const aggregate: AggregateProgress = { total: 2, done: 0, failed: 0, active: 1, fraction: 0.1 };
    const stream = new ChangeStream(
      {
        job: (id) => jobs.get(id),
        order: () => ['b', 'a'],
        queueFlags: () => ({ paused: false, stopAfterRunning: true, offline: null }),
        aggregate: () => aggregate,
      },
      30,
    );
    const batches: QueuePatch[][] = [];
    stream.subscribe((p) => batches.push(p));
    for (let i = 0; i < 100; i++) {
      jobs.get('a')!.progress.bytesDone = i;
      stream.progressOf('a');
    }
    stream.progressOf('b');
    stream.upsert('b');
    stream.order();
    stream.flags();
    await new Promise((r) => setTimeout(r, 80));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((p) => p.type)).toEqual([
      'upsert',
      'progress',
      'order',
      'queue',
      'aggregate',
    ]);
    expect(batches[0]![1]).toMatchObject({
      type: 'progress',
      id: 'a',
      stage: 'uploading',
      progress: { bytesDone: 99 },
    });
    expect(batches[0]![3]).toEqual({
      type: 'queue',
      paused: false,
      stopAfterRunning: true,
      offline: null,
    });

    // A removed job's pending patches are dropped; the patch carries a copy, not the live job.
    stream.progressOf('a');
    stream.remove(['a']);
    stream.flush();
    expect(batches[1]!.map((p) => p.type)).toEqual(['remove', 'aggregate']);
    stream.upsert('b');
    stream.flush();
    const upsert = batches[2]![0] as { type: 'upsert'; job: Job };
    expect(upsert.job).not.toBe(jobs.get('b'));
    stream.close();
  });
  it('sends the first change after a quiet interval at once, and the next ones at the interval', async () => {
    const jobs = new Map<string, Job>([['a', fakeJob('a', 'processing')]]);
    const stream = streamOfJobA(jobs, 300);
    const sent: { at: number; types: string[] }[] = [];
    const started = performance.now();
    stream.subscribe((p) =>
      sent.push({ at: performance.now() - started, types: p.map((x) => x.type) }),
    );
    // A burst made together: one batch, on the next turn rather than an interval later.
    jobs.get('a')!.stage = 'downloading';
    stream.upsert('a');
    stream.progressOf('a');
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.types).toEqual(['upsert', 'aggregate']);
    // Within the interval of that batch: held until the interval is over.
    jobs.get('a')!.stage = 'done';
    stream.upsert('a');
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(sent).toHaveLength(2);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(290);
    stream.close();
  });
});
