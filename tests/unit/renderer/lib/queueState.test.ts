import { describe, expect, it } from 'vitest';
import type { LocalEngineStatus } from '../../../../shared/localEngine';
import type { ProfileStatus, VaultStatus } from '../../../../shared/profileTypes';
import {
  blockedEmptyHint,
  converterDownOf,
  newJobsBlockOf,
  queueStateOf,
  waitingReason,
  type QueueFacts,
} from '../../../../renderer/src/lib/queueState';

const facts = (byStage: QueueFacts['byStage'], over: Partial<QueueFacts> = {}): QueueFacts => ({
  paused: false,
  stopAfterRunning: false,
  offline: null,
  byStage,
  ...over,
});

const HOLDS_NEXT = 'Nothing is running: Pause all makes files added next wait for Resume.';

describe('queueStateOf', () => {
  it('an empty queue is ready, and Pause all says it holds the files added next', () => {
    expect(queueStateOf(facts({}))).toEqual({
      kind: 'empty',
      label: 'Ready',
      detail: null,
      move: 'pause',
      moveNote: HOLDS_NEXT,
    });
  });

  it('a queue that finished with failures does not say "All finished" in green', () => {
    expect(queueStateOf(facts({ done: 3, failed: 1 }))).toEqual({
      kind: 'failed',
      label: 'Finished',
      detail: '1 job failed: Retry or Remove it.',
      move: 'pause',
      moveNote: HOLDS_NEXT,
    });
    expect(queueStateOf(facts({ failed: 2 })).detail).toBe('2 jobs failed: Retry or Remove them.');
  });

  it('all done (or cancelled) is all finished; Pause all there says what it does', () => {
    expect(queueStateOf(facts({ done: 2, cancelled: 1 }))).toMatchObject({
      kind: 'finished',
      label: 'All finished',
      move: 'pause',
      moveNote: HOLDS_NEXT,
    });
  });

  it('Pause all needs no note when there is something to pause', () => {
    expect(queueStateOf(facts({ processing: 1 })).moveNote).toBeUndefined();
    expect(queueStateOf(facts({ 'waiting-for-key': 1 }))).toMatchObject({
      kind: 'waiting',
      move: 'pause',
    });
    expect(queueStateOf(facts({ 'waiting-for-key': 1 })).moveNote).toBeUndefined();
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

  it('offline says the jobs will be retried on their own, in good grammar for one and many', () => {
    const offline = (jobs: number) =>
      queueStateOf(
        facts(
          { uploading: jobs },
          { offline: { jobs, since: 0, nextRetryAt: 0, local: false, message: 'unreachable' } },
        ),
      );
    expect(offline(1)).toMatchObject({
      kind: 'offline',
      detail: '1 job will be retried on its own.',
      move: 'pause',
    });
    expect(offline(3).detail).toBe('3 jobs will be retried on their own.');
    expect(offline(1_500).detail).toBe('1,500 jobs will be retried on their own.');
  });

  it('stopping names Resume, the button it offers; stopped names Start', () => {
    const stopping = queueStateOf(facts({ processing: 2, queued: 4 }, { stopAfterRunning: true }));
    expect(stopping).toMatchObject({
      kind: 'stopping',
      label: 'Stopping after current',
      detail: '2 jobs finish; 4 jobs wait for Resume.',
      move: 'resume',
    });
    expect(queueStateOf(facts({ processing: 1 }, { stopAfterRunning: true })).detail).toBe(
      '1 job finishes; nothing else starts.',
    );
    expect(queueStateOf(facts({ queued: 4, done: 2 }, { stopAfterRunning: true }))).toMatchObject({
      kind: 'stopped',
      detail: '4 jobs wait for Start.',
      move: 'start',
    });
  });
});

describe('a computer that cannot convert', () => {
  const REFUSED =
    'No working ffmpeg on this computer: files added now are refused. Choose ffmpeg… or Use RenderIO instead, under Convert.';

  it('an empty queue is not "Ready": it says files are refused and names the fix, with no Pause all', () => {
    expect(queueStateOf(facts({}, { newJobs: 'refused' }))).toEqual({
      kind: 'blocked',
      label: 'Cannot convert',
      detail: REFUSED,
      move: null,
    });
  });

  it('nor a finished one, nor a paused or stopped one with nothing left (files added are refused, not held)', () => {
    for (const over of [
      { byStage: { done: 2 } },
      { byStage: { failed: 1 } },
      { byStage: {}, paused: true },
      { byStage: { done: 1 }, stopAfterRunning: true },
    ]) {
      expect(queueStateOf(facts({}, { newJobs: 'refused', ...over }))).toMatchObject({
        kind: 'blocked',
        label: 'Cannot convert',
        move: null,
      });
    }
  });

  it('a paused queue whose converter is not running stays Paused, with Resume: files added wait for both', () => {
    expect(queueStateOf(facts({}, { newJobs: 'waits', paused: true }))).toMatchObject({
      kind: 'paused',
      move: 'resume',
    });
    expect(queueStateOf(facts({}, { newJobs: 'waits' }))).toMatchObject({
      kind: 'blocked',
      label: 'Converter not running',
    });
  });

  it('jobs still running or waiting (queued on RenderIO before) keep their state', () => {
    expect(queueStateOf(facts({ processing: 1 }, { newJobs: 'refused' }))).toMatchObject({
      kind: 'running',
      move: 'pause',
    });
    expect(queueStateOf(facts({ queued: 2 }, { newJobs: 'refused', paused: true }))).toMatchObject({
      kind: 'paused',
      detail: '2 jobs wait for Resume.',
    });
  });

  it('a converter that is not running: files added wait for it', () => {
    expect(queueStateOf(facts({}, { newJobs: 'waits' }))).toEqual({
      kind: 'blocked',
      label: 'Converter not running',
      detail: "Files added now wait until this computer's converter runs again.",
      move: null,
    });
  });

  it('jobs on a converter that is not running wait for it: not "Offline", not "retried on their own"', () => {
    const down = (jobs: number, local = true, over: Partial<QueueFacts> = {}) =>
      queueStateOf(
        facts(
          { uploading: jobs },
          {
            offline: { jobs, since: 0, nextRetryAt: 0, local, message: 'refused' },
            newJobs: 'waits',
            converterDown: true,
            ...over,
          },
        ),
      );
    expect(down(1)).toEqual({
      kind: 'offline',
      label: 'Converter not running',
      detail: "1 job waits until this computer's converter runs again.",
      move: 'pause',
    });
    expect(down(2).detail).toBe("2 jobs wait until this computer's converter runs again.");
    // Whichever profile new jobs go to: the jobs held are this computer's.
    expect(down(1, true, { newJobs: null }).label).toBe('Converter not running');
    // RenderIO out of reach is offline, whatever this computer's converter does.
    expect(down(1, false)).toMatchObject({ label: 'Offline' });
    // A converter that runs again: offline as before, while the jobs' retries come round.
    expect(down(1, true, { converterDown: false })).toMatchObject({ label: 'Offline' });
    expect(down(1, true, { paused: true })).toMatchObject({ label: 'Paused' });
  });

  it('the empty state does not invite drops that are refused', () => {
    expect(blockedEmptyHint('refused')).toBe(
      'Files dropped or added are refused until this computer has a working ffmpeg (Choose ffmpeg…) or new jobs run on RenderIO (Use RenderIO instead).',
    );
    expect(blockedEmptyHint('waits')).toContain("wait until this computer's converter runs again");
    expect(blockedEmptyHint(null)).toBeNull();
  });
});

describe('newJobsBlockOf', () => {
  const profile = (profileId: string, kind: ProfileStatus['kind']): ProfileStatus => ({
    profileId,
    name: kind === 'local' ? 'This computer' : 'RenderIO',
    baseUrl: kind === 'local' ? 'http://127.0.0.1:8787' : 'https://renderio.dev',
    kind,
    active: false,
    configured: true,
    hint: null,
    verified: null,
    backend: 'memory',
    secure: true,
    sessionOnly: false,
  });
  const vault = (activeId: string | null): VaultStatus => ({
    activeProfileId: activeId,
    storage: { backend: 'gnome_libsecret', secure: true, persistAllowed: true },
    profiles: [profile('local', 'local'), profile('cloud', 'cloud')].map((p) => ({
      ...p,
      active: p.profileId === activeId,
    })),
  });
  const engine = (over: Partial<LocalEngineStatus>): LocalEngineStatus => ({
    state: 'ready',
    summary: 'ffmpeg 5.1 (PATH)',
    problem: null,
    unavailablePresets: {},
    ...over,
  });
  const missing = engine({ summary: null, problem: 'ffmpeg not found: ffmpeg was not found.' });

  it('no ffmpeg while new jobs go to this computer: refused (main refuses every file added)', () => {
    expect(newJobsBlockOf(missing, vault('local'))).toBe('refused');
    const gone = engine({ summary: null, problem: 'The ffmpeg you chose was not found at /x.' });
    expect(newJobsBlockOf(gone, vault('local'))).toBe('refused');
  });

  it('on RenderIO a missing ffmpeg blocks nothing', () => {
    expect(newJobsBlockOf(missing, vault('cloud'))).toBeNull();
  });

  it('a working ffmpeg, or nothing known yet, blocks nothing', () => {
    expect(newJobsBlockOf(engine({}), vault('local'))).toBeNull();
    expect(newJobsBlockOf(engine({ state: 'starting', summary: null }), vault('local'))).toBeNull();
    expect(newJobsBlockOf(null, vault('local'))).toBeNull();
    expect(newJobsBlockOf(missing, null)).toBeNull();
    expect(newJobsBlockOf(missing, vault(null))).toBeNull();
  });

  it('converterDownOf: stopped, failed or restarting with a reason; not while starting or ready', () => {
    for (const state of ['failed', 'restarting', 'stopped'] as const)
      expect(converterDownOf(engine({ state, summary: null, problem: 'It stopped.' }))).toBe(true);
    expect(converterDownOf(engine({ state: 'starting', summary: null }))).toBe(false);
    expect(converterDownOf(engine({}))).toBe(false);
    // No ffmpeg is "Cannot convert", not a converter that stopped.
    expect(converterDownOf(missing)).toBe(false);
    expect(converterDownOf(null)).toBe(false);
  });

  it('a converter that stopped or failed: files wait (main takes them and retries)', () => {
    for (const state of ['failed', 'restarting', 'stopped'] as const)
      expect(
        newJobsBlockOf(engine({ state, summary: null, problem: 'It stopped.' }), vault('local')),
      ).toBe('waits');
  });
});

describe('waitingReason', () => {
  it('names the button the header offers', () => {
    expect(waitingReason({ paused: true, stopAfterRunning: false })).toBe('queue paused');
    expect(waitingReason({ paused: false, stopAfterRunning: false })).toBeNull();
    // Jobs still running: the header offers Resume.
    expect(
      waitingReason({
        paused: false,
        stopAfterRunning: true,
        aggregate: { byStage: { processing: 1, queued: 3 } },
      }),
    ).toBe('queue stopping: Resume runs it');
    // Stopped: Start.
    expect(
      waitingReason({
        paused: false,
        stopAfterRunning: true,
        aggregate: { byStage: { queued: 3, done: 2 } },
      }),
    ).toBe('queue stopped: Start runs it');
    expect(waitingReason({ paused: false, stopAfterRunning: true })).toBe(
      'queue stopped: Start runs it',
    );
  });
});
