/**
 * "Start converter again" (engine:restart): once the supervisor gave up on this computer's
 * converter (it crashed again and again) or it was stopped, nothing starts it on its own and
 * its jobs wait; this lets the person start it from the window instead of quitting the app.
 * Only a converter that is not running is started: one that is ready, starting, or restarting
 * on its own is left alone (a restart would cut its ffmpeg runs short), and one that runs but
 * found no ffmpeg needs an ffmpeg, not a start. The supervisor's restart begins a fresh count
 * of crashes.
 */
import type { EngineRestartResult, LocalEngineStatus } from '../../../shared/localEngine';
import type { Logger } from '../../../shared/redact';

export interface EngineRestartOptions {
  /** The host's restart (EngineSupervisor.restart): resolves once up, rejects when it failed. */
  restartEngine(): Promise<void>;
  status(): LocalEngineStatus;
  logger: Logger;
}

/** Whether the converter is down for good: it gave up, or was stopped. */
export function isConverterDown(status: LocalEngineStatus): boolean {
  return status.state === 'failed' || status.state === 'stopped';
}

export function createEngineRestart(o: EngineRestartOptions): () => Promise<EngineRestartResult> {
  // Two presses (the box's and the banner's) start it once: the second gets the first's answer.
  let running: Promise<EngineRestartResult> | null = null;

  const attempt = async (): Promise<EngineRestartResult> => {
    o.logger.info('starting the local engine again, as asked');
    try {
      await o.restartEngine();
    } catch (error) {
      // The supervisor put why in the engine's state (pushed to the window); the log gets the rest.
      o.logger.error('starting the local engine again failed', error);
    }
    const status = o.status();
    if (!isConverterDown(status)) return { outcome: 'started', status };
    return {
      outcome: 'failed',
      message: status.problem ?? "This computer's converter did not start.",
      status,
    };
  };

  return () => {
    if (running) return running;
    const before = o.status();
    if (!isConverterDown(before)) return Promise.resolve({ outcome: 'unchanged', status: before });
    running = attempt().finally(() => {
      running = null;
    });
    return running;
  };
}
