/**
 * A finished job as its history entry: what ran, where, what it made, when, and why it failed
 * or made nothing (one line). Built from the job the moment it finishes. The remote side (file
 * ids, storage links, the command) is left out: it means nothing once the job is gone, and a
 * storage link is a credential of sorts.
 */
import { randomUUID } from 'node:crypto';
import type { HistoryEntry, HistoryStatus } from '../../../shared/history';
import type { Job } from '../../../shared/jobs';
import { redact } from '../../../shared/redact';
import { skippedWords } from '../../../shared/skippedOutputs';

const REASON_MAX = 300;

/** Where a job ran, as the person reads it: "this computer" or the profile's name. */
export interface RanOn {
  local: boolean;
  label: string;
}

/** The failure in one line: its first line, redacted, at most REASON_MAX characters. */
export function oneLine(message: string): string {
  const first = redact(message).split(/\r?\n/, 1)[0]?.trim() ?? '';
  return first.length > REASON_MAX ? `${first.slice(0, REASON_MAX - 1)}…` : first;
}

/** Wall time from the first start to the finish, or the sum of the stage times when unknown. */
export function tookMs(job: Pick<Job, 'startedAt' | 'finishedAt' | 'stageTimings'>): number | null {
  if (job.startedAt !== null && job.finishedAt !== null && job.finishedAt >= job.startedAt)
    return job.finishedAt - job.startedAt;
  const sum = Object.values(job.stageTimings).reduce<number>((a, b) => a + (b ?? 0), 0);
  return sum > 0 ? sum : null;
}

/** null when the job has not finished (nothing to record). */
export function entryFromJob(job: Readonly<Job>, ranOn: RanOn): HistoryEntry | null {
  const status = job.stage;
  if (status !== 'done' && status !== 'failed' && status !== 'cancelled') return null;
  if (job.finishedAt === null) return null;
  const outputs = status === 'done' ? [...job.outputPaths] : [];
  const reason = reasonOf(job, status);
  // Skipped before anything ran (no command): "took 0.0 s" would time nothing.
  const ranNothing = status === 'done' && reason !== null && !job.remote.commandId;
  return {
    id: randomUUID(),
    jobId: job.id,
    status,
    sourcePath: job.sourcePath,
    sourceName: job.sourceName,
    sourceSize: job.sourceSize,
    presetId: job.settings.presetId,
    presetName: job.settings.preset.name,
    ranOn: { local: ranOn.local, profileId: job.settings.profileId, label: ranOn.label },
    outputPaths: outputs,
    outputBytes: status === 'done' ? (job.outputBytes ?? null) : null,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    tookMs: ranNothing ? null : tookMs(job),
    reason,
  };
}

/**
 * A failure or a cancel in one line; for a done job that wrote nothing ("Skip the file" kept
 * what was there), the row's own words, so History later says why nothing was made; for one
 * whose result is worth a look (much shorter than its source), that warning.
 */
function reasonOf(job: Readonly<Job>, status: HistoryStatus): string | null {
  if (status === 'done') return skippedWords(job) ?? (job.warning ? oneLine(job.warning) : null);
  return oneLine(job.error?.message ?? (status === 'cancelled' ? 'Cancelled.' : 'Failed.'));
}
