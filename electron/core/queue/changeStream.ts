/**
 * The queue's change stream: state changes are collected and flushed at most every
 * `intervalMs` as one batch of patches, so a UI repaints a few times a second however many
 * jobs move. The first change after a quiet interval goes at once (a job that finishes, a
 * Cancel pressed: seen when it happens, not up to an interval later); the changes after it
 * wait for the interval's end. A job's structural change (stage, error, settings) goes as
 * `upsert`; a change of bytes only goes as the smaller `progress` patch. Each flush ends with
 * the aggregate.
 */
import type { AggregateProgress, Job, QueueFlags, QueuePatch } from '../../../shared/jobs';
import { batchDelay } from '../batchDelay';

export interface ChangeSource {
  job(id: string): Job | undefined;
  order(): string[];
  queueFlags(): QueueFlags;
  aggregate(): AggregateProgress;
}

export class ChangeStream {
  private readonly listeners = new Set<(patches: QueuePatch[]) => void>();
  private upserts = new Set<string>();
  private progress = new Set<string>();
  private removed: string[] = [];
  private orderChanged = false;
  private flagsChanged = false;
  private timer: NodeJS.Timeout | null = null;
  /** When the last batch went (Date.now()). */
  private lastFlushAt = -Infinity;
  private lastAggregate = '';

  constructor(
    private readonly source: ChangeSource,
    private readonly intervalMs = 250,
  ) {}

  subscribe(listener: (patches: QueuePatch[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  upsert(id: string): void {
    this.bump(id);
    this.upserts.add(id);
    this.schedule();
  }

  progressOf(id: string): void {
    this.bump(id);
    this.progress.add(id);
    this.schedule();
  }

  /**
   * Counts a change of the job as it is told (not when its batch goes): a page of jobs asked
   * for meanwhile carries the newer count, so the window can tell the batch's older patch.
   */
  private bump(id: string): void {
    const job = this.source.job(id);
    if (job) job.rev = (job.rev ?? 0) + 1;
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      this.upserts.delete(id);
      this.progress.delete(id);
    }
    this.removed.push(...ids);
    this.schedule();
  }

  order(): void {
    this.orderChanged = true;
    this.schedule();
  }

  flags(): void {
    this.flagsChanged = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.listeners.size === 0) {
      if (this.listeners.size === 0) this.clear();
      return;
    }
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush();
      },
      batchDelay(this.lastFlushAt, this.intervalMs),
    );
  }

  private clear(): void {
    this.upserts.clear();
    this.progress.clear();
    this.removed = [];
    this.orderChanged = false;
    this.flagsChanged = false;
  }

  /** Sends what is pending now (also called on close). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const patches: QueuePatch[] = [];
    if (this.removed.length > 0) patches.push({ type: 'remove', ids: this.removed });
    for (const id of this.upserts) {
      const job = this.source.job(id);
      if (job) patches.push({ type: 'upsert', job: structuredClone(job) });
    }
    for (const id of this.progress) {
      if (this.upserts.has(id)) continue;
      const job = this.source.job(id);
      if (job)
        patches.push({
          type: 'progress',
          id,
          stage: job.stage,
          progress: { ...job.progress },
          rev: job.rev,
        });
    }
    if (this.orderChanged) patches.push({ type: 'order', ids: this.source.order() });
    if (this.flagsChanged) patches.push({ type: 'queue', ...this.source.queueFlags() });
    const aggregate = this.source.aggregate();
    const aggregateText = JSON.stringify(aggregate);
    if (patches.length > 0 || aggregateText !== this.lastAggregate) {
      patches.push({ type: 'aggregate', aggregate });
      this.lastAggregate = aggregateText;
    }
    this.clear();
    if (patches.length === 0) return;
    this.lastFlushAt = Date.now();
    for (const listener of this.listeners) {
      try {
        listener(patches);
      } catch {
        /* a listener's failure must not stop the queue */
      }
    }
  }

  close(): void {
    this.flush();
    this.listeners.clear();
  }
}
