import { afterEach, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeVideo } from '../../support/media';
import { addSessionProfile, startHarness, waitFinished, waitStage, type Harness } from './harness';
import { startNetProxy } from './netProxy';
import { queueClientOf } from '../../../electron/core/queue/clientAdapter';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function clips(dir: string, n: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < n; i++) paths.push(await makeVideo(dir, `clip${i}.mp4`, { seconds: 1 }));
  return paths;
}

describe('queue under faults (real engine fault injection)', () => {
  it('reconciles submits whose answers were lost, without a duplicate command', async () => {
    h = await startHarness({
      faults: { seed: 1, rules: [{ route: 'POST /api/v1/run-ffmpeg-command', resetMidBody: 1 }] },
    });
    const paths = await clips(join(h.dir, 'src'), 2);
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths, presetId: 'test-mp3' });
    await waitFinished(queue, added);
    for (const id of added)
      expect(queue.get(id)?.stage, queue.get(id)?.error?.message).toBe('done');
    // Every submit answer was cut; the engine still ran exactly one command per job.
    expect(
      h.engine.requestLog.filter(
        (e) => e.method === 'POST' && e.path.endsWith('/run-ffmpeg-command'),
      ),
    ).toHaveLength(2);
    expect(await h.commands()).toHaveLength(2);
    expect(
      h.engine.requestLog.some((e) => e.method === 'GET' && e.path === '/api/v1/commands'),
    ).toBe(true);
  });

  it('survives a 429 storm, 500/502 answers and cut downloads', async () => {
    h = await startHarness({
      faults: {
        seed: 42,
        rules: [
          { route: 'GET /storage/*', truncateDownload: 0.4, error500: 0.2 },
          {
            route: '* /api/v1/*',
            error500: 0.12,
            error502: 0.08,
            rateLimitStorm: { probability: 0.08, length: 4, retryAfterSeconds: 1 },
          },
        ],
      },
    });
    const paths = await clips(join(h.dir, 'src'), 4);
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths, presetId: 'test-mp3' });
    await waitFinished(queue, added, 90_000);
    for (const id of added)
      expect(queue.get(id)?.stage, queue.get(id)?.error?.message).toBe('done');
    const log = h.engine.requestLog;
    expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(log.filter((e) => e.status >= 500).length).toBeGreaterThan(0);
    h.engine.setFaults(undefined);
    expect(await h.commands()).toHaveLength(4);
  });

  it('moves a profile to waiting-for-key on 401 with no more calls, and resumes when a new key is set', async () => {
    h = await startHarness();
    const profile = await h.vault.addProfile({
      name: 'Engine as cloud',
      baseUrl: h.engine.url,
      activate: true,
    });
    const key1 = await h.engine.createKey();
    expect((await h.vault.set(key1, { profileId: profile.profileId, sessionOnly: true })).ok).toBe(
      true,
    );
    const paths = await clips(join(h.dir, 'src'), 3);
    const queue = await h.openQueue();
    await h.engine.revokeKey(key1);
    const { added } = await queue.add({ paths, presetId: 'test-mp3' });
    for (const id of added) await waitStage(queue, id, ['waiting-for-key']);
    expect(queue.get(added[0]!)?.settings.profileId).toBe(profile.profileId);
    const refusedCalls = (): number => h!.engine.requestLog.filter((e) => e.status === 401).length;
    const before = refusedCalls();
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThanOrEqual(h.settings.concurrency.uploads);
    await new Promise((r) => setTimeout(r, 1500));
    expect(refusedCalls()).toBe(before);
    expect((await h.vault.profileStatus(profile.profileId))?.verified).toBe(false);

    const key2 = await h.engine.createKey();
    expect((await h.vault.set(key2, { profileId: profile.profileId, sessionOnly: true })).ok).toBe(
      true,
    );
    queue.keyChanged(profile.profileId);
    await waitFinished(queue, added);
    for (const id of added) expect(queue.get(id)?.stage).toBe('done');
    expect(await h.commands()).toHaveLength(3);
  });

  it('backs off while the network is down and resumes by itself', async () => {
    h = await startHarness();
    const proxy = await startNetProxy(h.engine.url);
    try {
      const profile = await addSessionProfile(h.vault, 'Through a proxy', proxy.url, h.key);
      const paths = await clips(join(h.dir, 'src'), 2);
      const queue = await h.openQueue();
      const { added } = await queue.add({ paths, presetId: 'test-slow' });
      await waitStage(queue, added[0]!, ['submitted', 'processing']);
      await proxy.down();
      await new Promise((r) => setTimeout(r, 2500));
      for (const id of added) expect(queue.get(id)?.stage).not.toBe('failed');
      await proxy.up();
      await waitFinished(queue, added, 60_000);
      for (const id of added)
        expect(queue.get(id)?.stage, queue.get(id)?.error?.message).toBe('done');
      const direct = queueClientOf(h.vault.clientFor(profile.profileId));
      expect((await direct.listCommands({ limit: 100 })).commands).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});
