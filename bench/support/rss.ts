/** Memory of another process from /proc (Linux): current and peak resident set size. */
import { readFile } from 'node:fs/promises';

export interface Rss {
  rssMb: number;
  /** Peak RSS over the process's life (VmHWM). */
  peakMb: number;
}

export async function readRss(pid: number): Promise<Rss> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}
