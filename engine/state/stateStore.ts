/**
 * The engine's state in memory, written to `<dataDir>/state.json`. Writes are atomic (temp
 * file, fsync, rename, folder fsync), so a crash leaves the last complete state on disk, and
 * coalesced in time (shared/node/delayedWrites.ts): a change is written within
 * `STATE_WRITE_DELAY_MS` together with every change made meanwhile, unless someone asks for it
 * now (`flush()`: the routes that hand out a new id). A job changes the state about ten times
 * (stored, probed, submitted, running, ended, deleted, ...).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/redact';
import { writeFileAtomic } from '../../shared/node/atomicWrite';
import { delayedWrites, type DelayedWrites } from '../../shared/node/delayedWrites';
import { emptyState, type EngineState } from './records';

/**
 * How long a change may wait for others before it is written. A crash within it loses only
 * what the next start redoes anyway (a status that moved, a probe, a delete): whatever an
 * answer handed out as accepted was flushed before that answer.
 */
export const STATE_WRITE_DELAY_MS = 250;

export class StateStore {
  readonly path: string;
  state: EngineState = emptyState();
  private readonly writes: DelayedWrites;
  /** Told of every change: held answers (`wait_ms`) waiting for a status to move. */
  private readonly listeners = new Set<() => void>();

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    writeDelayMs = STATE_WRITE_DELAY_MS,
  ) {
    this.path = join(dataDir, 'state.json');
    this.writes = delayedWrites(
      () =>
        writeFileAtomic(this.path, JSON.stringify(this.state)).catch((error: unknown) =>
          this.logger.error('could not persist state:', error),
        ),
      writeDelayMs,
    );
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<EngineState>;
    if (parsed.version !== 1) throw new Error(`Unknown state version in ${this.path}`);
    this.state = { ...emptyState(), ...parsed, version: 1 };
  }

  /** Marks the state changed; a write follows within the delay. */
  changed(): void {
    this.writes.changed();
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * Calls `listener` at every change of the state (in memory, before it is written); returns
   * the function that stops it. A held answer unsubscribes when it ends, so a long encode with
   * no change does not pile up listeners from its polls.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes now whatever waits; resolves once everything changed so far is on disk. */
  flush(): Promise<void> {
    return this.writes.flush();
  }
}
