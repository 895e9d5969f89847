/**
 * What a job row shows for each stage: a short label, a detail line, and what its progress
 * bar says (fraction or indeterminate, with a spoken value). Pure, so it is unit-tested.
 */
import { ACTIVE_STAGES, FINISHED_STAGES, type Job, type JobStage } from '../../../shared/jobs';
import { LOCAL_PROFILE_ID } from '../../../shared/profileTypes';
import { skippedWords } from '../../../shared/skippedOutputs';
import { etaBeside, formatBytes, formatClock, formatPercent, formatSpeed } from './format';

export type Tone = 'idle' | 'active' | 'held' | 'done' | 'failed' | 'cancelled';

export interface StageView {
  label: string;
  /** Secondary text: speed, ETA, elapsed time or the failure reason. */
  detail: string | null;
  tone: Tone;
  /** Whether the row shows a progress bar at all. */
  showBar: boolean;
  /** 0..1, or null for an indeterminate bar. */
  fraction: number | null;
  /** aria-valuetext: what a screen reader says for the bar. */
  valueText: string;
}

/** A done job's warning in its row (the whole sentence is its title, in Details and History). */
export const RESULT_WARNING_SHORT = 'Shorter than its source';

const STAGE_LABELS: Record<JobStage, string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  stored: 'Queued on server',
  submitted: 'Queued on server',
  processing: 'Processing',
  downloading: 'Downloading',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  paused: 'Paused',
  'waiting-for-key': 'Waiting for an API key',
  'rate-limited': 'Rate-limited',
};

/**
 * On this computer nothing leaves it and nothing waits on a server: the file is copied into the
 * converter's folder ("Preparing"), the conversion starts ("Starting", never "Queued on
 * server"), and the result is written where it goes ("Saving"). "Uploading" and "Downloading"
 * under "Ran on: this computer" read as if the file had gone somewhere.
 */
const LOCAL_STAGE_LABELS: Partial<Record<JobStage, string>> = {
  uploading: 'Preparing',
  stored: 'Starting',
  submitted: 'Starting',
  downloading: 'Saving',
};

/** A stage's name, as a person says it where the job runs. */
export function stageLabel(stage: JobStage, local = false): string {
  return (local ? LOCAL_STAGE_LABELS[stage] : undefined) ?? STAGE_LABELS[stage];
}

function isLocalJob(job: Pick<Job, 'settings'>): boolean {
  return job.settings.profileId === LOCAL_PROFILE_ID;
}

/**
 * An ETA only once it means something: main hides it until a tenth is done and a few seconds
 * were watched, and damps it; this guards an older core's raw one too. A few seconds left is
 * said only near the end (never "moments left" at 21 %).
 */
export function meaningfulEta(fraction: number | null, etaSeconds: number | null): string | null {
  if (fraction === null || fraction < 0.1) return null;
  return etaBeside(fraction, etaSeconds);
}

/**
 * The job's one bar: its share across all its stages (main weighs the stages by measured
 * times and never lets it go back), or, from an older core, the stage's own share.
 */
export function jobFraction(job: Pick<Job, 'progress'>): number | null {
  return job.progress.overall ?? job.progress.fraction;
}

function transferView(job: Job, label: string): StageView {
  const { bytesDone, bytesTotal, speed, etaSeconds } = job.progress;
  const fraction = jobFraction(job);
  const parts: string[] = [];
  if (bytesTotal !== null && bytesTotal > 0)
    parts.push(`${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}`);
  else if (bytesDone > 0) parts.push(formatBytes(bytesDone));
  const speedText = formatSpeed(speed);
  if (speedText) parts.push(speedText);
  const eta = meaningfulEta(fraction, etaSeconds);
  if (eta) parts.push(eta);
  if (fraction === null) {
    return {
      label,
      detail: parts.join(' · ') || null,
      tone: 'active',
      showBar: true,
      fraction: null,
      valueText: `${label}${parts.length ? `, ${parts.join(', ')}` : ''}`,
    };
  }
  const percent = formatPercent(fraction);
  return {
    label: `${label} ${percent}`,
    detail: parts.join(' · ') || null,
    tone: 'active',
    showBar: true,
    fraction,
    valueText: [percent, eta].filter(Boolean).join(', '),
  };
}

/** Where a job runs, as a person names it: its errors never say RenderIO for this computer. */
export function placeName(local: boolean): string {
  return local ? "this computer's converter" : 'RenderIO';
}

/** "retrying in 12 s", or "retrying now" once the time has come. */
export function retryCountdown(at: number, now: number): string {
  const seconds = Math.ceil((at - now) / 1000);
  if (seconds <= 0) return 'retrying now…';
  return `retrying in ${seconds < 60 ? `${seconds} s` : formatClock(seconds)}`;
}

/** What the window knows beyond the job that changes how its row reads. */
export interface RowContext {
  /**
   * This computer's converter gave up or was stopped (converterStart.ts, canStartConverter):
   * nothing starts it on its own, so its jobs wait for it rather than "retrying in 1 s".
   */
  converterGivenUp?: boolean;
}

/** A step that failed in a way that may heal and waits to run again (main's job.retry). */
function retryView(
  job: Job,
  retry: NonNullable<Job['retry']>,
  now: number,
  context: RowContext,
): StageView {
  const unreachable = retry.code === 'network' || retry.code === 'timeout';
  if (unreachable && isLocalJob(job) && context.converterGivenUp) {
    const detail = "until this computer's converter runs again";
    return {
      label: 'Waiting',
      detail,
      tone: 'held',
      showBar: false,
      fraction: null,
      valueText: `Waiting ${detail}`,
    };
  }
  const countdown = retryCountdown(retry.at, now);
  const label = unreachable ? `Can't reach ${placeName(isLocalJob(job))}` : 'Retrying';
  const detail = unreachable ? countdown : `${retry.message} · ${countdown}`;
  return {
    label,
    detail,
    tone: 'held',
    showBar: false,
    fraction: null,
    valueText: `${label}, ${countdown}`,
  };
}

/**
 * `stageSince`: when the job entered its stage (epoch ms), for elapsed time. Shown from the
 * first whole second on: "Processing 71% · 0:00 elapsed" beside a bar most of the way along
 * read as if the job had taken no time at all (the bar is the job's, the clock its stage's).
 */
export function describeJob(
  job: Job,
  now: number,
  stageSince?: number,
  context: RowContext = {},
): StageView {
  const elapsed =
    stageSince !== undefined && now - stageSince >= 1000
      ? formatClock((now - stageSince) / 1000)
      : null;
  if (job.retry && (isRunning(job.stage) || job.stage === 'queued'))
    return retryView(job, job.retry, now, context);
  switch (job.stage) {
    case 'queued':
      return {
        label: 'Waiting',
        detail: null,
        tone: 'idle',
        showBar: false,
        fraction: null,
        valueText: 'Waiting',
      };
    case 'uploading':
    case 'downloading':
      return transferView(job, stageLabel(job.stage, isLocalJob(job)));
    case 'stored':
    case 'submitted': {
      // On this computer nothing waits on a server: the conversion is starting.
      const overall = job.progress.overall ?? null;
      const percent = overall !== null ? `${formatPercent(overall)}, ` : '';
      if (isLocalJob(job))
        return {
          label: 'Starting',
          detail: null,
          tone: 'active',
          showBar: true,
          fraction: overall,
          valueText: `${percent}Starting`,
        };
      return {
        label: 'Queued on server',
        detail: elapsed ? `waiting ${elapsed}` : null,
        tone: 'active',
        showBar: true,
        fraction: overall,
        valueText: `${percent}Queued on server`,
      };
    }
    case 'processing': {
      const fraction = jobFraction(job);
      if (fraction === null || job.progress.fraction === null) {
        // No percent from the server: the bar holds the job's share (or is indeterminate).
        const percent = fraction !== null ? `${formatPercent(fraction)}, ` : '';
        return {
          label: 'Processing',
          detail: elapsed ? `${elapsed} elapsed` : null,
          tone: 'active',
          showBar: true,
          fraction,
          valueText: `${percent}${elapsed ? `Processing, ${elapsed} elapsed` : 'Processing'}`,
        };
      }
      const eta = meaningfulEta(fraction, job.progress.etaSeconds);
      return {
        label: `Processing ${formatPercent(fraction)}`,
        detail: eta ?? (elapsed ? `${elapsed} elapsed` : null),
        tone: 'active',
        showBar: true,
        fraction,
        valueText: [formatPercent(fraction), eta].filter(Boolean).join(', '),
      };
    }
    case 'done': {
      const outputs = job.outputPaths.length;
      // Nothing written: "Skip the file" kept what was there. Not "Done": that read as converted.
      const skipped = skippedWords(job);
      if (skipped !== null)
        return {
          label: 'Skipped',
          detail: skipped,
          tone: 'done',
          showBar: false,
          fraction: 1,
          valueText: `Skipped, ${skipped}`,
        };
      return {
        label: 'Done',
        detail: outputs > 1 ? `${outputs} files written` : null,
        tone: 'done',
        showBar: false,
        fraction: 1,
        valueText: 'Done',
      };
    }
    case 'failed':
      return {
        label: 'Failed',
        detail: job.error?.message ?? 'The job failed.',
        tone: 'failed',
        showBar: false,
        fraction: null,
        valueText: 'Failed',
      };
    case 'cancelled':
      return {
        label: 'Cancelled',
        detail: null,
        tone: 'cancelled',
        showBar: false,
        fraction: null,
        valueText: 'Cancelled',
      };
    case 'paused':
      return {
        label: 'Paused',
        detail: job.resumeStage
          ? `will resume: ${stageLabel(job.resumeStage, isLocalJob(job)).toLowerCase()}`
          : null,
        tone: 'held',
        showBar: false,
        fraction: null,
        valueText: 'Paused',
      };
    case 'waiting-for-key':
      return {
        label: 'Waiting for an API key',
        detail: 'Set a valid key in Account to continue.',
        tone: 'held',
        showBar: false,
        fraction: null,
        valueText: 'Waiting for an API key',
      };
    case 'rate-limited': {
      const wait = job.holdUntil !== null ? Math.max(0, (job.holdUntil - now) / 1000) : null;
      return {
        label: 'Rate-limited',
        detail: wait !== null ? `resuming in ${formatClock(wait)}` : 'resuming shortly',
        tone: 'held',
        showBar: false,
        fraction: null,
        valueText: 'Rate-limited',
      };
    }
  }
}

export function isFinished(stage: JobStage): boolean {
  return FINISHED_STAGES.includes(stage);
}

export function isRunning(stage: JobStage): boolean {
  return ACTIVE_STAGES.includes(stage);
}

/** Whether a job can still change preset: queued and not started (also when held from queued). */
export function canChangePreset(job: Pick<Job, 'stage' | 'resumeStage'>): boolean {
  if (job.stage === 'queued') return true;
  return (
    (job.stage === 'paused' || job.stage === 'waiting-for-key' || job.stage === 'rate-limited') &&
    job.resumeStage === 'queued'
  );
}
