import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { readFileSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../../support/media';
import {
  addSessionProfile,
  LOCAL_PROFILE_ID,
  startHarness,
  waitFinished,
  waitStage,
  type Harness,
} from './harness';
import { startNetProxy } from '../../support/netProxy';
import { writeWrapper } from '../../support/fakeFfmpeg';
import { queueClientOf } from '../../../electron/core/queue/clientAdapter';

const TLS = join(import.meta.dirname, '../../fixtures/tls');
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

  it('finds an upload whose answer was lost and uses it: one upload per file, none left behind', async () => {
    h = await startHarness({
      faults: { seed: 3, rules: [{ route: 'POST /api/v1/files/upload', resetMidBody: 1 }] },
    });
    const paths = await clips(join(h.dir, 'src'), 2);
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths, presetId: 'test-mp3' });
    await waitFinished(queue, added);
    for (const id of added)
      expect(queue.get(id)?.stage, queue.get(id)?.error?.message).toBe('done');
    // Every upload's answer was cut; each file still went up once, and was found by its tag.
    const uploads = h.engine.requestLog.filter(
      (e) => e.method === 'POST' && e.path.endsWith('/files/upload'),
    );
    expect(uploads).toHaveLength(2);
    h.engine.setFaults(undefined);
    await queue.cleanup.settle();
    const direct = h.client();
    const { files } = await direct.listFiles({ limit: 100 });
    expect(files.filter((f) => f.rendi_store_type === 'UPLOAD')).toEqual([]);
  });

  it('waits for an upload still being probed when its answer was lost, and uses it', async () => {
    // The server names an upload (and so its tag) only once it is STORED: while it is probed
    // its storage_url is null. A retry that looked then found nothing and sent the file again.
    const tools = await tempDir('slow-probe-');
    const slowProbe = await writeWrapper(tools.path, 'ffprobe', { delaySeconds: 3 });
    onTestFinished(() => tools.cleanup());
    h = await startHarness({
      ffprobePath: slowProbe,
      faults: { seed: 3, rules: [{ route: 'POST /api/v1/files/upload', resetMidBody: 1 }] },
    });
    const paths = await clips(join(h.dir, 'src'), 1);
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths, presetId: 'test-mp3' });
    await waitFinished(queue, added);
    expect(queue.get(added[0]!)?.stage, queue.get(added[0]!)?.error?.message).toBe('done');
    const uploads = h.engine.requestLog.filter(
      (e) => e.method === 'POST' && e.path.endsWith('/files/upload'),
    );
    expect(uploads).toHaveLength(1);
    h.engine.setFaults(undefined);
    await queue.cleanup.settle();
    const { files } = await h.client().listFiles({ limit: 100 });
    expect(files.filter((f) => f.rendi_store_type === 'UPLOAD')).toEqual([]);
  }, 60_000);

  it('does a clean-up that succeeds at once without ever writing it down', async () => {
    h = await startHarness();
    const paths = await clips(join(h.dir, 'src'), 2);
    // Room for the deletions on a machine busy with other tests (250 ms by default).
    const queue = await h.openQueue({ cleanupTryMs: 30_000 });
    const { added } = await queue.add({ paths, presetId: 'test-mp3' });
    await waitFinished(queue, added);
    await queue.cleanup.settle();
    expect(queue.cleanup.pending()).toEqual([]);
    for (const id of added) {
      const { fileId } = queue.get(id)!.remote;
      expect((await h.client().getFile(fileId!)).is_deleted).toBe(true);
    }
    // The list gained each deletion and lost it before it was due on disk: never written.
    await expect(access(join(h.dir, 'state', 'remote-cleanup.json'))).rejects.toThrow(/ENOENT/);
    await queue.close();
  });

  it('does not write down a deletion added while another one runs, when both succeed', async () => {
    // Every deletion takes 300 ms: the second is added while the first is in flight, and the
    // first's pass ends (and saves the list) while the second is still in its first try. Two
    // jobs finishing together did this, and the list was written with the second in it.
    h = await startHarness({
      faults: {
        seed: 5,
        rules: [{ route: 'DELETE /api/v1/files/*', slow: { probability: 1, delayMs: 300 } }],
      },
    });
    const [a, b] = await clips(join(h.dir, 'src'), 2);
    const ids = [
      (await h.client().uploadFile(a!, { signal: new AbortController().signal })).file_id,
      (await h.client().uploadFile(b!, { signal: new AbortController().signal })).file_id,
    ];
    const queue = await h.openQueue({ cleanupTryMs: 30_000 });
    const first = queue.cleanup.enqueue({
      profileId: LOCAL_PROFILE_ID,
      fileId: ids[0],
      reason: 'a',
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = queue.cleanup.enqueue({
      profileId: LOCAL_PROFILE_ID,
      fileId: ids[1],
      reason: 'b',
    });
    await Promise.all([first, second]);
    expect(queue.cleanup.pending()).toEqual([]);
    for (const id of ids) expect((await h.client().getFile(id!)).is_deleted).toBe(true);
    await expect(access(join(h.dir, 'state', 'remote-cleanup.json'))).rejects.toThrow(/ENOENT/);
    await queue.close();
  });

  it('keeps a remote clean-up that failed and does it later, across a restart', async () => {
    h = await startHarness({
      faults: { seed: 4, rules: [{ route: 'DELETE /api/v1/*', error500: 1 }] },
    });
    const paths = await clips(join(h.dir, 'src'), 1);
    const first = await h.openQueue();
    const { added } = await first.add({ paths, presetId: 'test-mp3' });
    await waitFinished(first, added);
    expect(first.get(added[0]!)?.stage).toBe('done');
    await first.cleanup.settle();
    expect(first.cleanup.pending()).toHaveLength(1);
    const { fileId } = first.get(added[0]!)!.remote;
    expect((await h.client().getFile(fileId!)).is_deleted).toBe(false);
    await first.close();

    // The server takes deletions again; the next session does what is left.
    h.engine.setFaults(undefined);
    const second = await h.openQueue();
    for (let i = 0; i < 100 && second.cleanup.pending().length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    await second.cleanup.settle();
    expect(second.cleanup.pending()).toEqual([]);
    expect((await h.client().getFile(fileId!)).is_deleted).toBe(true);
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

  it('"Retry now" asks again for jobs held by a refused key; still refused, they are held again', async () => {
    h = await startHarness();
    const key = await h.engine.createKey();
    await addSessionProfile(h.vault, 'Engine as cloud', h.engine.url, key);
    const paths = await clips(join(h.dir, 'src'), 2);
    const queue = await h.openQueue();
    await h.engine.revokeKey(key);
    const { added } = await queue.add({ paths, presetId: 'test-mp3' });
    for (const id of added) await waitStage(queue, id, ['waiting-for-key']);
    const refusedCalls = (): number => h!.engine.requestLog.filter((e) => e.status === 401).length;
    const before = refusedCalls();
    queue.retryNow();
    await expect.poll(refusedCalls, { timeout: 20_000 }).toBeGreaterThan(before);
    for (const id of added) await waitStage(queue, id, ['waiting-for-key']);
    for (const id of added) expect(queue.get(id)?.remote.commandId ?? null).toBeNull();
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
      // The queue says it cannot reach the API and when it tries again: never a silent wait.
      const offline = await pollFor(() => queue.snapshot().offline, 15_000);
      // A request in flight when the network went is cut off; the ones after it are refused:
      // which one the banner shows first depends on whether a poll was under way (CI saw both).
      expect([
        `Could not reach ${proxy.url}: the connection was refused`,
        `Could not reach ${proxy.url}: the connection was cut off`,
      ]).toContain(offline.message);
      expect(offline.local).toBe(false);
      expect(offline.nextRetryAt).toBeGreaterThan(offline.since);
      const waiting = queue.snapshot().jobs.filter((j) => j.retry);
      expect(waiting.length).toBeGreaterThan(0);
      expect(waiting[0]!.retry).toMatchObject({ code: 'network', attempt: expect.any(Number) });
      await new Promise((r) => setTimeout(r, 2500));
      for (const id of added) expect(queue.get(id)?.stage).not.toBe('failed');
      await proxy.up();
      // "Retry now" tries at once instead of waiting out the back-off.
      queue.retryNow();
      expect(queue.snapshot().jobs.every((j) => !j.retry || j.retry.at <= Date.now())).toBe(true);
      await waitFinished(queue, added, 60_000);
      expect(queue.snapshot().offline).toBeNull();
      for (const id of added)
        expect(queue.get(id)?.stage, queue.get(id)?.error?.message).toBe('done');
      const direct = queueClientOf(h.clients.clientFor(profile.profileId));
      expect((await direct.listCommands({ limit: 100 })).commands).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('fails a job whose API refuses the secure connection after a few tries, saying why', async () => {
    h = await startHarness();
    const tls = createHttpsServer(
      {
        cert: readFileSync(join(TLS, 'self-signed.crt')),
        key: readFileSync(join(TLS, 'self-signed.key')),
      },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      const { port } = tls.address() as AddressInfo;
      await addSessionProfile(h.vault, 'Untrusted', `https://127.0.0.1:${port}`, h.key);
      const paths = await clips(join(h.dir, 'src'), 1);
      const queue = await h.openQueue();
      const { added } = await queue.add({ paths, presetId: 'test-mp3' });
      // It takes 3.5 s here, but twice in CI (stops 29 and 30) one try sent nothing back for
      // over 27 s; a request's own limit (30 s) then ends it and the next try fails as the
      // others did. The wait allows for that; the outcome checked is the same.
      await waitFinished(queue, added, 75_000);
      const job = queue.get(added[0]!)!;
      expect(job.stage).toBe('failed');
      expect(job.error).toMatchObject({
        code: 'tls',
        message: `Could not connect securely to https://127.0.0.1:${port}: its certificate is not trusted by this computer (tried 3 times)`,
      });
      // A certificate problem is not "offline": no banner promising it will heal by waiting.
      expect(queue.snapshot().offline).toBeNull();
    } finally {
      tls.closeAllConnections();
      await new Promise((r) => tls.close(r));
    }
  }, 100_000);
});

/** Polls until `read` gives a value (not null or undefined). */
async function pollFor<T>(read: () => T | null | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
