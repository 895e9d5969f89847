/**
 * What the progress line that stderr redraws on a terminal says of one running job: its stage,
 * percent, transfer speed and time left.
 */
import type { Job } from '../shared/jobs';
// Decimal units, as the window and the engine word sizes: one file reads as one size in both.
import { formatBytes } from '../shared/byteSize';

/** A running job's stage as the line shows it ("uploading 42% 1.25 MB/s ~3 s"). */
export function stageLabel(job: Pick<Job, 'stage' | 'progress'>): string {
  const p = job.progress;
  const pct = p.fraction === null ? '' : ` ${Math.round(p.fraction * 100)}%`;
  const speed = p.speed ? ` ${formatBytes(p.speed)}/s` : '';
  const eta =
    p.etaSeconds !== null && p.etaSeconds !== undefined ? ` ~${Math.ceil(p.etaSeconds)} s` : '';
  return `${job.stage}${pct}${job.stage === 'uploading' || job.stage === 'downloading' ? speed : ''}${eta}`;
}
