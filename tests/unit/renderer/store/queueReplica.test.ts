import { describe, expect, it } from 'vitest';
import {
  applyPatches,
  emptyReplica,
  fromSnapshot,
  fromWindow,
  withJobs,
  withKeep,
} from '../../../../renderer/src/store/queueReplica';
import { announce } from '../../../../renderer/src/lib/announcements';
import type { JobStage, QueuePatch } from '../../../../shared/jobs';
import { job } from '../jobFixture';

const agg = { total: 2, done: 0, failed: 0, active: 1, fraction: 0.1 };

/** A progress patch for `id` in `stage`, at `fraction` (default: the fixture's). */
function progress(id: string, stage: JobStage, fraction?: number): QueuePatch {
  const base = job(id).progress;
  return {
    type: 'progress',
    id,
    stage,
    progress: fraction === undefined ? base : { ...base, fraction },
  };
}

describe('queue replica', () => {
  it('hydrates from a snapshot in order', () => {
    const r = fromSnapshot(
      {
        jobs: [job('a'), job('b')],
        paused: true,
        stopAfterRunning: false,
        offline: null,
        aggregate: agg,
      },
      5,
    );
    expect(r.order).toEqual(['a', 'b']);
    expect(r.paused).toBe(true);
    expect(r.stageSince).toEqual({ a: 5, b: 5 });
  });

  it('applies upserts, progress, order and removal without mutating the old state', () => {
    const before = fromSnapshot(
      { jobs: [job('a')], paused: false, stopAfterRunning: false, offline: null, aggregate: agg },
      0,
    );
    const frozen = JSON.stringify(before);
    const after = applyPatches(
      before,
      [
        { type: 'upsert', job: job('b') },
        {
          type: 'progress',
          id: 'a',
          stage: 'uploading',
          progress: { fraction: 0.5, bytesDone: 5, bytesTotal: 10, speed: 1, etaSeconds: 5 },
        },
        { type: 'order', ids: ['b', 'a'] },
        { type: 'queue', paused: true, stopAfterRunning: true, offline: null },
        { type: 'aggregate', aggregate: { ...agg, done: 1 } },
      ],
      100,
    );
    expect(JSON.stringify(before)).toBe(frozen);
    expect(after.order).toEqual(['b', 'a']);
    expect(after.jobsById.a?.stage).toBe('uploading');
    expect(after.jobsById.a?.progress.fraction).toBe(0.5);
    expect(after.stageSince.a).toBe(100);
    expect(after.paused && after.stopAfterRunning).toBe(true);
    expect(after.aggregate.done).toBe(1);

    const removed = applyPatches(after, [{ type: 'remove', ids: ['b'] }], 200);
    expect(removed.order).toEqual(['a']);
    expect(removed.jobsById.b).toBeUndefined();
  });

  it('keeps stage-start time across progress ticks of the same stage', () => {
    let r = applyPatches(
      emptyReplica(),
      [{ type: 'upsert', job: job('a', { stage: 'processing' }) }],
      10,
    );
    r = applyPatches(
      r,
      [{ type: 'progress', id: 'a', stage: 'processing', progress: job('a').progress }],
      20,
    );
    expect(r.stageSince.a).toBe(10);
  });

  it("counts a stage's time from main's stageSince: a reload or a row back on screen is not 0:00", () => {
    const processing = job('a', { stage: 'processing', stageSince: 1_000 });
    // The window loads again (a page from main) well after the job started processing.
    const loaded = fromWindow(
      {
        jobs: [processing, job('b')],
        total: 3,
        offset: 0,
        paused: false,
        stopAfterRunning: false,
        offline: null,
        aggregate: agg,
      },
      90_000,
    );
    expect(loaded.stageSince).toEqual({ a: 1_000, b: 90_000 });
    // A row that comes on screen (scrolled to), and an upsert of a new stage, take main's time.
    const scrolled = withJobs(
      loaded,
      [job('c', { stage: 'processing', stageSince: 5_000 })],
      95_000,
    );
    expect(scrolled.stageSince.c).toBe(5_000);
    const moved = applyPatches(
      scrolled,
      [{ type: 'upsert', job: { ...processing, stage: 'downloading', stageSince: 96_000 } }],
      96_200,
    );
    expect(moved.stageSince.a).toBe(96_000);
    // A stage seen first in a progress patch (which carries no time) counts from when it came.
    const next = applyPatches(moved, [progress('b', 'uploading')], 97_000);
    expect(next.stageSince.b).toBe(97_000);
  });

  it('ignores progress for a job it does not know', () => {
    const r = applyPatches(
      emptyReplica(),
      [{ type: 'progress', id: 'x', stage: 'done', progress: job('x').progress }],
      1,
    );
    expect(r.order).toEqual([]);
  });

  it('keeps a row fetched while its older patches were still in a batch: the row never goes back', () => {
    // The row came on screen and its job was fetched: main answered at once, processing
    // (change 5), while the batch telling of "submitted" (change 3) still waited to go.
    const fetched = job('a', {
      stage: 'processing',
      rev: 5,
      progress: { ...job('a').progress, overall: 0.13 },
    });
    const shown = withJobs({ ...emptyReplica(), order: ['a'], total: 1 }, [fetched], 2);
    const late: QueuePatch[] = [
      { type: 'upsert', job: job('a', { stage: 'submitted', rev: 3 }) },
      { ...progress('a', 'submitted'), rev: 4 } as QueuePatch,
    ];
    const after = applyPatches(shown, late, 3);
    expect(after.jobsById.a!.stage).toBe('processing');
    expect(after.jobsById.a!.progress.overall).toBe(0.13);
    // What comes after it applies, and so does a patch of a core that counts nothing.
    const next = applyPatches(
      after,
      [{ ...progress('a', 'processing', 0.5), rev: 6 } as QueuePatch],
      4,
    );
    expect(next.jobsById.a!.progress.fraction).toBe(0.5);
    expect(next.jobsById.a!.rev).toBe(6);
    const uncounted = applyPatches(
      next,
      [{ type: 'upsert', job: job('a', { stage: 'downloading' }) }],
      5,
    );
    expect(uncounted.jobsById.a!.stage).toBe('downloading');
  });

  it('returns the same object for an empty batch', () => {
    const r = emptyReplica();
    expect(applyPatches(r, [], 1)).toBe(r);
  });
});

describe('announcements', () => {
  it('announces additions, stage changes and the end of the queue, not ticks', () => {
    const s0 = emptyReplica();
    const p1 = [
      { type: 'upsert' as const, job: job('a') },
      { type: 'upsert' as const, job: job('b') },
    ];
    const s1 = applyPatches(s0, p1, 1);
    expect(announce(s0, s1, p1)).toEqual(['2 files added to the queue.']);

    const p2 = [progress('a', 'uploading')];
    const s2 = applyPatches(s1, p2, 2);
    expect(announce(s1, s2, p2)).toEqual(['a.mp4: uploading.']);

    const tick = [progress('a', 'uploading', 0.7)];
    expect(announce(s2, applyPatches(s2, tick, 3), tick)).toEqual([]);

    const p3 = [
      { type: 'upsert' as const, job: job('a', { stage: 'done' }) },
      {
        type: 'upsert' as const,
        job: job('b', {
          stage: 'failed',
          error: { code: 'ffmpeg', message: 'Invalid data', retryable: true },
        }),
      },
    ];
    const s3 = applyPatches(s2, p3, 4);
    expect(announce(s2, s3, p3)).toEqual([
      'a.mp4: done.',
      'b.mp4 failed: Invalid data.',
      'Queue finished: 1 done, 1 failed.',
    ]);
  });

  it('announces a queue finished by removing its last unfinished job', () => {
    const s0 = applyPatches(
      emptyReplica(),
      [
        { type: 'upsert', job: job('a', { stage: 'done' }) },
        { type: 'upsert', job: job('b', { stage: 'processing' }) },
      ],
      1,
    );
    const p: QueuePatch[] = [{ type: 'remove', ids: ['b'] }];
    expect(announce(s0, applyPatches(s0, p, 2), p)).toEqual(['Queue finished: 1 done.']);
  });

  it('says a failure whose row was not drawn yet, once, when main counts it', () => {
    // The window's replica holds the rows on screen; an empty queue keeps none.
    const empty = withKeep(
      fromWindow(
        {
          jobs: [],
          total: 0,
          offset: 0,
          paused: false,
          stopAfterRunning: false,
          offline: null,
          aggregate: { total: 0, done: 0, failed: 0, active: 0, fraction: null },
        },
        1,
      ),
      0,
      0,
    );
    const added: QueuePatch[] = [{ type: 'upsert', job: job('broken') }];
    const s1 = applyPatches(empty, added, 2);
    expect(announce(empty, s1, added)).toEqual(['broken.mp4 added to the queue.']);
    const failed = job('broken', {
      stage: 'failed',
      error: {
        code: 'input',
        message: 'Not a video or audio file ffmpeg can read',
        retryable: false,
      },
    });
    const p2: QueuePatch[] = [
      { type: 'upsert', job: failed },
      { type: 'aggregate', aggregate: { total: 1, done: 0, failed: 1, active: 0, fraction: null } },
    ];
    const s2 = applyPatches(s1, p2, 3);
    expect(s2.jobsById.broken).toBeUndefined();
    expect(announce(s1, s2, p2)[0]).toBe(
      'broken.mp4 failed: Not a video or audio file ffmpeg can read.',
    );
    // Its row drawn later (already failed), then an upsert that changes nothing: not said again.
    const drawn = withJobs(s2, [failed], 4);
    const again: QueuePatch[] = [{ type: 'upsert', job: failed }];
    expect(announce(drawn, applyPatches(drawn, again, 5), again)).toEqual([]);
  });

  it('names a single added file', () => {
    const p = [{ type: 'upsert' as const, job: job('clip') }];
    expect(announce(emptyReplica(), applyPatches(emptyReplica(), p, 1), p)).toEqual([
      'clip.mp4 added to the queue.',
    ]);
  });
});
