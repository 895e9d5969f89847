/** The live processes of this machine, for tests that must leave none behind (/proc: Linux). */
import { readdir, readFile } from 'node:fs/promises';

/** Ids of the live processes whose command line names `text`. */
export async function processesNaming(text: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push(Number(entry));
  }
  return found;
}
