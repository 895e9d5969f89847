import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeCorrupt, makeVideo } from '../../support/media';
import {
  addSessionProfile,
  startSerialHarness,
  waitFinished,
  waitStage,
  type Harness,
} from './harness';
import { startNetProxy } from '../../support/netProxy';
import type { QueuePatch } from '../../../shared/jobs';

let h: Harness;
let src: string;
beforeEach(async () => {
  ({ h, src } = await startSerialHarness());
  await makeVideo(src, 'a.mp4');
  await makeVideo(src, 'b.mp4');
  await makeVideo(src, 'c.mp4');
});
afterEach(async () => {
  await h.close();
});

describe('queue controls', () => {
  it('flushChanges sends at once what the throttle holds (the CLI, once nothing is left to run)', async () => {
    const queue = await h.openQueue({ throttleMs: 60_000 });
    const batches: QueuePatch[][] = [];
    queue.subscribe((patches) => batches.push(patches));
    // The first change after a quiet spell goes on the next turn; the next one is held.
    queue.pauseAll();
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toHaveLength(1);
    queue.resumeAll();
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toHaveLength(1);
    queue.flushChanges();
    expect(batches).toHaveLength(2);
    expect(batches[1]).toContainEqual(expect.objectContaining({ type: 'queue', paused: false }));
  });

  it('moves, applies a preset to queued jobs, removes, and keeps order on disk', async () => {
    const queue = await h.openQueue({ autoStart: false });
    const { added } = await queue.add({
      paths: [join(src, 'a.mp4'), join(src, 'b.mp4'), join(src, 'c.mp4')],
      presetId: 'test-webm',
    });
    const [a, b, c] = added as [string, string, string];
    queue.move(c, 'top');
    queue.move(a, 'bottom');
    queue.move(b, 'down');
    expect(queue.snapshot().jobs.map((j) => j.id)).toEqual([c, a, b]);
    queue.move(b, 'up');
    expect(queue.snapshot().jobs.map((j) => j.id)).toEqual([c, b, a]);

    const applied = queue.applyPreset([a, c], 'test-mp3');
    expect(applied.applied).toEqual([a, c]);
    expect(queue.applyPreset([a], 'nope').skipped[0]?.reason).toMatch(/not available/);
    expect(queue.get(a)?.settings.preset.id).toBe('test-mp3');
    expect(queue.get(b)?.settings.presetId).toBe('test-webm');

    await queue.remove([b]);
    await queue.close();
    // A new queue over the same folder sees the same state: order, presets, removal.
    const again = await h.openQueue();
    expect(again.snapshot().jobs.map((j) => [j.id, j.settings.presetId])).toEqual([
      [c, 'test-mp3'],
      [a, 'test-mp3'],
    ]);
    await waitFinished(again, [a, c]);
    expect((await readdir(src)).sort()).toEqual(['a.mp3', 'a.mp4', 'b.mp4', 'c.mp3', 'c.mp4']);
    // Only started jobs keep their preset.
    expect(again.applyPreset([a], 'test-webm').skipped[0]?.reason).toMatch(
      /has already finished: only a job that has not started can be changed\./,
    );
    again.clearFinished();
    expect(again.snapshot().jobs).toEqual([]);
  });

  it('pauses all and resumes, stops after the running jobs, cancels one with its remote files', async () => {
    const queue = await h.openQueue();
    await makeVideo(src, 'd.mp4');
    const { added } = await queue.add({
      paths: [join(src, 'a.mp4'), join(src, 'b.mp4'), join(src, 'c.mp4'), join(src, 'd.mp4')],
      presetId: 'test-slow',
    });
    const [a, b, c, d] = added as [string, string, string, string];
    await waitStage(queue, a, ['submitted', 'processing']);
    queue.pauseAll();
    expect(queue.get(a)?.stage).toBe('paused');
    expect(queue.get(a)?.resumeStage).toMatch(/submitted|processing/);
    expect(queue.snapshot().paused).toBe(true);
    queue.resumeAll();
    await waitFinished(queue, [a]);
    expect(queue.get(a)?.stage).toBe('done');

    // Cancel b while its command runs: its upload and outputs are deleted on the server.
    await waitStage(queue, b, ['submitted', 'processing']);
    const fileId = queue.get(b)!.remote.fileId!;
    const commandId = queue.get(b)!.remote.commandId!;
    queue.stopAfterRunning();
    await queue.cancel(b);
    expect(queue.get(b)?.stage).toBe('cancelled');
    for (let i = 0; i < 50 && !(await h.client().getFile(fileId)).is_deleted; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await h.client().getFile(fileId)).is_deleted).toBe(true);
    // c had started (uploads run one batch ahead) and finishes; d never started and waits.
    await queue.whenIdle();
    expect(queue.get(c)?.stage).toBe('done');
    expect(queue.get(d)?.stage).toBe('queued');
    // The cancelled command's outputs go once it ends.
    for (let i = 0; i < 100; i++) {
      const cmd = await h.client().getCommand(commandId);
      if (cmd.status === 'SUCCESS' && Object.values(cmd.output_files).every((o) => o.is_deleted))
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cmd = await h.client().getCommand(commandId);
    expect(Object.values(cmd.output_files).every((o) => o.is_deleted)).toBe(true);

    queue.retry(b);
    queue.resumeAll();
    await waitFinished(queue, [b, d]);
    expect([queue.get(b)?.stage, queue.get(d)?.stage]).toEqual(['done', 'done']);
    expect(queue.get(b)?.attempts).toBe(1);
    // One command each for a, c and d, two for b (the cancelled one and the retry).
    expect(await h.commands()).toHaveLength(5);
  });

  it('cancels a job in the middle of its upload: the transfer is aborted, nothing is stored', async () => {
    const proxy = await startNetProxy(h.engine.url);
    try {
      await addSessionProfile(h.vault, 'Through a proxy', proxy.url, h.key);
      const queue = await h.openQueue();
      // The upload starts and hangs: its bytes never reach the engine.
      proxy.stall();
      const { added } = await queue.add({ paths: [join(src, 'a.mp4')], presetId: 'test-webm' });
      const id = added[0]!;
      await waitStage(queue, id, ['uploading']);
      // cancel() waits for the job's work to stop: an upload that was not aborted would hang here.
      await queue.cancel(id);
      expect(queue.get(id)?.stage).toBe('cancelled');
      await queue.whenIdle();
      proxy.flow();
      // Nothing of the aborted upload is stored, and nothing runs.
      await new Promise((r) => setTimeout(r, 500));
      expect(
        h.engine.requestLog.filter(
          (e) => e.method === 'POST' && e.path.endsWith('/files/upload') && e.status < 300,
        ),
      ).toEqual([]);
      expect(await h.commands()).toEqual([]);
      expect(queue.get(id)?.remote.fileId).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('fails a bad input with the reason, then retry succeeds once the file is fixed', async () => {
    const bad = await makeCorrupt(src, 'bad.mp4');
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths: [bad], presetId: 'test-webm' });
    const id = added[0]!;
    await waitFinished(queue, [id]);
    expect(queue.get(id)?.stage).toBe('failed');
    expect(queue.get(id)?.error).toMatchObject({ code: 'input' });
    expect(queue.get(id)?.error?.message).toMatch(
      /^bad\.mp4 could not be read\. It is not a video or audio file, or it is damaged or incomplete\. ffmpeg's reason: /,
    );
    // Clearing finished jobs keeps a failure nobody has dealt with yet.
    queue.clearFinished();
    expect(queue.get(id)?.stage).toBe('failed');
    await rm(bad);
    await makeVideo(src, 'bad.mp4');
    queue.retryAllFailed();
    await waitFinished(queue, [id]);
    expect(queue.get(id)?.stage).toBe('done');
  });
});
