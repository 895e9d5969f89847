/**
 * Jobs on this computer keep the engine fed: while one command runs, the next one is already
 * queued in the engine (the queue submits up to LOCAL_SUBMIT_AHEAD × the engine's command
 * slots), never more than that, and a job cancelled while its command waits there loses
 * nothing and leaves nothing behind. Real engine, real ffmpeg, the engine's own command list
 * read over HTTP while the batch runs.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { LOCAL_SUBMIT_AHEAD } from '../../../electron/core/queue/scheduler';
import { API_KEY_HEADER, type CommandObject, type StoredFile } from '../../../shared/renderioApi';
import { openCoreWithEngine, type CoreWithEngine } from '../../support/coreWithEngine';
import { makeVideo, tempDir } from '../../support/media';
import { SLOW_MP3, writeCustomPresets } from '../../support/queueChildRun';
import { waitFinished } from './harness';

let tmp: { path: string; cleanup(): Promise<void> } | null = null;
let opened: CoreWithEngine | null = null;

afterEach(async () => {
  await opened?.close();
  opened = null;
  await tmp?.cleanup();
  tmp = null;
});

/** GET on the engine with the core's per-launch key. */
async function engineGet<T>(path: string): Promise<T> {
  const link = opened!.core.localEngine()!;
  const res = await fetch(`${link.url}/api/v1${path}`, {
    headers: { [API_KEY_HEADER]: link.key },
  });
  return (await res.json()) as T;
}

describe('local jobs are submitted ahead', () => {
  it('the engine has the next command queued while one runs, within the bound; a cancel of a waiting one is clean', async () => {
    tmp = await tempDir('submit-ahead-');
    const dataDir = join(tmp.path, 'data');
    await writeCustomPresets(dataDir, [SLOW_MP3]);
    const src = join(tmp.path, 'src');
    await mkdir(src);
    const clips: string[] = [];
    // `-re` makes each command last about as long as its clip, so the samples below see it.
    for (const name of ['a', 'b', 'c', 'd'])
      clips.push(await makeVideo(src, `${name}.mp4`, { seconds: 2 }));

    opened = await openCoreWithEngine({
      dataDir,
      cipher: null,
      fetch: undiciFetch,
      env: {},
      activateLocalEngine: true,
      engineOptions: { concurrency: 1 },
      // The cloud's remote limit at 1: were it applied to local jobs, nothing would wait in the engine.
      settingsOverrides: {
        concurrency: { uploads: 2, remote: 1, downloads: 2 },
        cleanupRemote: true,
      },
    });
    const { core } = opened;
    expect(core.localEngine()?.commandSlots).toBe(1);
    const bound = LOCAL_SUBMIT_AHEAD * 1;

    const { added } = await core.queue.add({
      paths: clips,
      presetId: SLOW_MP3.id,
      outputDir: join(tmp.path, 'out'),
      collision: 'rename',
      mirrorTree: false,
    });
    expect(added).toHaveLength(4);

    // Sample the engine's commands while the batch runs.
    /** The engine's commands at each sample, the cancelled job's left out once it is cancelled. */
    const samples: { processing: number; queued: number }[] = [];
    let cancelled: { jobId: string; commandId: string } | null = null;
    const finished = waitFinished(core.queue, added, 90_000);
    let done = false;
    void finished.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      const { commands } = await engineGet<{ commands: CommandObject[] }>('/commands?limit=100');
      // A cancelled job's command stays in the engine until it has run (no API withdraws
      // one): the bound is on the commands of the jobs still running.
      const live = commands.filter((c) => c.command_id !== cancelled?.commandId);
      const processing = live.filter((c) => c.status === 'PROCESSING');
      const queued = live.filter((c) => c.status === 'QUEUED');
      samples.push({ processing: processing.length, queued: queued.length });
      if (!cancelled && processing.length === 1 && queued.length === 1) {
        // The waiting command's job is cancelled: it must not hold the batch up nor leave files.
        const commandId = queued[0]!.command_id;
        const jobId = added.find((id) => core.queue.get(id)?.remote.commandId === commandId);
        if (jobId) {
          cancelled = { jobId, commandId };
          await core.queue.cancel(jobId);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await finished;

    // While one ran, the next already waited in the engine...
    expect(samples.some((s) => s.processing === 1 && s.queued >= 1)).toBe(true);
    // ...and never more than the bound (a command whose ffmpeg has exited stays PROCESSING
    // while its outputs are moved and probed, with the next one already running: both count).
    expect(Math.max(...samples.map((s) => s.processing + s.queued))).toBeLessThanOrEqual(bound);

    expect(cancelled).not.toBeNull();
    const stages = added.map((id) => core.queue.stageOf(id));
    expect(stages.filter((s) => s === 'done')).toHaveLength(3);
    expect(core.queue.stageOf(cancelled!.jobId)).toBe('cancelled');
    expect(core.queue.get(cancelled!.jobId)!.outputPaths).toEqual([]);

    // The cancelled job's command still ran (no API withdraws one); its outputs and its
    // upload are deleted by the clean-up once it ends.
    const deadline = Date.now() + 30_000;
    let leftover: StoredFile[];
    for (;;) {
      const command = await engineGet<CommandObject>(`/commands/${cancelled!.commandId}`);
      const { files } = await engineGet<{ files: StoredFile[] }>('/files?limit=100');
      const outputIds = new Set(Object.values(command.output_files ?? {}).map((o) => o.file_id));
      leftover = files.filter((f) => outputIds.has(f.file_id));
      const settled = command.status === 'SUCCESS' || command.status === 'FAILED';
      if (settled && leftover.length === 0) break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(leftover).toEqual([]);
  }, 120_000);
});
