/**
 * The scheduler's limits for jobs on this computer: their commands are submitted up to
 * LOCAL_SUBMIT_AHEAD times the engine's command slots, so the engine always has the next one
 * waiting; bounded; counted apart from the cloud's; and a job stopped while its command waits
 * gives its place to the next. The phases here are held open by the test, so what the
 * scheduler started is exactly what it decided.
 */
import { describe, expect, it } from 'vitest';
import type { Job, JobStage } from '../../../../../shared/jobs';
import { createLogger } from '../../../../../shared/redact';
import { systemClock } from '../../../../../electron/core/ports';
import { DEFAULT_SETTINGS } from '../../../../../electron/core/settings/appSettings';
import type { ConcurrencyLimits } from '../../../../../electron/core/settings/settingsSchema';
import { QueueState } from '../../../../../electron/core/queue/queueState';
import {
  LOCAL_SUBMIT_AHEAD,
  laneLimit,
  laneOf,
  Scheduler,
  type Phase,
} from '../../../../../electron/core/queue/scheduler';
import { job } from '../../../renderer/jobFixture';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

const LIMITS: ConcurrencyLimits = { uploads: 2, remote: 2, downloads: 2 };

describe('laneLimit', () => {
  it('gives local commands LOCAL_SUBMIT_AHEAD × the engine slots, the cloud its own limit', () => {
    expect(LOCAL_SUBMIT_AHEAD).toBe(2);
    expect(laneLimit('local-remote', LIMITS, 3)).toBe(6);
    expect(laneLimit('local-remote', LIMITS, 1)).toBe(2);
    // Uploads go one per slot: the first command starts after one upload, not after four
    // shared the same cores (local-trace bench).
    expect(laneLimit('local-upload', LIMITS, 3)).toBe(3);
    expect(laneLimit('remote', LIMITS, 3)).toBe(2);
    expect(laneLimit('upload', { ...LIMITS, uploads: 5 }, 3)).toBe(5);
    expect(laneLimit('download', { ...LIMITS, downloads: 7 }, 3)).toBe(7);
  });

  it('falls back to the settings remote limit when the engine did not say its slots', () => {
    expect(laneLimit('local-remote', { ...LIMITS, remote: 3 }, null)).toBe(6);
    // A nonsense slot count never means "nothing may run".
    expect(laneLimit('local-remote', LIMITS, 0)).toBe(2);
  });

  it('puts the upload and remote phases of a local job in local lanes, its download in the shared one', () => {
    expect(laneOf('remote', true)).toBe('local-remote');
    expect(laneOf('remote', false)).toBe('remote');
    expect(laneOf('upload', true)).toBe('local-upload');
    expect(laneOf('upload', false)).toBe('upload');
    expect(laneOf('download', true)).toBe('download');
  });
});

/** A scheduler whose phases stay open until the test ends them. */
function setUp(options: { slots: number | null; stages: Record<string, JobStage> }) {
  const open = new Map<string, { phase: Phase; end: () => void; aborted: () => boolean }>();
  const started: { id: string; phase: Phase }[] = [];
  const running = { isRunning: (_id: string): boolean => false };
  const state = new QueueState({
    clock: systemClock,
    isLocalProfile: (p) => p === 'local',
    isRunning: (id) => running.isRunning(id),
  });
  const scheduler = new Scheduler({
    state,
    clock: systemClock,
    logger: createLogger('test', () => undefined),
    settings: () => ({ ...DEFAULT_SETTINGS, concurrency: LIMITS }),
    isLocal: (j) => state.where(j).local,
    localCommandSlots: () => options.slots,
    runPhase: (j, phase, signal) =>
      new Promise<void>((resolve, reject) => {
        started.push({ id: j.id, phase });
        const next: Record<Phase, JobStage> = {
          upload: 'stored',
          remote: 'downloading',
          download: 'done',
        };
        open.set(j.id, {
          phase,
          aborted: () => signal.aborted,
          end: () => {
            open.delete(j.id);
            state.setStage(j, next[phase]);
            resolve();
          },
        });
        signal.addEventListener('abort', () => {
          open.delete(j.id);
          reject(signal.reason as Error);
        });
      }),
    fail: (j) => state.setStage(j, 'failed'),
    saveSoon: () => undefined,
  });
  running.isRunning = (id) => scheduler.isRunning(id);
  for (const [id, stage] of Object.entries(options.stages)) {
    const profileId = id.startsWith('cloud') ? 'cloud' : 'local';
    const j: Job = job(id, { stage });
    j.settings = { ...j.settings, profileId };
    state.insert(j);
  }
  const inPhase = (phase: Phase): string[] =>
    [...open.entries()].filter(([, o]) => o.phase === phase).map(([id]) => id);
  return { state, scheduler, open, started, inPhase };
}

const stored = (ids: string[]): Record<string, JobStage> =>
  Object.fromEntries(ids.map((id) => [id, 'stored' as JobStage]));

describe('the scheduler submits local commands ahead', () => {
  it('starts twice the engine slots of local commands, and no more', async () => {
    const { scheduler, inPhase } = setUp({
      slots: 2,
      stages: stored(['l1', 'l2', 'l3', 'l4', 'l5', 'l6']),
    });
    scheduler.start();
    await flush();
    // Two run in the engine, two wait there: the next command is always queued.
    expect(inPhase('remote')).toEqual(['l1', 'l2', 'l3', 'l4']);
    await scheduler.close();
  });

  it('counts the cloud apart: its limit neither lends to nor borrows from the local lane', async () => {
    const { scheduler, inPhase } = setUp({
      slots: 1,
      stages: stored(['l1', 'l2', 'l3', 'cloud1', 'cloud2', 'cloud3']),
    });
    scheduler.start();
    await flush();
    expect(inPhase('remote').sort()).toEqual(['cloud1', 'cloud2', 'l1', 'l2']);
    await scheduler.close();
  });

  it('lets the next local command in as soon as one ends, keeping the bound', async () => {
    const { scheduler, open, inPhase } = setUp({
      slots: 1,
      stages: stored(['l1', 'l2', 'l3', 'l4']),
    });
    scheduler.start();
    await flush();
    expect(inPhase('remote')).toEqual(['l1', 'l2']);
    open.get('l1')!.end();
    await flush();
    expect(inPhase('remote')).toEqual(['l2', 'l3']);
    expect(inPhase('download')).toEqual(['l1']);
    await scheduler.close();
  });

  it('uploads local jobs ahead of their commands by at most the local lane', async () => {
    const ids = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'];
    const { scheduler, state, open, inPhase } = setUp({
      slots: 1,
      stages: Object.fromEntries(ids.map((id) => [id, 'queued' as JobStage])),
    });
    scheduler.start();
    await flush();
    // The local upload lane is one per slot: the first command waits for one upload only.
    expect(inPhase('upload')).toEqual(['q1']);
    open.get('q1')!.end();
    await flush();
    expect(inPhase('remote')).toEqual(['q1']);
    expect(inPhase('upload')).toEqual(['q2']);
    open.get('q2')!.end();
    await flush();
    // q1 and q2 are submitted (the local lane holds 2 × 1 slot); uploads continue.
    expect(inPhase('remote')).toEqual(['q1', 'q2']);
    expect(inPhase('upload')).toEqual(['q3']);
    open.get('q3')!.end();
    await flush();
    expect(inPhase('upload')).toEqual(['q4']);
    open.get('q4')!.end();
    await flush();
    // Two uploaded jobs wait for the local lane: that is one lane's worth, so no more uploads.
    expect(state.jobs.get('q3')!.stage).toBe('stored');
    expect(state.jobs.get('q4')!.stage).toBe('stored');
    expect(inPhase('upload')).toEqual([]);
    await scheduler.close();
  });

  it('uploads local jobs one per engine slot, cloud jobs in the settings slots', async () => {
    const { scheduler, inPhase } = setUp({
      slots: 3,
      stages: Object.fromEntries(
        ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'cloud1', 'cloud2', 'cloud3'].map((id) => [
          id,
          'queued' as JobStage,
        ]),
      ),
    });
    scheduler.start();
    await flush();
    // 3 local uploads (one per slot), though the settings allow 2 uploads; the cloud gets its 2.
    expect(inPhase('upload')).toEqual(['q1', 'q2', 'q3', 'cloud1', 'cloud2']);
    await scheduler.close();
  });

  it('a job stopped while its command waits gives its place to the next, and is not restarted', async () => {
    const { scheduler, state, open, inPhase } = setUp({
      slots: 1,
      stages: stored(['l1', 'l2', 'l3']),
    });
    scheduler.start();
    await flush();
    expect(inPhase('remote')).toEqual(['l1', 'l2']);
    const waiting = open.get('l2')!;
    await scheduler.stop('l2', () => {
      state.setStage(state.jobs.get('l2')!, 'cancelled');
    });
    expect(waiting.aborted()).toBe(true);
    await flush();
    expect(inPhase('remote')).toEqual(['l1', 'l3']);
    expect(scheduler.isRunning('l2')).toBe(false);
    await scheduler.close();
  });
});
