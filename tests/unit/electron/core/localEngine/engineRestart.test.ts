/**
 * "Start converter again" (engine:restart) in main: only a converter that gave up or was
 * stopped is started; a failed start answers with the supervisor's reason (the engine's state);
 * presses from the box and the banner together start it once; a running one is left alone.
 */
import { describe, expect, it } from 'vitest';
import { createEngineRestart } from '../../../../../electron/core/localEngine/engineRestart';
import type { LocalEngineStatus } from '../../../../../shared/localEngine';
import { createLogger } from '../../../../../shared/redact';

const failed = (reason: string): LocalEngineStatus => ({
  state: 'failed',
  summary: null,
  problem: reason,
  unavailablePresets: {},
});
const READY: LocalEngineStatus = {
  state: 'ready',
  summary: 'ffmpeg 5.1 (PATH)',
  problem: null,
  unavailablePresets: {},
};
const GAVE_UP = failed(
  "This computer's converter stopped 4 times in a minute; jobs here wait until it is started again.",
);

function harness(initial: LocalEngineStatus, outcome: () => LocalEngineStatus | Error) {
  let status = initial;
  let restarts = 0;
  const logs: string[] = [];
  let release: () => void = () => undefined;
  let hold = false;
  const restart = createEngineRestart({
    restartEngine: async () => {
      restarts += 1;
      if (hold) await new Promise<void>((r) => (release = r));
      const next = outcome();
      if (next instanceof Error) {
        status = failed(next.message);
        throw next;
      }
      status = next;
    },
    status: () => status,
    logger: createLogger('engine', (_level, line) => void logs.push(line)),
  });
  return {
    restart,
    restarts: () => restarts,
    logs,
    holdNext: () => (hold = true),
    release: () => release(),
  };
}

describe('createEngineRestart', () => {
  it('starts a converter that gave up, and says it runs again', async () => {
    const h = harness(GAVE_UP, () => READY);
    expect(await h.restart()).toEqual({ outcome: 'started', status: READY });
    expect(h.restarts()).toBe(1);
  });

  it('starts a stopped converter too', async () => {
    const h = harness({ ...GAVE_UP, state: 'stopped' }, () => READY);
    expect(await h.restart()).toMatchObject({ outcome: 'started' });
  });

  it("a start that fails answers with the supervisor's reason, and logs the error", async () => {
    const h = harness(GAVE_UP, () => new Error("This computer's converter did not start in time."));
    expect(await h.restart()).toEqual({
      outcome: 'failed',
      message: "This computer's converter did not start in time.",
      status: failed("This computer's converter did not start in time."),
    });
    expect(h.logs.some((l) => l.includes('starting the local engine again failed'))).toBe(true);
  });

  it('leaves a running, starting or restarting converter alone, and one without ffmpeg', async () => {
    for (const status of [
      READY,
      { ...READY, state: 'starting' as const, summary: null },
      { ...GAVE_UP, state: 'restarting' as const, problem: 'stopped unexpectedly' },
      { ...READY, summary: null, problem: 'ffmpeg not found: install it' },
    ]) {
      const h = harness(status, () => READY);
      expect(await h.restart()).toEqual({ outcome: 'unchanged', status });
      expect(h.restarts()).toBe(0);
    }
  });

  it('two presses while it starts start it once, and both get its answer', async () => {
    const h = harness(GAVE_UP, () => READY);
    h.holdNext();
    const first = h.restart();
    const second = h.restart();
    await new Promise((r) => setTimeout(r, 0));
    h.release();
    expect(await first).toEqual({ outcome: 'started', status: READY });
    expect(await second).toEqual({ outcome: 'started', status: READY });
    expect(h.restarts()).toBe(1);
    // Done: a later press is a new start (here, of a converter already running: none).
    expect(await h.restart()).toMatchObject({ outcome: 'unchanged' });
  });
});
