/**
 * The local engine as the app runs it: in a utilityProcess (a real child process under the
 * Electron double), its key handed over the parent port and never in its argv or environment;
 * restarted after a crash with the jobs carrying on; given up on after repeated crashes, and
 * started again by "Start converter again" (engine:restart) with a fresh count of crashes;
 * stopped with the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from '../../../shared/jobs';
import {
  builtBundlesExist,
  startBuiltApp,
  type RunningBuiltApp,
} from '../../support/electron/builtApp';
import { codecOf, makeVideo, probe, tempDir } from '../../support/media';

const built = builtBundlesExist();
it.skipIf(built)('needs the built bundles (run "npm run build" first)', () => {
  expect.fail('dist/ is missing: run "npm run build" first.');
});

async function until<T>(
  read: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe.runIf(built && process.platform === 'linux')(
  'the local engine in a utility process',
  () => {
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let app: RunningBuiltApp;
    let clip: string;

    beforeAll(async () => {
      dir = await tempDir('renderio-engine-process-');
      clip = await makeVideo(dir.path, 'engine clip.mp4', { seconds: 1 });
      app = await startBuiltApp({ dir: dir.path, double: { platform: 'linux' } });
    });
    afterAll(async () => {
      await app?.quit();
      await dir?.cleanup();
    });

    it('runs in its own process, which never sees the key in argv or its environment', async () => {
      const children = app.double.control.utilityProcesses;
      expect(children).toHaveLength(1);
      const pid = children[0]!.pid!;
      expect(pid).not.toBe(process.pid);
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
      expect(cmdline).toMatch(/engineProcess\.mjs/);
      expect(cmdline).not.toMatch(/ffsk_/);
      expect(environ).not.toMatch(/ffsk_/);
      const local = (await app.api.vault.status()).profiles.find((p) => p.kind === 'local');
      expect(local?.active).toBe(true);
    });

    it('a crash of the engine is followed by a new one at a new address, and jobs carry on', async () => {
      const before = (await app.api.vault.status()).profiles.find((p) => p.kind === 'local')!;
      app.double.control.utilityProcesses[0]!.crashForTest();
      await until(
        () =>
          app.double.control.utilityProcesses.length === 2 &&
          app.double.control.utilityProcesses.filter((c) => c.alive).length === 1,
      );
      const moved = await (async () => {
        for (let i = 0; i < 400; i++) {
          const local = (await app.api.vault.status()).profiles.find((p) => p.kind === 'local')!;
          if (local.baseUrl !== before.baseUrl) return local;
          await sleep(50);
        }
        throw new Error('the local profile never moved to the new engine');
      })();
      expect(moved.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const { added } = await app.api.queue.add({ paths: [clip], presetId: 'webm-vp9' });
      let job: Job | undefined;
      for (let i = 0; i < 1200; i++) {
        job = (await app.api.queue.snapshot()).jobs.find((j) => j.id === added[0]);
        if (job && ['done', 'failed'].includes(job.stage)) break;
        await sleep(100);
      }
      expect(job?.stage, job?.error?.message).toBe('done');
      expect(codecOf(await probe(job!.outputPaths[0]!), 'video')).toBe('vp9');
    });

    it('given up on after repeated crashes, engine:restart starts it again with a fresh count', async () => {
      const children = app.double.control.utilityProcesses;
      const alive = () => children.filter((c) => c.alive);
      // Crash whichever runs until the supervisor gives up (the crash above may still count).
      for (let i = 0; i < 5 && (await app.api.engine.status()).state !== 'failed'; i++) {
        const count = children.length;
        alive()[0]!.crashForTest();
        await until(async () => {
          const state = (await app.api.engine.status()).state;
          return state === 'failed' || (state === 'ready' && children.length > count);
        });
      }
      const gaveUp = await app.api.engine.status();
      expect(gaveUp).toMatchObject({
        state: 'failed',
        problem: expect.stringMatching(/stopped 4 times in a minute/),
      });
      await until(() => alive().length === 0, 10_000);

      const before = children.length;
      const result = await app.api.engine.restart();
      expect(result).toMatchObject({
        outcome: 'started',
        status: { state: 'ready', problem: null },
      });
      expect(children).toHaveLength(before + 1);
      expect(alive()).toHaveLength(1);
      // Running: a second press starts nothing.
      expect(await app.api.engine.restart()).toMatchObject({ outcome: 'unchanged' });
      expect(children).toHaveLength(before + 1);

      // A fresh count: the next crash within the minute is restarted, not a fifth.
      alive()[0]!.crashForTest();
      await until(async () => children.length === before + 2 && alive().length === 1);
      await until(async () => (await app.api.engine.status()).state === 'ready');
    }, 120_000);

    it('quitting the app stops the engine process', async () => {
      await app.quit();
      await until(() => app.double.control.utilityProcesses.every((c) => !c.alive), 10_000);
      expect(app.double.control.app.end.ended).toEqual({ by: 'quit', code: 0 });
    });
  },
);
