/**
 * The engine's state in memory, written to `<dataDir>/state.json` after every change.
 * Writes are coalesced (many changes during one write become one more write) and atomic
 * (temp file, fsync, rename), so a crash leaves the last complete state on disk.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/redact';
import { writeFileAtomic } from '../../shared/node/atomicWrite';
import { emptyState, type EngineState } from './records';

export class StateStore {
  readonly path: string;
  state: EngineState = emptyState();
  private dirty = false;
  private writing: Promise<void> | null = null;
  /** Told of every change: held answers (`wait_ms`) waiting for a status to move. */
  private readonly listeners = new Set<() => void>();

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.path = join(dataDir, 'state.json');
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

  /** Marks the state changed; a write follows soon. */
  changed(): void {
    this.dirty = true;
    if (!this.writing) this.writing = this.writeLoop();
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

  /** Resolves once everything changed so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.dirty) {
      this.writing = this.writeLoop();
      await this.writing;
    }
  }

  private async writeLoop(): Promise<void> {
    try {
      // Yield once so that a burst of synchronous changes becomes a single write.
      await new Promise((r) => setImmediate(r));
      while (this.dirty) {
        this.dirty = false;
        try {
          await writeFileAtomic(this.path, JSON.stringify(this.state));
        } catch (error) {
          this.logger.error('could not persist state:', error);
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
