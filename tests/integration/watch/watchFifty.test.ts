/**
 * The real core (queue, presets, local engine) watching a real folder: 50 files dropped, some
 * still being written while the watch scans, give exactly 50 jobs; a restart of the core on
 * the same data folder queues none of them again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyFile, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { openCoreWithEngine, type CoreWithEngine } from '../../support/coreWithEngine';
import { makeVideo, tempDir } from '../../support/media';

const STABLE_MS = 600;
let tmp: { path: string; cleanup(): Promise<void> };
let clip: Buffer;

async function openCore(dataDir: string): Promise<CoreWithEngine> {
  return openCoreWithEngine({
    dataDir,
    fetch: undiciFetch,
    cipher: null,
    env: {},
    activateLocalEngine: true,
    // Jobs stay queued: this test counts what the watch queued, not conversions.
    autoStart: false,
    watch: { pollMs: 150, stableMs: STABLE_MS },
  });
}

beforeAll(async () => {
  tmp = await tempDir('watch-fifty-');
  clip = await readFile(await makeVideo(tmp.path, 'clip.mp4', { seconds: 1 }));
});
afterAll(async () => {
  await tmp.cleanup();
});

it('50 files, some still being written, make exactly 50 jobs, and none again after a restart', async () => {
  const inbox = join(tmp.path, 'inbox');
  const out = join(tmp.path, 'out');
  const dataDir = join(tmp.path, 'data');
  await mkdir(inbox);
  let app = await openCore(dataDir);
  await app.core.watches.add({ folder: inbox, presetId: 'webm-vp9', outputDir: out });

  // 40 files arrive whole; 10 are written in pieces over ~3 stability waits.
  for (let i = 0; i < 40; i++)
    await copyFile(
      join(tmp.path, 'clip.mp4'),
      join(inbox, `whole-${String(i).padStart(2, '0')}.mp4`),
    );
  const slow = await Promise.all(
    Array.from({ length: 10 }, (_, i) => open(join(inbox, `slow-${i}.mp4`), 'w')),
  );
  const piece = Math.ceil(clip.length / 6);
  for (let p = 0; p < 6; p++) {
    for (const handle of slow) await handle.write(clip.subarray(p * piece, (p + 1) * piece));
    await new Promise((r) => setTimeout(r, STABLE_MS / 2));
    // While they grow, none of the slow files is queued.
    const queued = app.core.queue.snapshot().jobs.map((j) => j.sourceName);
    expect(queued.filter((n) => n.startsWith('slow-'))).toEqual([]);
  }
  for (const handle of slow) await handle.close();

  await expect
    .poll(() => app.core.queue.snapshot().jobs.length, { timeout: 20_000, interval: 200 })
    .toBe(50);
  // A few more scans: still 50, and each file once.
  await new Promise((r) => setTimeout(r, STABLE_MS * 2));
  let jobs = app.core.queue.snapshot().jobs;
  expect(jobs).toHaveLength(50);
  expect(new Set(jobs.map((j) => j.sourcePath)).size).toBe(50);
  expect(
    jobs.every(
      (j) =>
        j.stage === 'queued' && j.settings.presetId === 'webm-vp9' && j.settings.outputDir === out,
    ),
  ).toBe(true);
  expect(app.core.watches.list()[0]).toMatchObject({ queuedCount: 50, waitingCount: 0 });
  // The slow files were queued whole: the size each job recorded is the clip's.
  for (const j of jobs.filter((j) => j.sourceName.startsWith('slow-')))
    expect(j.sourceSize).toBe(clip.length);

  await app.close();
  app = await openCore(dataDir);
  try {
    expect(app.core.watches.list()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, STABLE_MS * 3));
    jobs = app.core.queue.snapshot().jobs;
    expect(jobs).toHaveLength(50);
  } finally {
    await app.close();
  }
});
