/**
 * The poll interval bounds (settings.pollIntervalSeconds) against the real engine: the status
 * requests the engine serves for a command, and the gaps between them, follow the bounds of
 * the moment; a change reaches a command being polled without a restart. Jobs on this
 * computer keep their own pace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestLogEntry } from '../../../engine/index';
import { makeVideo } from '../../support/media';
import { addSessionProfile, startHarness, waitFinished, waitStage, type Harness } from './harness';
import { LOCAL_QUEUED_HOLD_MS } from '../../../electron/core/queue/pollPolicy';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/**
 * The engine's status requests for one command while it ran, in the order served: up to the
 * first download (after it, clean-up reads the command once more to delete its outputs).
 */
function statusRequests(h: Harness, commandId: string): RequestLogEntry[] {
  const log = h.engine.requestLog;
  const download = log.findIndex((e) => e.path.startsWith('/storage/'));
  return log
    .slice(0, download === -1 ? undefined : download)
    .filter((e) => e.method === 'GET' && e.path === `/api/v1/commands/${commandId}`);
}
const gapsOf = (entries: RequestLogEntry[]): number[] =>
  entries.slice(1).map((e, i) => e.at - entries[i]!.at);

// A timer fires at or after its time; a request on the loopback takes a few milliseconds.
const LATE_MS = 400;

describe('poll interval bounds', () => {
  it('a job on RenderIO is polled within the bounds, and a change applies to it while it runs', async () => {
    h = await startHarness({}, { pollIntervalSeconds: { min: 1, max: 1 } });
    const harness = h;
    // The engine as RenderIO: a cloud profile at its address (the bounds are for remote jobs).
    await addSessionProfile(harness.vault, 'Cloud', harness.engine.url, harness.key);
    const src = join(harness.dir, 'src');
    await mkdir(src);
    // Remuxed in real time: PROCESSING for about 7 s.
    const clip = await makeVideo(src, 'seven.mp4', { seconds: 7 });
    const queue = await harness.openQueue();
    const { added } = await queue.add({ paths: [clip], presetId: 'test-slow' });
    const id = added[0]!;
    await waitStage(queue, id, ['processing', 'downloading', 'done']);
    const commandId = queue.get(id)!.remote.commandId!;
    // Three polls at 1 s, then the setting changes (as the Settings panel does: same object).
    for (;;) {
      if (statusRequests(harness, commandId).length >= 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const changedAt = Date.now();
    harness.settings.pollIntervalSeconds = { min: 2.5, max: 2.5 };
    await waitFinished(queue, added);
    expect(queue.get(id)?.stage, queue.get(id)?.error?.message).toBe('done');

    const served = statusRequests(harness, commandId);
    const before = served.filter((e) => e.at <= changedAt);
    const after = served.filter((e) => e.at > changedAt);
    // Before: every gap is the 1 s bound (the adaptive policy alone starts at 2 s, then ~0.25 s
    // near the predicted end); after: 2.5 s, from the wait that follows the change on.
    for (const gap of gapsOf(before)) {
      expect(gap).toBeGreaterThanOrEqual(1000 - 5);
      expect(gap).toBeLessThan(1000 + LATE_MS);
    }
    // The wait already under way when the setting changed ends as it was set (1 s).
    const afterGaps = gapsOf([before.at(-1)!, ...after]).slice(1);
    expect(afterGaps.length).toBeGreaterThanOrEqual(1);
    for (const gap of afterGaps) {
      expect(gap).toBeGreaterThanOrEqual(2500 - 5);
      expect(gap).toBeLessThan(2500 + LATE_MS);
    }
    // The count the bounds allow: ~7 s of processing, 3 polls at 1 s, the rest at 2.5 s.
    expect(served.length).toBeGreaterThanOrEqual(4);
    expect(served.length).toBeLessThanOrEqual(7);
    expect(queue.pollCount(id)).toBe(served.length);
  }, 60_000);

  it('jobs on this computer are not held to them: the loopback engine is polled at its own pace', async () => {
    h = await startHarness({}, { pollIntervalSeconds: { min: 5, max: 5 } });
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'two.mp4', { seconds: 2 });
    const queue = await h.openQueue({ isLocalProfile: () => true });
    const { added } = await queue.add({ paths: [clip], presetId: 'test-slow' });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!)!;
    expect(job.stage).toBe('done');
    const served = statusRequests(h, job.remote.commandId!);
    const gaps = gapsOf(served);
    expect(gaps.length).toBeGreaterThan(1);
    expect(Math.max(...gaps)).toBeLessThan(5000);
    // Held polls: after the first look every status request asks the engine to hold: a second
    // while the command runs (the progress pace), longer only after it was seen QUEUED.
    expect(served[0]!.waitMs).toBeNull();
    for (const e of served.slice(1)) {
      expect(e.waitMs).toBeGreaterThan(0);
      expect(e.waitMs).toBeLessThanOrEqual(LOCAL_QUEUED_HOLD_MS);
    }
    const last = served.at(-1)!;
    // Never held past its wait; CI once saw the end land as the wait ran out (1002 ms of 1000):
    // answered by the end or by the wait in the same moment, both as meant.
    expect(last.endedAt - last.at).toBeLessThanOrEqual(last.waitMs! + 25);
    // ~2 s of processing: one look, then each hold lasts a second or until the status
    // changes (started, ended), so about four; the adaptive schedule cut its waits short at
    // predicted finishes and took up to ten.
    expect(served.length).toBeLessThanOrEqual(5);
  }, 60_000);

  it('a local command done within one hold is still seen processing: the first look is unheld', async () => {
    // Half a second in real time (-re): longer than a poll's round trip, shorter than a hold.
    // A held first look would come while it runs and be answered at its end, so the job would
    // go from Starting to Downloading and Details would count its run as Starting.
    h = await startHarness();
    const src = join(h.dir, 'src');
    await mkdir(src);
    const clip = await makeVideo(src, 'half.mp4', { seconds: 0.5 });
    const queue = await h.openQueue({ isLocalProfile: () => true });
    const { added } = await queue.add({ paths: [clip], presetId: 'test-slow' });
    await waitFinished(queue, added);
    const job = queue.get(added[0]!)!;
    expect(job.stage, job.error?.message).toBe('done');
    expect(statusRequests(h, job.remote.commandId!)[0]!.waitMs).toBeNull();
    expect(job.stageTimings.processing).toBeGreaterThan(0);
  }, 60_000);
});
