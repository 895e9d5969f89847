/**
 * The supervisor's decisions, with a stand-in process: an engine that fails to start says why
 * and is not restarted; one that crashes after it was ready is restarted; too many crashes in
 * a minute and it is left stopped with the reason; a person's restart ("Start converter
 * again") begins a fresh count of crashes, and restarts asked for together run one at a time.
 */
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type {
  EngineProcessEvent,
  EngineProcessRequest,
  LocalEngineState,
} from '../../../../../shared/localEngine';
import { createLogger } from '../../../../../shared/redact';
import {
  EngineSupervisor,
  type EngineProcessLike,
} from '../../../../../electron/core/localEngine/engineSupervisor';

const FFMPEG = {
  available: false as const,
  problem: { message: 'none', detail: 'none' },
  ffmpeg: null,
  ffprobe: null,
};

type Behaviour = 'ready' | 'fail' | 'silent';

class FakeProcess extends EventEmitter implements EngineProcessLike {
  readonly sent: EngineProcessRequest[] = [];
  alive = true;
  constructor(private readonly behaviour: Behaviour) {
    super();
  }
  postMessage(message: EngineProcessRequest): void {
    this.sent.push(message);
    if (message.type === 'start' && this.behaviour !== 'silent')
      queueMicrotask(() => {
        if (this.behaviour === 'ready')
          this.emit('message', {
            type: 'ready',
            url: `http://127.0.0.1:${1000 + forks.length}`,
            ffmpeg: FFMPEG,
          } satisfies EngineProcessEvent);
        else {
          this.emit('message', {
            type: 'failed',
            message: 'ffmpeg could not be asked',
          } satisfies EngineProcessEvent);
          this.exit(1);
        }
      });
    if (message.type === 'stop') queueMicrotask(() => this.exit(0));
  }
  kill(): boolean {
    this.exit(143);
    return true;
  }
  exit(code: number): void {
    if (!this.alive) return;
    this.alive = false;
    this.emit('exit', code);
  }
}
let forks: FakeProcess[] = [];

/** A clock whose timers fire only when the test says so (the start's time limit). */
function manualClock() {
  const timers = new Set<() => void>();
  return {
    now: () => Date.now(),
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 5))),
    setTimer(_ms: number, fn: () => void) {
      timers.add(fn);
      return () => void timers.delete(fn);
    },
    fireAll() {
      for (const fn of [...timers]) {
        timers.delete(fn);
        fn();
      }
    },
  };
}

function supervisor(
  behaviour: (n: number) => Behaviour,
  ffmpegPath: () => string | null = () => null,
  clock = manualClock(),
) {
  forks = [];
  const states: LocalEngineState['state'][] = [];
  const links: string[] = [];
  const s = new EngineSupervisor({
    fork: () => {
      const p = new FakeProcess(behaviour(forks.length));
      forks.push(p);
      return p;
    },
    startRequest: () => {
      const chosen = ffmpegPath();
      return { dataDir: '/tmp/engine', ...(chosen ? { ffmpegPath: chosen } : {}) };
    },
    onLink: async (link) => void links.push(link.url),
    onState: (state) => states.push(state.state),
    logger: createLogger('test', () => undefined),
    clock,
  });
  return { s, states, links, clock };
}

/** Crashes the newest engine and lets the supervisor react (a new one, or giving up). */
async function crashNewest(): Promise<void> {
  forks.at(-1)!.exit(139);
  await tick();
  await tick();
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('EngineSupervisor', () => {
  it('sends the key in the start message, never anywhere else, and the link carries it', async () => {
    const { s, links } = supervisor(() => 'ready');
    const link = await s.start();
    const start = forks[0]!.sent[0]!;
    expect(start).toMatchObject({ type: 'start', dataDir: '/tmp/engine' });
    expect(start.type === 'start' && start.key).toMatch(/^ffsk_[0-9a-f]{64}$/);
    expect(link.key).toBe(start.type === 'start' ? start.key : '');
    expect(links).toEqual([link.url]);
  });

  it('an engine that cannot start is not restarted: the start rejects with its reason, the state says it', async () => {
    const { s, states } = supervisor(() => 'fail');
    await expect(s.start()).rejects.toThrow('ffmpeg could not be asked');
    await tick();
    expect(forks).toHaveLength(1);
    // "failed" with the engine's reason, not "starting" for ever: the window says why.
    expect(states).toEqual(['starting', 'failed']);
    expect(s.state()).toEqual({ state: 'failed', reason: 'ffmpeg could not be asked' });
  });

  it('a start that takes too long fails with why, and its killed process is not taken for a crash', async () => {
    const { s, states, clock } = supervisor(() => 'silent');
    const started = s.start();
    await tick();
    clock.fireAll();
    await expect(started).rejects.toThrow('did not start in time');
    await tick();
    await tick();
    expect(forks).toHaveLength(1);
    expect(states).toEqual(['starting', 'failed']);
    expect(s.state()).toMatchObject({ reason: expect.stringMatching(/did not start in time/) });
  });

  it('a crash after start is followed by a new engine; too many crashes and it stays stopped', async () => {
    const { s, states, links } = supervisor(() => 'ready');
    await s.start();
    forks[0]!.exit(139);
    await tick();
    await tick();
    expect(forks).toHaveLength(2);
    expect(links).toHaveLength(2);
    expect(states.slice(-2)).toEqual(['restarting', 'ready']);
    for (let i = 1; i <= 3; i++) {
      forks[i]!.exit(139);
      await tick();
      await tick();
    }
    expect(s.state()).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/stopped 4 times in a minute/),
    });
    expect(forks).toHaveLength(4);
  });

  it('stop asks the engine to close and is not taken for a crash', async () => {
    const { s, states } = supervisor(() => 'ready');
    await s.start();
    await s.stop();
    expect(forks[0]!.sent.map((m) => m.type)).toEqual(['start', 'stop']);
    await tick();
    expect(forks).toHaveLength(1);
    expect(states.at(-1)).toBe('stopped');
  });

  it('restart stops the engine and starts one with what startRequest now says, "starting" in between', async () => {
    let chosen: string | null = null;
    const { s, states, links } = supervisor(
      () => 'ready',
      () => chosen,
    );
    await s.start();
    expect(forks[0]!.sent[0]).not.toHaveProperty('ffmpegPath');
    chosen = '/opt/my ffmpeg ü/ffmpeg';
    const before = states.length;
    const link = await s.restart();
    expect(forks[0]!.sent.map((m) => m.type)).toEqual(['start', 'stop']);
    expect(forks[1]!.sent[0]).toMatchObject({
      type: 'start',
      ffmpegPath: '/opt/my ffmpeg ü/ffmpeg',
    });
    // Never "stopped" (which the window reads as "cannot convert") during a restart.
    expect(states.slice(before)).toEqual(['starting', 'starting', 'ready']);
    expect(links).toEqual([links[0], link.url]);
    await tick();
    expect(forks).toHaveLength(2);
  });

  it("a person's restart after it gave up starts it, with a fresh count of crashes", async () => {
    const { s, states } = supervisor(() => 'ready');
    await s.start();
    for (let i = 0; i < 4; i++) await crashNewest();
    expect(s.state()).toMatchObject({ state: 'failed' });
    expect(forks).toHaveLength(4);

    await s.restart();
    expect(s.state().state).toBe('ready');
    expect(forks).toHaveLength(5);
    // Before, the four crashes still counted: the next one within the minute gave up at once.
    await crashNewest();
    expect(states.slice(-2)).toEqual(['restarting', 'ready']);
    expect(forks).toHaveLength(6);
    // It takes four crashes of its own to give up again: restarted after three of them.
    for (let i = 0; i < 2; i++) await crashNewest();
    expect(s.state().state).toBe('ready');
    await crashNewest();
    expect(s.state()).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/stopped 4 times in a minute/),
    });
    expect(forks).toHaveLength(8);
  });

  it('a restart before it gave up also begins a fresh count (a newly chosen ffmpeg)', async () => {
    const { s } = supervisor(() => 'ready');
    await s.start();
    for (let i = 0; i < 3; i++) await crashNewest();
    expect(s.state().state).toBe('ready');
    await s.restart();
    await crashNewest();
    expect(s.state().state).toBe('ready');
  });

  it("a restart that fails leaves it failed with the engine's reason", async () => {
    const { s, states } = supervisor((n) => (n === 0 ? 'ready' : 'fail'));
    await s.start();
    for (let i = 0; i < 4; i++) {
      forks.at(-1)!.exit(139);
      await tick();
      await tick();
      if (s.state().state === 'failed') break;
    }
    await expect(s.restart()).rejects.toThrow('ffmpeg could not be asked');
    expect(states.slice(-2)).toEqual(['starting', 'failed']);
    expect(s.state()).toEqual({ state: 'failed', reason: 'ffmpeg could not be asked' });
  });

  it('two restarts asked together run one after the other: one engine left, never "failed"', async () => {
    const { s, states } = supervisor(() => 'ready');
    await s.start();
    const before = states.length;
    const [a, b] = await Promise.all([s.restart(), s.restart()]);
    expect(a.url).not.toBe(b.url);
    expect(forks).toHaveLength(3);
    expect(forks.filter((f) => f.alive)).toHaveLength(1);
    expect(forks.at(-1)!.alive).toBe(true);
    expect(states.slice(before)).not.toContain('failed');
    expect(s.state().state).toBe('ready');
  });
});
