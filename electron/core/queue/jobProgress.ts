/**
 * One bar per job across its legs (upload → wait/processing → download), weighted by the
 * measured leg times (stageTimes.ts), never moving backwards: a stage that starts again
 * (a download retried on its own, an upload redone after its input expired, a resume after a
 * restart) holds the bar where it was until the work passes it. A full retry (a new attempt)
 * starts from 0. The job's time left is damped (etaSmoother.ts).
 */
import type { JobStage } from '../../../shared/jobs';
import { EtaSmoother } from './etaSmoother';
import { LEGS, legOf, type Leg, type LegWeights } from './stageTimes';

/** A running job's bar stops short of full until the job is done. */
export const RUNNING_CAP = 0.99;

/**
 * Where a job is along its legs, 0..1, before the never-backwards rule. `within` is the share
 * of the current leg done (null: unknown, counted as its start).
 */
export function rawOverall(weights: LegWeights, stage: JobStage, within: number | null): number {
  if (stage === 'done') return 1;
  const leg = legOf(stage);
  if (leg === null) return 0;
  let total = 0;
  for (const l of LEGS) total += Math.max(0, weights[l]);
  if (total <= 0) return 0;
  let before = 0;
  for (const l of LEGS) {
    if (l === leg) break;
    before += Math.max(0, weights[l]);
  }
  const share = within === null ? 0 : Math.min(1, Math.max(0, within));
  return Math.min(1, (before + Math.max(0, weights[leg]) * share) / total);
}

/** A leg whose progress is not reported (the server's queue, processing without a percent):
 * the share of its expected time passed, approaching but never reaching its end. */
export function timedShare(elapsedMs: number, expectedSeconds: number): number {
  if (expectedSeconds <= 0) return 0;
  return Math.min(0.9, 1 - Math.exp(-elapsedMs / 1000 / expectedSeconds));
}

export class JobProgressTracker {
  /** The bar's value: only ever goes up within an attempt. */
  best: number;
  readonly eta = new EtaSmoother();

  constructor(
    /** The leg weights, fixed when the job starts so later measurements do not shift its bar. */
    readonly weights: LegWeights,
    /** The attempt the bar belongs to: a new attempt starts from 0. */
    readonly attempt: number,
    start = 0,
  ) {
    this.best = Math.min(RUNNING_CAP, Math.max(0, start));
  }

  /** Total expected seconds of the job (the queue's ETA weighs jobs by it). */
  get seconds(): number {
    let s = 0;
    for (const l of LEGS) s += this.weights[l];
    return s;
  }

  legSeconds(leg: Leg): number {
    return this.weights[leg];
  }

  /** Moves the bar for a report; returns the new value. */
  advance(stage: JobStage, within: number | null): number {
    if (stage === 'done') {
      this.best = 1;
      return 1;
    }
    const raw = Math.min(RUNNING_CAP, rawOverall(this.weights, stage, within));
    if (raw > this.best) this.best = raw;
    return this.best;
  }
}
