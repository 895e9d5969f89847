/**
 * What a done job that wrote nothing says: "Skip the file" (collision "skip") kept what was
 * there, found before the upload (nothing converted) or at the download. Such a job reads
 * "Skipped", not "Done" (a green "Done" read as converted), and this says why, in one wording
 * for the queue's row (renderer/src/lib/stageView.ts) and the job's History entry
 * (electron/core/history/historyEntry.ts), so History later reads as the row did.
 */
import type { Job } from './jobs';

/** "clip-mp3.mp3 already exists" (beside "Skipped"); null when the job wrote a file or skipped none. */
export function skippedWords(job: Pick<Job, 'outputPaths' | 'remote'>): string | null {
  if (job.outputPaths.length > 0) return null;
  const kept = (job.remote.outputs ?? []).filter((o) => o.localPath === null);
  if (kept.length === 0) return null;
  const name = kept[0]?.localName;
  if (kept.length === 1 && name) return `${name} already exists`;
  return kept.length === 1
    ? 'its output already exists'
    : `its ${kept.length} outputs already exist`;
}
