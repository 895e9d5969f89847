/**
 * The stability wait: a file is ready when its size and modification time have not changed
 * for `stableMs`, seen over at least two scans. A file still being copied or recorded keeps
 * changing, so it is never queued half-written; a file that stops growing is queued once.
 */

export interface FileSample {
  size: number;
  mtimeMs: number;
}

interface Tracked extends FileSample {
  /** When this size and mtime were first seen. */
  since: number;
}

export class StabilityTracker {
  private readonly files = new Map<string, Tracked>();

  constructor(private readonly stableMs: number) {}

  /**
   * Records what a scan saw of one file; true when it has held still for the wait. An empty
   * file is never ready: a copy that has only just created its file looks like one.
   */
  observe(path: string, sample: FileSample, now: number): boolean {
    const known = this.files.get(path);
    if (!known || known.size !== sample.size || known.mtimeMs !== sample.mtimeMs) {
      this.files.set(path, { ...sample, since: now });
      return false;
    }
    return sample.size > 0 && now - known.since >= this.stableMs;
  }

  forget(path: string): void {
    this.files.delete(path);
  }

  /** Drops files a scan no longer saw (deleted or moved away before they were ready). */
  keepOnly(seen: ReadonlySet<string>): void {
    for (const path of this.files.keys()) if (!seen.has(path)) this.files.delete(path);
  }

  get size(): number {
    return this.files.size;
  }
}
