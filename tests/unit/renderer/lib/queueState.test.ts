import { describe, expect, it } from 'vitest';
import { queueStateOf, type QueueFacts } from '../../../../renderer/src/lib/queueState';

const facts = (byStage: QueueFacts['byStage'], over: Partial<QueueFacts> = {}): QueueFacts => ({
  paused: false,
  stopAfterRunning: false,
  offline: null,
  byStage,
  ...over,
});

describe('queueStateOf', () => {
  it('an empty queue is ready', () => {
    expect(queueStateOf(facts({}))).toMatchObject({ kind: 'empty', label: 'Ready' });
  });

  it('a queue that finished with failures does not say "All finished" in green', () => {
    expect(queueStateOf(facts({ done: 3, failed: 1 }))).toEqual({
      kind: 'failed',
      label: 'Finished',
      detail: '1 job failed: Retry or Remove it.',
      move: 'pause',
    });
    expect(queueStateOf(facts({ failed: 2 })).detail).toBe('2 jobs failed: Retry or Remove them.');
  });

  it('all done (or cancelled) is all finished', () => {
    expect(queueStateOf(facts({ done: 2, cancelled: 1 }))).toMatchObject({
      kind: 'finished',
      label: 'All finished',
    });
  });

  it('running wins over failed ones while jobs are left', () => {
    expect(queueStateOf(facts({ processing: 1, queued: 2, failed: 1 }))).toMatchObject({
      kind: 'running',
      detail: '2 jobs waiting to start.',
    });
  });

  it('paused says how many wait for Resume', () => {
    expect(queueStateOf(facts({ queued: 1 }, { paused: true }))).toMatchObject({
      kind: 'paused',
      detail: '1 job waits for Resume.',
      move: 'resume',
    });
    expect(queueStateOf(facts({ queued: 10_000 }, { paused: true })).detail).toBe(
      '10,000 jobs wait for Resume.',
    );
  });
});
