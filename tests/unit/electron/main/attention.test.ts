import { describe, expect, it } from 'vitest';
import { createAttentionTracker, taskbarValue } from '../../../../electron/main/attention';
import type { QueueSnapshot } from '../../../../shared/jobs';
import { job } from '../../renderer/jobFixture';

const idle = { total: 0, done: 0, failed: 0, active: 0, fraction: null };

function tracker(snapshot: QueueSnapshot) {
  const progress: number[] = [];
  const notes: [string, string][] = [];
  const t = createAttentionTracker(snapshot, {
    setProgress: (v) => void progress.push(v),
    notify: (title, body) => void notes.push([title, body]),
  });
  return { t, progress, notes };
}

describe('taskbar value', () => {
  it('follows the aggregate', () => {
    expect(taskbarValue(idle)).toBe(-1);
    expect(taskbarValue({ total: 2, done: 0, failed: 0, active: 1, fraction: 0.4 })).toBe(0.4);
    expect(taskbarValue({ total: 2, done: 0, failed: 0, active: 1, fraction: null })).toBe(2);
    expect(taskbarValue({ total: 2, done: 2, failed: 0, active: 0, fraction: 1 })).toBe(-1);
    // The window's overall bar when main sends it: a failure counted apart, as in the header.
    expect(
      taskbarValue({ total: 2, done: 0, failed: 1, active: 1, fraction: 0.7, share: 0.4 }),
    ).toBe(0.4);
  });
});

describe('notifications', () => {
  it('one per failure and one when the queue finishes, none per file', () => {
    const { t, notes, progress } = tracker({
      jobs: [job('a'), job('b'), job('c')],
      paused: false,
      stopAfterRunning: false,
      offline: null,
      aggregate: idle,
    });
    t.onPatches([
      { type: 'aggregate', aggregate: { total: 3, done: 0, failed: 0, active: 1, fraction: 0.2 } },
    ]);
    t.onPatches([{ type: 'upsert', job: job('a', { stage: 'done' }) }]);
    t.onPatches([
      {
        type: 'upsert',
        job: job('b', {
          stage: 'failed',
          error: { code: 'ffmpeg', message: 'Invalid data', retryable: true },
        }),
      },
    ]);
    expect(notes).toEqual([['Conversion failed', 'b.mp4: Invalid data']]);
    t.onPatches([{ type: 'progress', id: 'c', stage: 'done', progress: job('c').progress }]);
    expect(notes).toEqual([
      ['Conversion failed', 'b.mp4: Invalid data'],
      ['Queue finished', '2 converted, 1 failed.'],
    ]);
    expect(progress).toEqual([-1, 0.2, -1]);
    // Already finished: nothing more to say.
    t.onPatches([{ type: 'remove', ids: ['a'] }]);
    expect(notes).toHaveLength(2);
  });

  it('follows jobs that come back from finished and jobs removed while unfinished', () => {
    const { t, notes } = tracker({
      jobs: [job('a', { stage: 'done' }), job('b')],
      paused: false,
      stopAfterRunning: false,
      offline: null,
      aggregate: idle,
    });
    // a is retried: b finishing no longer finishes the queue.
    t.onPatches([{ type: 'upsert', job: job('a') }]);
    t.onPatches([{ type: 'upsert', job: job('b', { stage: 'done' }) }]);
    expect(notes).toEqual([]);
    // Removing the retried job leaves only finished ones.
    t.onPatches([{ type: 'remove', ids: ['a'] }]);
    expect(notes).toEqual([['Queue finished', '1 file converted.']]);
  });

  it('does not announce a finished queue it started with', () => {
    const { t, notes } = tracker({
      jobs: [job('a', { stage: 'done' })],
      paused: false,
      stopAfterRunning: false,
      offline: null,
      aggregate: idle,
    });
    t.onPatches([{ type: 'upsert', job: job('a', { stage: 'done' }) }]);
    expect(notes).toEqual([]);
  });
});
