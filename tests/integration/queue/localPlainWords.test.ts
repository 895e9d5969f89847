/**
 * Jobs on this computer fail in plain words (issue #11): never "RenderIO", no loopback
 * address, no errno code, no upload tag; a source that is gone asks for "Locate…" (and Retry all
 * leaves it alone); no job starts where ffmpeg is missing or lacks the preset's encoder. Real
 * engine on 127.0.0.1, real ffmpeg, real files.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../../electron/core/appCore';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { FINISHED_STAGES, SOURCE_GONE, type Job } from '../../../shared/jobs';
import { openCoreWithEngine, type CoreWithEngine } from '../../support/coreWithEngine';
import { writeWrapper } from '../../support/fakeFfmpeg';
import { makeCorrupt, makeVideo, tempDir } from '../../support/media';

/** What a person must never read in a job's message on this computer. */
const NOT_PLAIN = [
  /RenderIO(?! Desktop)/,
  /127\.0\.0\.1|localhost/,
  /\bE[A-Z]{3,}\b/, // ENOENT, EACCES, EEXIST, ECONNREFUSED ...
  /~rdj-/,
];

function expectPlain(message: string | undefined): void {
  expect(message).toBeTruthy();
  for (const pattern of NOT_PLAIN) expect(message).not.toMatch(pattern);
}

let tmp: { path: string; cleanup(): Promise<void> };
let clip: string;
let opened: CoreWithEngine[] = [];

beforeAll(async () => {
  tmp = await tempDir('local-words-');
  clip = await makeVideo(tmp.path, 'clip.mp4', { seconds: 1, width: 160, height: 120 });
});
afterAll(() => tmp.cleanup());
afterEach(async () => {
  for (const c of opened) await c.close();
  opened = [];
});

let n = 0;
async function open(
  engineOptions: Parameters<typeof openCoreWithEngine>[0]['engineOptions'] = {},
  checkpoint?: Parameters<typeof openCoreWithEngine>[0]['checkpoint'],
): Promise<CoreWithEngine & { dir: string }> {
  const dir = join(tmp.path, `run-${++n}`);
  await mkdir(dir, { recursive: true });
  const opened1 = await openCoreWithEngine({
    dataDir: dir,
    cipher: null,
    fetch: undiciFetch,
    env: {},
    activateLocalEngine: true,
    engineOptions,
    throttleMs: 20,
    ...(checkpoint ? { checkpoint } : {}),
  });
  opened.push(opened1);
  return { ...opened1, dir };
}

async function add(core: AppCore, path: string, outputDir: string, presetId = 'mp4-h264') {
  return core.queue.add({ paths: [path], presetId, outputDir, collision: 'overwrite' });
}

/** Resolves when the job is finished, or is waiting to retry a failure that may heal. */
function settle(core: AppCore, id: string, timeoutMs = 30_000): Promise<Job> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`job still ${core.queue.get(id)?.stage} after ${timeoutMs} ms`));
    }, timeoutMs);
    const check = (): void => {
      const job = core.queue.get(id);
      if (job && (FINISHED_STAGES.includes(job.stage) || job.retry)) {
        clearTimeout(timer);
        stop();
        resolve(structuredClone(job));
      }
    };
    const stop = core.queue.subscribe(check);
    check();
  });
}

describe('a job on this computer fails in plain words', () => {
  it('a file that is not media names the file, not the uploaded copy', async () => {
    const { core, dir } = await open();
    const bad = await makeCorrupt(dir, 'holiday.mp4');
    const { added } = await add(core, bad, join(dir, 'out'));
    const job = await settle(core, added[0]!);
    expect(job.stage).toBe('failed');
    expect(job.error?.message).toMatch(/^holiday\.mp4 could not be read\. /);
    expectPlain(job.error?.message);
  });

  it('a source removed before its upload is "gone": Locate… runs it again from the new place', async () => {
    const { core, dir } = await open();
    // Added while there, gone by the time it runs: pause, add, move it, resume.
    const source = await makeVideo(dir, 'moving.mp4', { seconds: 1, width: 160, height: 120 });
    core.queue.pauseAll();
    const { added } = await add(core, source, join(dir, 'out'));
    const moved = join(dir, 'elsewhere.mp4');
    await rename(source, moved);
    core.queue.resumeAll();
    const failed = await settle(core, added[0]!);
    expect(failed.stage).toBe('failed');
    expect(failed.error).toMatchObject({ code: SOURCE_GONE, retryable: false });
    expect(failed.error?.message).toBe(
      `moving.mp4 is no longer in ${dir}: it was moved, renamed or deleted.`,
    );
    expectPlain(failed.error?.message);

    // "Retry all" would fail it the same way: it is left for Locate… or Remove.
    core.queue.retryAllFailed();
    expect(core.queue.get(added[0]!)?.stage).toBe('failed');

    expect(await core.queue.locateSource(added[0]!, join(dir, 'nothing-here.mp4'))).toEqual({
      located: false,
      reason: 'nothing-here.mp4 is not a file.',
    });
    expect(await core.queue.locateSource(added[0]!, moved)).toEqual({
      located: true,
      path: moved,
    });
    const done = await settle(core, added[0]!);
    expect(done.stage).toBe('done');
    expect(done.sourcePath).toBe(moved);
    expect(done.outputPaths).toEqual([join(dir, 'out', 'elsewhere-mp4.mp4')]);
  });

  it('an output folder that cannot be made says why, and keeps the conversion for a retry', async () => {
    // Blocked once the job has started: a folder that cannot be made before it fails at once
    // (tests/integration/queue/startChecks.test.ts); one that goes bad during the run is found
    // when the output is written.
    let blocked = '';
    const { core, dir } = await open({}, async (name) => {
      if (name === 'uploaded') await writeFile(blocked, 'a file where the folder should be');
    });
    blocked = join(dir, 'out');
    const { added } = await add(core, clip, blocked);
    const job = await settle(core, added[0]!);
    expect(job.stage).toBe('failed');
    expect(job.error).toMatchObject({ code: 'output-folder', retryable: true });
    expect(job.error?.message).toBe(
      `The output folder ${blocked} cannot be made: a file of that name is in the way. Retry once it can be made.`,
    );
    expectPlain(job.error?.message);
    // Only the download is left: the retry does not convert again.
    await rm(blocked);
    const commands = job.remote.commandId;
    core.queue.retry(added[0]!);
    const done = await settle(core, added[0]!);
    expect(done.stage).toBe('done');
    expect(done.remote.commandId).toBe(commands);
  });

  it('an engine that stops answering is "this computer\'s converter", retried', async () => {
    const { core, engine, dir } = await open();
    await engine.close();
    const { added } = await add(core, clip, join(dir, 'out'));
    const job = await settle(core, added[0]!);
    expect(job.retry?.message).toBe(
      "This computer's converter is not answering: the connection was refused",
    );
    expectPlain(job.retry?.message);
    expect(core.queue.snapshot().offline).toMatchObject({ local: true });
  });
});

describe('no job starts on a computer that cannot run it', () => {
  it('without ffmpeg, adding is refused with what to do', async () => {
    const { core, dir } = await open({ ffmpegPath: join(tmp.path, 'no', 'ffmpeg') });
    const result = await add(core, clip, join(dir, 'out'));
    expect(result.added).toEqual([]);
    expect(result.rejected[0]?.reason).toMatch(
      /^This computer cannot convert: The ffmpeg you chose was not found at .*\. Choose ffmpeg in Settings, or run the jobs on RenderIO instead\.$/,
    );
  });

  it("an ffmpeg without the preset's encoder refuses that preset only", async () => {
    const tools = join(tmp.path, 'no-vp9');
    await writeWrapper(tools, 'ffmpeg', { withoutEncoders: ['libvpx-vp9'] });
    await writeWrapper(tools, 'ffprobe');
    const { core, dir } = await open({ ffmpegPath: join(tools, 'ffmpeg') });
    const refused = await add(core, clip, join(dir, 'out'), 'webm-vp9');
    expect(refused.added).toEqual([]);
    expect(refused.rejected[0]?.reason).toMatch(
      /^".*" cannot run on this computer: this ffmpeg has no .*VP9.* encoder.*\. It runs on RenderIO\.$/,
    );
    const accepted = await add(core, clip, join(dir, 'out'), 'mp4-h264');
    expect(accepted.added).toHaveLength(1);
    expect(core.localEngineStatus().unavailablePresets['webm-vp9']).toBeTruthy();
  });
});
