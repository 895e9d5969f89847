/**
 * The supervisor's decisions, with a stand-in process: an engine that fails to start says why
 * and is not restarted; one that crashes after it was ready is restarted; too many crashes in
 * a minute and it is left stopped with the reason.
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

class FakeProcess extends EventEmitter implements EngineProcessLike {
  readonly sent: EngineProcessRequest[] = [];
  alive = true;
  constructor(private readonly behaviour: 'ready' | 'fail') {
    super();
  }
  postMessage(message: EngineProcessRequest): void {
    this.sent.push(message);
    if (message.type === 'start')
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

function supervisor(
  behaviour: (n: number) => 'ready' | 'fail',
  ffmpegPath: () => string | null = () => null,
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
  });
  return { s, states, links };
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

  it('an engine that cannot start is not restarted: the start rejects with its reason', async () => {
    const { s, states } = supervisor(() => 'fail');
    await expect(s.start()).rejects.toThrow('ffmpeg could not be asked');
    await tick();
    expect(forks).toHaveLength(1);
    expect(states).toEqual(['starting']);
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
});
