/**
 * What `add` decides before anything is uploaded, and what a job keeps once it is queued:
 * files a preset cannot take are refused with the reason and never reach the engine; a queued
 * job keeps the preset, output folder, naming template and collision policy it was queued with,
 * whatever changes afterwards (settings, the preset itself, a restart).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codecOf, makeAudio, makeVideo, probe } from '../../support/media';
import { startSerialHarness, TEST_PRESETS, waitFinished, type Harness } from './harness';

let h: Harness;
let src: string;
beforeEach(async () => {
  ({ h, src } = await startSerialHarness());
});
afterEach(async () => {
  await h.close();
});

const uploads = (): number =>
  h.engine.requestLog.filter((e) => e.method === 'POST' && e.path.endsWith('/files/upload')).length;

describe('adding files', () => {
  it('refuses a file the preset cannot take before upload, with the reason', async () => {
    const withSound = await makeVideo(src, 'talk.mp4', { seconds: 1 });
    const silent = await makeVideo(src, 'silent.mp4', { seconds: 1, audio: false });
    const tone = await makeAudio(src, 'tone.mp3', { seconds: 1 });
    const notes = join(src, 'notes.txt');
    await writeFile(notes, 'not media');
    const queue = await h.openQueue();

    // An audio preset: the silent video is refused (probed before upload), the others queued.
    const audio = await queue.add({
      paths: [withSound, silent, tone, notes],
      presetId: 'test-mp3',
    });
    expect(audio.added).toHaveLength(2);
    expect(audio.rejected).toEqual([
      { path: notes, reason: expect.stringMatching(/not a supported media file \(\.txt\)/) },
      { path: silent, reason: expect.stringMatching(/"MP3".*no sound/) },
    ]);
    // A video preset: the audio file is refused for its kind.
    const video = await queue.add({ paths: [tone], presetId: 'test-webm' });
    expect(video.added).toEqual([]);
    expect(video.rejected).toEqual([{ path: tone, reason: expect.stringMatching(/WebM.*video/) }]);

    await waitFinished(queue, audio.added);
    for (const id of audio.added) expect(queue.get(id)?.stage).toBe('done');
    // Only the accepted files were uploaded, and no job exists for the refused ones.
    expect(uploads()).toBe(2);
    expect(
      queue
        .snapshot()
        .jobs.map((j) => j.sourceName)
        .sort(),
    ).toEqual(['talk.mp4', 'tone.mp3']);
    expect((await readdir(src)).sort()).toEqual([
      'notes.txt',
      'silent.mp4',
      'talk.mp3',
      'talk.mp4',
      'tone (1).mp3',
      'tone.mp3',
    ]);
  });

  it('queues a video when its sound cannot be told (no ffprobe), rather than refusing it', async () => {
    const silent = await makeVideo(src, 'silent.mp4', { seconds: 1, audio: false });
    const queue = await h.openQueue({ autoStart: false, hasAudio: async () => null });
    const { added, rejected } = await queue.add({ paths: [silent], presetId: 'test-mp3' });
    expect(rejected).toEqual([]);
    expect(added).toHaveLength(1);
  });

  it('fails a silent video given an audio preset later, before its upload', async () => {
    const silent = await makeVideo(src, 'silent.mp4', { seconds: 1, audio: false });
    const queue = await h.openQueue({ autoStart: false });
    const { added } = await queue.add({ paths: [silent], presetId: 'test-webm' });
    const id = added[0]!;
    expect(queue.applyPreset([id], 'test-mp3').applied).toEqual([id]);
    queue.start();
    await waitFinished(queue, [id]);
    expect(queue.get(id)?.stage).toBe('failed');
    expect(queue.get(id)?.error).toMatchObject({ code: 'input', retryable: false });
    expect(queue.get(id)?.error?.message).toMatch(/"MP3".*no sound/);
    expect(uploads()).toBe(0);
  });

  it('fails a job whose preset is marked unavailable before its upload, with the reason', async () => {
    const clip = await makeVideo(src, 'clip.mp4', { seconds: 1 });
    // A test double: the queued job holds this very object, so marking it afterwards plays a
    // job that reached the upload with a preset the app cannot run (add refuses those).
    const preset = { ...TEST_PRESETS.find((p) => p.id === 'test-webm')! };
    const queue = await h.openQueue({ autoStart: false, presetById: () => preset });
    const { added } = await queue.add({ paths: [clip], presetId: preset.id });
    preset.unavailable = 'Takes 2 inputs (in_video, in_logo).';
    queue.start();
    await waitFinished(queue, added);
    expect(queue.get(added[0]!)?.stage).toBe('failed');
    expect(queue.get(added[0]!)?.error).toEqual({
      code: 'preset',
      message: `"${preset.name}" cannot be used here. Takes 2 inputs (in_video, in_logo).`,
      retryable: false,
    });
    expect(uploads()).toBe(0);
  });

  it('each job keeps the settings it was queued with: preset, folder, template, collision', async () => {
    const a = await makeVideo(src, 'a.mp4', { seconds: 1 });
    const b = await makeVideo(src, 'b.mp4', { seconds: 1 });
    const outA = join(h.dir, 'out-a');
    const outB = join(h.dir, 'out-b');
    await mkdir(outA);
    await mkdir(outB);
    // An output already exists in both folders, so the collision policy shows.
    await writeFile(join(outA, 'a.webm'), 'old');
    await writeFile(join(outB, 'b-test-webm.webm'), 'old');

    h.settings.outputDir = outA;
    h.settings.nameTemplate = '{name}';
    h.settings.collision = 'rename';
    const first = await h.openQueue({ autoStart: false });
    const [jobA] = (await first.add({ paths: [a], presetId: 'test-webm' })).added as [string];

    // Everything changes after A was queued: the settings and the preset behind the same id.
    h.settings.outputDir = outB;
    h.settings.nameTemplate = '{name}-{preset}';
    h.settings.collision = 'overwrite';
    const [jobB] = (await first.add({ paths: [b], presetId: 'test-webm' })).added as [string];
    await first.close();
    const mp3 = TEST_PRESETS.find((p) => p.id === 'test-mp3')!;
    const edited = { ...mp3, id: 'test-webm', name: 'edited' };
    // A restart with the edited preset: A and B still run the preset they were queued with.
    const queue = await h.openQueue({
      presetById: (id) => (id === 'test-webm' ? edited : undefined),
    });
    await waitFinished(queue, [jobA, jobB]);

    const doneA = queue.get(jobA)!;
    const doneB = queue.get(jobB)!;
    expect(doneA.stage, doneA.error?.message).toBe('done');
    expect(doneB.stage, doneB.error?.message).toBe('done');
    expect(doneA.settings).toMatchObject({
      outputDir: outA,
      nameTemplate: '{name}',
      collision: 'rename',
    });
    expect(doneA.settings.preset.ffmpegCommand).toContain('libvpx-vp9');
    expect(doneA.outputPaths).toEqual([join(outA, 'a (1).webm')]);
    expect(doneB.outputPaths).toEqual([join(outB, 'b-test-webm.webm')]);
    expect(codecOf(await probe(doneA.outputPaths[0]!), 'video')).toBe('vp9');
    expect(codecOf(await probe(doneB.outputPaths[0]!), 'video')).toBe('vp9');
    expect((await readdir(outA)).sort()).toEqual(['a (1).webm', 'a.webm']);
    expect(await readdir(outB)).toEqual(['b-test-webm.webm']);
  });
});
