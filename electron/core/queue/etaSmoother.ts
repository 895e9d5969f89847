/**
 * A damped "time left": the rate is measured over the last `windowMs` of progress, the time
 * left it implies is followed slowly (it counts down by itself between samples and moves
 * toward a new estimate by a share of the gap, at most a tenth a second, so a burst or a
 * coarse jump does not throw it), and it is hidden until it means something (enough of the work done and enough time
 * seen) and again when progress stalls.
 */

export interface EtaOptions {
  /** The span the rate is measured over (ms). */
  windowMs?: number;
  /** How quickly the shown value follows a new estimate (time constant, ms). */
  followMs?: number;
  /** Hidden until this share of the work is done... */
  minFraction?: number;
  /** ...and this long has been watched (ms). */
  minElapsedMs?: number;
  /** Hidden after this long without progress (ms). */
  stallMs?: number;
}

/**
 * What else is known about the time left (the queue's, from its running jobs' own): followed
 * like any new estimate, never jumped to.
 */
export interface EtaGuide {
  /** No sooner than this (s): the slowest running job's own time left. */
  atLeast?: number | null;
  /** This (s): the one job left's own time left. */
  exactly?: number | null;
}

export class EtaSmoother {
  private samples: { at: number; done: number }[] = [];
  private startAt: number | null = null;
  private lastMoveAt: number | null = null;
  private shown: number | null = null;
  private shownAt: number | null = null;
  private fraction = 0;
  private readonly windowMs: number;
  private readonly followMs: number;
  private readonly minFraction: number;
  private readonly minElapsedMs: number;
  private readonly stallMs: number;

  constructor(options: EtaOptions = {}) {
    this.windowMs = options.windowMs ?? 15_000;
    this.followMs = options.followMs ?? 5_000;
    this.minFraction = options.minFraction ?? 0.1;
    this.minElapsedMs = options.minElapsedMs ?? 3_000;
    this.stallMs = options.stallMs ?? 10_000;
  }

  reset(): void {
    this.samples = [];
    this.startAt = null;
    this.lastMoveAt = null;
    this.shown = null;
    this.shownAt = null;
    this.fraction = 0;
  }

  /**
   * Measures the rate afresh from the next update, keeping what is shown (it still moves toward
   * new estimates in steps). For a job that sat waiting (for a slot, in a server's queue): the
   * pace of its work is not the pace of the wait, and a rate measured across both made a job
   * that waited 2.5 s for a slot say "about 1 min left" three seconds before it finished.
   */
  restartRate(): void {
    this.samples = [];
  }

  /**
   * Records the work done so far out of `total` (a job: its 0..1 share; the queue: seconds of
   * estimated work) at a time, and returns the seconds left to show, or null. `guide` bends
   * the estimate, not the shown value: the shown one still moves toward it in steps.
   */
  update(at: number, done: number, total: number, guide: EtaGuide = {}): number | null {
    // Whether a person sees a value now: only a value seen is held or stepped from.
    const seen = this.visible() !== null;
    const last = this.samples.at(-1);
    if (last && at < last.at) return this.visible();
    if (this.startAt === null) this.startAt = at;
    if (!last || done > last.done) this.lastMoveAt = at;
    this.samples.push({ at, done: Math.max(done, last?.done ?? done) });
    while (this.samples.length > 2 && (this.samples[1]?.at ?? at) <= at - this.windowMs)
      this.samples.shift();
    this.fraction = total > 0 ? Math.min(1, done / total) : 0;

    const first = this.samples[0]!;
    const span = at - first.at;
    const rate = span >= 500 ? ((this.samples.at(-1)!.done - first.done) * 1000) / span : null;
    const left = Math.max(0, total - done);
    let estimate = rate !== null && rate > 0 ? left / rate : null;
    if (estimate !== null && guide.exactly != null) estimate = guide.exactly;
    else if (estimate !== null && guide.atLeast != null)
      estimate = Math.max(estimate, guide.atLeast);

    if (this.lastMoveAt !== null && at - this.lastMoveAt >= this.stallMs) {
      // Stalled: no honest time left to give. Start again from the next sign of life, its rate
      // measured from there (not across the stall).
      this.shown = null;
      this.shownAt = null;
      this.samples = this.samples.slice(-1);
      return null;
    }
    if (estimate === null) {
      // No rate yet, or a pause within the stall limit: hold what was shown (no countdown to
      // "almost done" while nothing moves). A value never seen is not brought out now: it was
      // made from a rate no longer measured (before a wait, restartRate).
      if (seen) this.shownAt = at;
      else {
        this.shown = null;
        this.shownAt = null;
      }
      return this.visible();
    }
    if (!seen || this.shown === null || this.shownAt === null) {
      // Nothing shown yet: no step to soften, so the first value a person sees is today's
      // estimate, not what is left of the first, wild one (a queue that took 6 s first said
      // "less than a minute left" with 3 s to go, stepping down from a minute guessed at 0.5 s).
      this.shown = estimate;
    } else {
      const dt = at - this.shownAt;
      const counted = Math.max(0, this.shown - dt / 1000);
      const share = 1 - Math.exp(-dt / this.followMs);
      // And never by more than a tenth (plus a second) per second watched: no visible leap.
      const most = ((0.1 * counted + 1) * dt) / 1000;
      const step = Math.max(-most, Math.min(most, share * (estimate - counted)));
      this.shown = counted + step;
    }
    this.shownAt = at;
    return this.visible();
  }

  /** The value shown after the last update (null while hidden). */
  current(): number | null {
    return this.visible();
  }

  private visible(): number | null {
    if (this.shown === null || this.startAt === null || this.shownAt === null) return null;
    if (this.fraction < this.minFraction) return null;
    if (this.shownAt - this.startAt < this.minElapsedMs) return null;
    return this.shown;
  }
}
