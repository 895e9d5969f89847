/**
 * The sound probe run with the ffprobe the local engine found (appCore passes its path): it
 * works from a folder that is not on PATH, and a missing one means "cannot tell", not a refusal.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { probeHasAudio } from '../../../electron/core/files/probeAudio';
import { makeVideo, tempDir } from '../../support/media';
import { writeWrapper } from '../../support/fakeFfmpeg';

let dir: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir('probe-audio-path-');
});
afterAll(async () => {
  await dir.cleanup();
});

it('uses the given ffprobe, even in a folder with spaces and non-ASCII letters', async () => {
  const ffprobe = await writeWrapper(join(dir.path, 'Outils vidéo'), 'ffprobe');
  const silent = await makeVideo(dir.path, 'silent.mp4', { seconds: 1, audio: false });
  const talk = await makeVideo(dir.path, 'talk.mp4', { seconds: 1 });
  expect(await probeHasAudio(silent, ffprobe)).toBe(false);
  expect(await probeHasAudio(talk, ffprobe)).toBe(true);
  expect(await probeHasAudio(talk, join(dir.path, 'no-such-ffprobe'))).toBeNull();
});
