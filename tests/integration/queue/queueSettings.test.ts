/**
 * The queue settings that shape a run, against the real engine: the three concurrency limits
 * (uploads, remote commands, downloads) are counted separately, and clean-up after download is
 * a setting (on by default, tested in queueRun.test.ts): off, the remote copies stay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobStage } from '../../../shared/jobs';
import { makeVideo } from '../../support/media';
import { queueClientOf } from '../../../electron/core/queue/clientAdapter';
import type { QueueClient } from '../../../electron/core/queue/ports';
import { addSessionProfile, startHarness, waitFinished, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const REMOTE: JobStage[] = ['submitted', 'processing'];

describe('queue settings', () => {
  it('counts uploads, remote commands and downloads against their own limits', async () => {
    h = await startHarness({}, { concurrency: { uploads: 1, remote: 2, downloads: 1 } });
    const harness = h;
    // As on RenderIO: on this computer the engine's slots set the lanes, not these limits.
    await addSessionProfile(harness.vault, 'Cloud', harness.engine.url, harness.key);
    const src = join(harness.dir, 'src');
    await mkdir(src);
    const paths = [];
    for (const name of ['a', 'b', 'c', 'd'])
      paths.push(await makeVideo(src, `${name}.mp4`, { seconds: 2 }));
    // Transfers in flight, counted at the client the queue calls (a job waiting for a download
    // slot already shows `downloading`, so stages alone would over-count downloads).
    const inFlight = { upload: 0, download: 0 };
    const peak = { upload: 0, download: 0, remote: 0 };
    const counted = <T>(kind: 'upload' | 'download', call: () => Promise<T>): Promise<T> => {
      inFlight[kind]++;
      peak[kind] = Math.max(peak[kind], inFlight[kind]);
      return call().finally(() => inFlight[kind]--);
    };
    const clientFor = (profileId: string): QueueClient => {
      const client = queueClientOf(harness.clients.clientFor(profileId));
      return Object.assign(Object.create(client) as QueueClient, {
        uploadFile: (...args: Parameters<QueueClient['uploadFile']>) =>
          counted('upload', () => client.uploadFile(...args)),
        download: (...args: Parameters<QueueClient['download']>) =>
          counted('download', () => client.download(...args)),
      });
    };
    const queue = await harness.openQueue({ clientFor });
    // Remote commands: the jobs in a remote stage, sampled while they run.
    const sample = (): void => {
      const remote = queue.snapshot().jobs.filter((j) => REMOTE.includes(j.stage)).length;
      peak.remote = Math.max(peak.remote, remote);
    };
    const timer = setInterval(sample, 10);
    const unsubscribe = queue.subscribe(sample);
    try {
      // test-slow runs each command in real time (2 s), so remote work overlaps for sure.
      const { added } = await queue.add({ paths, presetId: 'test-slow' });
      await waitFinished(queue, added);
      for (const id of added)
        expect(queue.get(id)?.stage, queue.get(id)?.error?.message).toBe('done');
    } finally {
      clearInterval(timer);
      unsubscribe();
    }
    expect(peak).toEqual({ upload: 1, download: 1, remote: 2 });
    expect(await harness.commands()).toHaveLength(4);
  });

  it('keeps the uploaded input and the outputs on the server when clean-up is off', async () => {
    h = await startHarness({}, { cleanupRemote: false });
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'keep.mp4', { seconds: 1 });
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths: [clip], presetId: 'test-mp3' });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!)!;
    expect(job.stage, job.error?.message).toBe('done');
    expect(job.remote.cleanedUp).not.toBe(true);
    const client = h.client();
    expect((await client.getFile(job.remote.fileId!)).is_deleted).toBe(false);
    const command = await client.getCommand(job.remote.commandId!);
    expect(Object.keys(command.output_files)).toEqual(['out_audio']);
    expect(Object.values(command.output_files).every((o) => !o.is_deleted)).toBe(true);
    expect(h.engine.requestLog.filter((e) => e.method === 'DELETE').map((e) => e.path)).toEqual([]);
  });
});
