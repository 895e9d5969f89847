/**
 * Change… and the selection's actions against the real queue and the local engine: a queued
 * job's own preset, folder and name change (never a started one's), and Cancel, Retry and
 * Remove over many ids do to each job what its row's button does, saying why not the rest.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SOURCE_GONE } from '../../../shared/jobs';
import { makeAudio, makeVideo } from '../../support/media';
import { startSerialHarness, waitFinished, waitStage, type Harness } from './harness';

let h: Harness;
let src: string;
beforeEach(async () => {
  ({ h, src } = await startSerialHarness());
  await makeVideo(src, 'a.mp4', { seconds: 1 });
  await makeVideo(src, 'b.mp4', { seconds: 1 });
  await makeAudio(src, 'tone.wav', { seconds: 1 });
});
afterEach(async () => {
  await h.close();
});

describe("a queued job's own settings", () => {
  it('changes preset, folder and name of jobs that have not started; outputs follow', async () => {
    const out = join(h.dir, 'elsewhere');
    await mkdir(out);
    const queue = await h.openQueue({ autoStart: false });
    const { added } = await queue.add({
      paths: [join(src, 'a.mp4'), join(src, 'b.mp4'), join(src, 'tone.wav')],
      presetId: 'test-mp3',
    });
    const [a, b, tone] = added as [string, string, string];

    // A preset that cannot take the file's kind is refused for that job, with the reason.
    const preset = queue.change([a, tone], { presetId: 'test-webm' });
    expect(preset.done).toEqual([a]);
    expect(preset.skipped).toEqual([
      { id: tone, reason: expect.stringMatching(/^tone\.wav: .*takes video files, not audio/) },
    ]);
    expect(queue.get(a)?.settings).toMatchObject({
      presetId: 'test-webm',
      preset: { id: 'test-webm' },
    });

    // An unknown preset, a template that cannot make a name, a job not in the queue.
    expect(queue.change([b], { presetId: 'nope' }).skipped[0]?.reason).toMatch(/not available/);
    const badName = queue.change([a, b], { nameTemplate: '{nope}' });
    expect(badName.done).toEqual([]);
    expect(badName.skipped).toHaveLength(2);
    expect(queue.change(['gone'], { outputDir: null }).skipped).toEqual([
      { id: 'gone', reason: 'This job is no longer in the queue.' },
    ]);
    expect(queue.get(b)?.settings.nameTemplate).toBe('{name}');

    const where = queue.change([a, b], { outputDir: out, nameTemplate: '{name}-changed' });
    expect(where).toEqual({ done: [a, b], skipped: [] });

    // Saved: a new queue over the same folder runs the jobs as changed.
    await queue.close();
    const again = await h.openQueue();
    await waitFinished(again, [a, b, tone]);
    expect([a, b, tone].map((id) => again.get(id)?.stage)).toEqual(['done', 'done', 'done']);
    expect((await readdir(out)).sort()).toEqual(['a-changed.webm', 'b-changed.mp3']);
    expect((await readdir(src)).sort()).toEqual(['a.mp4', 'b.mp4', 'tone.mp3', 'tone.wav']);
  });

  it('refuses to change a job that has started, saying so', async () => {
    const queue = await h.openQueue();
    const { added } = await queue.add({ paths: [join(src, 'a.mp4')], presetId: 'test-slow' });
    const a = added[0]!;
    await waitStage(queue, a, ['uploading', 'stored', 'submitted', 'processing']);
    const result = queue.change([a], { presetId: 'test-webm', outputDir: null });
    expect(result.done).toEqual([]);
    expect(result.skipped[0]?.reason).toMatch(
      /^a\.mp4 has already started: only a job that has not started can be changed\.$/,
    );
    expect(queue.get(a)?.settings.presetId).toBe('test-slow');
    await queue.cancel(a);
  });
});

describe('actions on selected jobs', () => {
  it('cancels, retries and removes over ids beyond the first page, with reasons for the rest', async () => {
    // 70 jobs: more than the window's first page (24), so some ids are off screen.
    for (let i = 0; i < 67; i++) await copyFile(join(src, 'a.mp4'), join(src, `copy-${i}.mp4`));
    const queue = await h.openQueue({ autoStart: false });
    const names = (await readdir(src)).filter((n) => n.endsWith('.mp4')).sort();
    const videos = await queue.add({
      paths: names.map((n) => join(src, n)),
      presetId: 'test-webm',
    });
    const sound = await queue.add({ paths: [join(src, 'tone.wav')], presetId: 'test-mp3' });
    const added = [...videos.added, ...sound.added];
    expect(added).toHaveLength(70);
    expect(queue.window(0, 60).jobs).toHaveLength(60);
    const briefs = queue.briefs();
    expect(briefs.map((b) => b.id)).toEqual(added);
    expect(briefs.at(-1)).toEqual({
      id: added.at(-1),
      stage: 'queued',
      resumeStage: null,
      mediaKind: 'audio',
      sourceGone: false,
    });

    const cancelled = await queue.cancelMany([...added, 'gone']);
    expect(cancelled.done).toEqual(added);
    expect(cancelled.skipped).toEqual([
      { id: 'gone', reason: 'This job is no longer in the queue.' },
    ]);
    expect(new Set(queue.briefs().map((b) => b.stage))).toEqual(new Set(['cancelled']));
    expect((await queue.cancelMany([added[0]!])).skipped[0]?.reason).toMatch(
      /has already finished \(cancelled\)/,
    );

    // Remove the copies beyond the first page, then retry what is left: it runs again.
    const copies = added.slice(2, 69);
    const removed = await queue.removeMany(copies);
    expect(removed).toEqual({ done: copies, skipped: [] });
    const left = queue.ids();
    expect(left).toHaveLength(3);
    const retried = queue.retryMany(left);
    expect(retried).toEqual({ done: left, skipped: [] });
    expect(queue.retryMany(left).skipped).toHaveLength(3); // queued now: nothing to retry
    queue.start();
    await waitFinished(queue, left);
    expect(left.map((id) => queue.get(id)?.stage)).toEqual(['done', 'done', 'done']);
    expect((await readdir(src)).filter((n) => !n.startsWith('copy-')).sort()).toEqual([
      'a.mp4',
      'a.webm',
      'b.mp4',
      'b.webm',
      'tone.mp3',
      'tone.wav',
    ]);
  });

  it('leaves a running job to Cancel and a moved source to Locate…', async () => {
    const queue = await h.openQueue();
    const { added } = await queue.add({
      paths: [join(src, 'a.mp4'), join(src, 'b.mp4')],
      presetId: 'test-slow',
    });
    const [a, b] = added as [string, string];
    await rm(join(src, 'b.mp4'));
    await waitStage(queue, a, ['uploading', 'stored', 'submitted', 'processing']);

    const notRemoved = await queue.removeMany([a]);
    expect(notRemoved).toEqual({
      done: [],
      skipped: [{ id: a, reason: 'a.mp4 is running: cancel it first.' }],
    });
    expect((await queue.cancelMany([a])).done).toEqual([a]);
    await waitFinished(queue, [b]);
    expect(queue.get(b)?.error?.code).toBe(SOURCE_GONE);
    expect(queue.briefs().find((x) => x.id === b)?.sourceGone).toBe(true);
    const retry = queue.retryMany([a, b]);
    expect(retry.done).toEqual([a]);
    expect(retry.skipped).toEqual([
      { id: b, reason: 'b.mp4 is no longer where it was: use Locate… or Remove.' },
    ]);
    await queue.cancelMany([a]);
    expect(await queue.removeMany([a, b])).toEqual({ done: [a, b], skipped: [] });
    expect(queue.ids()).toEqual([]);
  });
});
