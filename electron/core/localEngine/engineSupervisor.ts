/**
 * Keeps the app's local engine running in its own process (Electron's utilityProcess, entered
 * through a port so this file never imports 'electron'): starts it with a per-launch key sent
 * privately, tells the core its address, restarts it when it dies (a crash must not stop the
 * jobs for good: the engine runs a command cut off by a crash again under the same id, and the
 * queue's calls retry), gives up after repeated crashes with a reason the window shows, starts
 * it again when the person asks (a fresh count of crashes), and stops it (and its ffmpeg
 * children) when the app quits.
 */
import { randomBytes } from 'node:crypto';
import type {
  EngineProcessEvent,
  EngineProcessRequest,
  LocalEngineLink,
  LocalEngineState,
} from '../../../shared/localEngine';
import { redact, type Logger } from '../../../shared/redact';
import { systemClock, type Clock } from '../ports';

/** The part of Electron's UtilityProcess used here. */
export interface EngineProcessLike {
  postMessage(message: EngineProcessRequest): void;
  kill(): boolean;
  on(event: 'message', listener: (message: EngineProcessEvent) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

export interface EngineSupervisorOptions {
  /** Forks the engine's process (utilityProcess.fork of dist/engine/engineProcess.mjs). */
  fork(): EngineProcessLike;
  /** What the engine is started with, asked at each start (a newly chosen ffmpeg applies). */
  startRequest(): Omit<Extract<EngineProcessRequest, { type: 'start' }>, 'type' | 'key'>;
  /** A new address (first start, a restart): the core registers it. */
  onLink(link: LocalEngineLink): Promise<void>;
  onState?(state: LocalEngineState): void;
  logger: Logger;
  clock?: Clock;
  /** How long a start may take (ffmpeg is asked what it can do: a few seconds). */
  startTimeoutMs?: number;
  /** Crashes within `crashWindowMs` after which it is not started again. */
  maxCrashes?: number;
  crashWindowMs?: number;
}

export class EngineSupervisor {
  private child: EngineProcessLike | null = null;
  private readonly key = `ffsk_${randomBytes(32).toString('hex')}`;
  private readonly crashes: number[] = [];
  private current: LocalEngineState = { state: 'stopped' };
  private stopping = false;
  /**
   * Bumped by each start and stop: an attempt begun before one of them (a restart after a crash
   * cut short by "Start converter again") must not report its failure over the newer one.
   */
  private generation = 0;
  /** Restarts one after another: two at once would stop the engine the other just started. */
  private restarts: Promise<unknown> = Promise.resolve();
  private readonly clock: Clock;

  constructor(private readonly o: EngineSupervisorOptions) {
    this.clock = o.clock ?? systemClock;
  }

  state(): LocalEngineState {
    return this.current;
  }

  /**
   * Starts the engine; resolves with its link, or rejects with why it could not start, which
   * is also its state ("failed" with that reason), so the window says why. A start asked for
   * (the first, or a person's) begins a fresh count of crashes: the ones before it do not
   * count against the engine it starts.
   */
  async start(): Promise<LocalEngineLink> {
    this.stopping = false;
    this.crashes.length = 0;
    const generation = ++this.generation;
    this.setState({ state: 'starting' });
    try {
      return await this.launch();
    } catch (error) {
      if (generation === this.generation && !this.stopping)
        this.setState({ state: 'failed', reason: reasonOf(error) });
      throw error;
    }
  }

  /**
   * Starts it again with what startRequest now says (a newly chosen ffmpeg, or "Start converter
   * again" after it gave up). One restart at a time: a second waits for the first, then runs.
   */
  restart(): Promise<LocalEngineLink> {
    const run = async (): Promise<LocalEngineLink> => {
      // The window reads "starting" throughout, not a stopped converter in between.
      this.setState({ state: 'starting' });
      await this.stop({ quiet: true });
      return this.start();
    };
    const next = this.restarts.then(run, run);
    this.restarts = next.catch(() => undefined);
    return next;
  }

  /** Stops the engine and waits for its process to end (killed after a few seconds). */
  async stop(options: { quiet?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.generation += 1;
    const child = this.child;
    this.child = null;
    if (child) {
      const ended = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      child.postMessage({ type: 'stop' });
      const killed = this.clock.sleep(5_000).then(() => void child.kill());
      await Promise.race([ended, killed]);
    }
    if (!options.quiet) this.setState({ state: 'stopped' });
  }

  private setState(state: LocalEngineState): void {
    this.current = state;
    this.o.onState?.(state);
  }

  private launch(): Promise<LocalEngineLink> {
    const child = this.o.fork();
    this.child = child;
    return new Promise<LocalEngineLink>((resolve, reject) => {
      let settled = false;
      // Only an engine that was running is restarted: one that could not start says why instead.
      let running = true;
      const timer = this.clock.setTimer(this.o.startTimeoutMs ?? 30_000, () => {
        if (settled) return;
        settled = true;
        running = false;
        child.kill();
        reject(new Error("This computer's converter did not start in time."));
      });
      child.on('message', (message) => {
        if (message.type === 'log') {
          this.o.logger[message.level](message.line);
        } else if (message.type === 'ready' && !settled) {
          settled = true;
          timer();
          const link: LocalEngineLink = {
            url: message.url,
            key: this.key,
            ffmpeg: message.ffmpeg,
            ...(message.commandSlots ? { commandSlots: message.commandSlots } : {}),
          };
          this.setState({ state: 'ready', ffmpeg: message.ffmpeg });
          void this.o.onLink(link).then(
            () => resolve(link),
            (error: unknown) => reject(error),
          );
        } else if (message.type === 'failed' && !settled) {
          settled = true;
          running = false;
          timer();
          reject(new Error(message.message));
        }
      });
      child.on('exit', (code) => {
        if (this.child === child) this.child = null;
        if (!settled) {
          settled = true;
          timer();
          reject(new Error(`This computer's converter stopped as it started (exit ${code}).`));
          return;
        }
        if (this.stopping || !running) return;
        this.onCrash(code);
      });
      child.postMessage({ type: 'start', key: this.key, ...this.o.startRequest() });
    });
  }

  private onCrash(code: number): void {
    const now = this.clock.now();
    const window = this.o.crashWindowMs ?? 60_000;
    this.crashes.push(now);
    while (this.crashes.length > 0 && this.crashes[0]! < now - window) this.crashes.shift();
    this.o.logger.warn(`the local engine stopped unexpectedly (exit ${code})`);
    if (this.crashes.length > (this.o.maxCrashes ?? 3)) {
      this.setState({
        state: 'failed',
        reason: `This computer's converter stopped ${this.crashes.length} times in a minute; jobs here wait until it is started again.`,
      });
      return;
    }
    this.setState({
      state: 'restarting',
      reason: "This computer's converter stopped unexpectedly.",
    });
    const generation = this.generation;
    this.launch().catch((error: unknown) => {
      this.o.logger.error('restarting the local engine failed', error);
      if (generation === this.generation && !this.stopping)
        this.setState({ state: 'failed', reason: reasonOf(error) });
    });
  }
}

/** The engine's own sentence (it says why it could not start), redacted: the window shows it. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? redact(error.message) : '';
  return message || "This computer's converter could not be started.";
}
