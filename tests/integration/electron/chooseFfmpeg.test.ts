/**
 * "Choose ffmpeg…" as the app wires it (electron/main/wiring.ts, adapters/dialogs.ts): the BUILT
 * main under the Electron double opens its own file dialog, the core checks the file, and the
 * supervisor starts the engine's utilityProcess again with the chosen ffmpeg, which then runs
 * the jobs. A refused file starts nothing. An app started with a choice already saved starts
 * its engine with it from the first start (before the core has opened the settings).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from '../../../shared/jobs';
import {
  builtBundlesExist,
  startBuiltApp,
  type RunningBuiltApp,
} from '../../support/electron/builtApp';
import { loggedRuns, writeWrapper } from '../../support/fakeFfmpeg';
import { codecOf, makeVideo, probe, tempDir } from '../../support/media';

const built = builtBundlesExist();
it.skipIf(built)('needs the built bundles (run "npm run build" first)', () => {
  expect.fail('dist/ is missing: run "npm run build" first.');
});

async function finished(app: RunningBuiltApp, id: string): Promise<Job> {
  for (let i = 0; i < 1200; i++) {
    const job = (await app.api.queue.snapshot()).jobs.find((j) => j.id === id);
    if (job && ['done', 'failed', 'cancelled'].includes(job.stage)) return job;
    await sleep(100);
  }
  throw new Error(`job ${id} did not finish`);
}

describe.runIf(built && process.platform === 'linux')('choosing ffmpeg in the built app', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: RunningBuiltApp;
  let clip: string;
  let chosen: string;
  const log = () => join(dir.path, 'chosen-runs.log');

  beforeAll(async () => {
    dir = await tempDir('renderio-choose-ffmpeg-app-');
    clip = await makeVideo(dir.path, 'clip.mp4', { seconds: 1 });
    // A wrapper of the real ffmpeg that logs each run, under a folder with spaces and "ü".
    const folder = join(dir.path, 'my ffmpeg ü');
    chosen = await writeWrapper(folder, 'ffmpeg', { log: log() });
    await writeWrapper(folder, 'ffprobe');
    app = await startBuiltApp({ dir: join(dir.path, 'first'), double: { platform: 'linux' } });
  });
  let quit = false;
  afterAll(async () => {
    if (!quit) await app?.quit();
    await dir?.cleanup();
  });

  it('starts with the ffmpeg found automatically', async () => {
    expect((await app.api.engine.status()).summary).toMatch(/^ffmpeg 5\.\d+ \(PATH\)$/);
    expect((await app.api.appSettings.get()).chosenFfmpeg).toBeNull();
  });

  it('a refused file starts no new engine', async () => {
    app.double.control.openDialogAnswers.push({ canceled: false, filePaths: ['/bin/ls'] });
    const result = await app.api.engine.chooseFfmpeg();
    expect(result).toEqual({
      outcome: 'refused',
      message: '/bin/ls is not ffmpeg: it does not answer as ffmpeg does.',
    });
    expect(app.double.control.utilityProcesses).toHaveLength(1);
    expect(app.double.control.openDialogCalls.at(-1)).toMatchObject({
      title: 'Choose ffmpeg',
      properties: expect.arrayContaining(['openFile']),
    });
  });

  it('a good file restarts the engine with it, and the jobs run on it', async () => {
    app.double.control.openDialogAnswers.push({ canceled: false, filePaths: [chosen] });
    const result = await app.api.engine.chooseFfmpeg();
    expect(result).toMatchObject({
      outcome: 'applied',
      chosenFfmpeg: chosen,
      status: { state: 'ready', summary: expect.stringMatching(/\(chosen\)$/), problem: null },
    });
    const children = app.double.control.utilityProcesses;
    expect(children).toHaveLength(2);
    expect(children.filter((c) => c.alive)).toHaveLength(1);
    expect((await app.api.appSettings.get()).chosenFfmpeg).toBe(chosen);

    const runsBefore = (await loggedRuns(log())).length;
    const { added } = await app.api.queue.add({ paths: [clip], presetId: 'webm-vp9' });
    const job = await finished(app, added[0]!);
    expect(job.stage, job.error?.message).toBe('done');
    expect(codecOf(await probe(job.outputPaths[0]!), 'video')).toBe('vp9');
    // The conversion itself went through the chosen ffmpeg.
    const runs = (await loggedRuns(log())).slice(runsBefore);
    expect(runs.some((r) => r.includes('clip') && r.includes('libvpx-vp9'))).toBe(true);
    // A restart, a check and a VP9 encode: under a busy machine's load, well over a minute.
  }, 180_000);

  it('"Use automatic" restarts the engine with the one found on PATH', async () => {
    const result = await app.api.engine.useAutomaticFfmpeg();
    expect(result).toMatchObject({
      outcome: 'applied',
      chosenFfmpeg: null,
      status: { summary: expect.stringMatching(/\(PATH\)$/) },
    });
    expect(app.double.control.utilityProcesses).toHaveLength(3);
  });

  it('an app started with a saved choice starts its engine with it', async () => {
    await app.quit();
    quit = true;
    const second = join(dir.path, 'second');
    await mkdir(join(second, 'userData'), { recursive: true });
    await writeFile(
      join(second, 'userData', 'settings.json'),
      JSON.stringify({ version: 1, chosenFfmpeg: chosen }),
    );
    const again = await startBuiltApp({ dir: second, double: { platform: 'linux' } });
    try {
      expect(again.double.control.utilityProcesses).toHaveLength(1);
      expect((await again.api.engine.status()).summary).toMatch(/^ffmpeg 5\.\d+ \(chosen\)$/);
    } finally {
      await again.quit();
    }
  });
});
