/**
 * A CPU profile of this process over one stretch of a bench (the batch, not the start-up and
 * its compiling), written as a `.cpuprofile` Chrome's DevTools and `speedscope` open.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export async function profileDuring<T>(
  dir: string,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 1 ms between samples (the default); the batch lasts seconds.
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(join(dir, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
