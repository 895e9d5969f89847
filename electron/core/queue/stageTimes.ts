/**
 * How long each leg of a job takes, measured as jobs finish, per place (this computer or
 * RenderIO) and per leg (upload, wait on the server, processing, download), relative to the
 * source's size. A job's one bar weighs its legs by these estimates, so a leg that takes most
 * of the time fills most of the bar. Before any measurement the defaults below stand in.
 */
import type { Job, JobStage } from '../../../shared/jobs';

export type Place = 'local' | 'cloud';
export type Leg = 'upload' | 'wait' | 'process' | 'download';
export const LEGS: readonly Leg[] = ['upload', 'wait', 'process', 'download'];

/** Seconds a leg takes: `fixed + perMB * megabytes` (before any measurement). */
interface LegGuess {
  fixed: number;
  perMB: number;
}

/**
 * Rough first guesses. This computer: the transfers are loopback copies, processing is most
 * of the time. RenderIO: a typical home upload (~20 Mbit/s), a few seconds in the server's
 * queue, a faster download.
 */
const DEFAULTS: Record<Place, Record<Leg, LegGuess>> = {
  local: {
    upload: { fixed: 0.1, perMB: 0.01 },
    wait: { fixed: 0.1, perMB: 0 },
    process: { fixed: 1, perMB: 0.5 },
    download: { fixed: 0.1, perMB: 0.01 },
  },
  cloud: {
    upload: { fixed: 1, perMB: 0.4 },
    wait: { fixed: 3, perMB: 0 },
    process: { fixed: 3, perMB: 0.5 },
    download: { fixed: 0.5, perMB: 0.1 },
  },
};

/** How much one finished job moves the measure (an exponential moving average). */
const LEARN = 0.3;
/** A measure never strays further than this factor from the default (one odd job). */
const MAX_SCALE = 50;

/** The leg a stage belongs to; null for stages outside the run (queued, finished, held). */
export function legOf(stage: JobStage): Leg | null {
  switch (stage) {
    case 'uploading':
      return 'upload';
    case 'stored':
    case 'submitted':
      return 'wait';
    case 'processing':
      return 'process';
    case 'downloading':
      return 'download';
    default:
      return null;
  }
}

/** Seconds per leg for one job, the weights of its bar. */
export type LegWeights = Record<Leg, number>;

/** What is kept between launches (stageTimesFile.ts): the learned scales and their counts. */
export interface StageTimesSnapshot {
  logScale: Record<Place, Record<Leg, number>>;
  measured: Record<Place, number>;
}

/** The farthest a kept scale may be from the default, as a log (MAX_SCALE both ways). */
export const MAX_LOG_SCALE = Math.log(50);

export class StageTimes {
  /** Measured / default, per place and leg, kept as a log so the average is a geometric one. */
  private readonly logScale: Record<Place, Record<Leg, number>> = {
    local: { upload: 0, wait: 0, process: 0, download: 0 },
    cloud: { upload: 0, wait: 0, process: 0, download: 0 },
  };
  private readonly measured: Record<Place, number> = { local: 0, cloud: 0 };

  /**
   * `kept`: what an earlier launch learned (already checked by its reader), so the first job
   * after a restart is weighed by measured times, not the first guesses. `onRecorded` hears
   * each update, to keep it.
   */
  constructor(
    kept: StageTimesSnapshot | null = null,
    private readonly onRecorded?: (snapshot: StageTimesSnapshot) => void,
  ) {
    if (!kept) return;
    for (const place of ['local', 'cloud'] as const) {
      this.measured[place] = kept.measured[place];
      for (const leg of LEGS) this.logScale[place][leg] = kept.logScale[place][leg];
    }
  }

  snapshot(): StageTimesSnapshot {
    return {
      logScale: { local: { ...this.logScale.local }, cloud: { ...this.logScale.cloud } },
      measured: { ...this.measured },
    };
  }

  private guess(place: Place, leg: Leg, bytes: number): number {
    const d = DEFAULTS[place][leg];
    return d.fixed + (d.perMB * Math.max(0, bytes)) / 1e6;
  }

  /** The expected seconds of each leg for a source of this size. */
  estimate(place: Place, bytes: number): LegWeights {
    const out = {} as LegWeights;
    for (const leg of LEGS)
      out[leg] = this.guess(place, leg, bytes) * Math.exp(this.logScale[place][leg]);
    return out;
  }

  /** How many finished jobs the measure of a place rests on. */
  samples(place: Place): number {
    return this.measured[place];
  }

  /** A job finished: its stage timings (ms) update the measure of its place. */
  record(place: Place, bytes: number, timings: Job['stageTimings']): void {
    const ms: LegWeights = { upload: 0, wait: 0, process: 0, download: 0 };
    for (const [stage, t] of Object.entries(timings) as [JobStage, number][]) {
      const leg = legOf(stage);
      if (leg && Number.isFinite(t) && t > 0) ms[leg] += t;
    }
    // A job that skipped a leg (resumed past it after a restart) says nothing about that leg.
    for (const leg of LEGS) {
      if (ms[leg] <= 0) continue;
      const ratio = ms[leg] / 1000 / this.guess(place, leg, bytes);
      const clamped = Math.min(MAX_SCALE, Math.max(1 / MAX_SCALE, ratio));
      const s = this.logScale[place];
      s[leg] += LEARN * (Math.log(clamped) - s[leg]);
    }
    this.measured[place]++;
    this.onRecorded?.(this.snapshot());
  }
}
