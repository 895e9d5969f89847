/**
 * The sound probe that lets an audio preset refuse a silent video before upload: real ffprobe
 * on generated media; "unknown" (null) whenever it cannot tell, so nothing is refused wrongly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeHasAudio, silentPaths } from '../../../../../electron/core/files/probeAudio';
import { makeAudio, makeVideo, tempDir } from '../../../../support/media';

let dir: Awaited<ReturnType<typeof tempDir>>;
let withSound: string;
let silent: string;
let audio: string;
let notMedia: string;
beforeAll(async () => {
  dir = await tempDir('probe-audio-');
  withSound = await makeVideo(dir.path, 'talk.mp4', { seconds: 1 });
  silent = await makeVideo(dir.path, '-silent.mp4', { seconds: 1, audio: false });
  audio = await makeAudio(dir.path, 'tone.mp3', { seconds: 1 });
  notMedia = join(dir.path, 'fake.mp4');
  await writeFile(notMedia, 'not a video at all');
});
afterAll(() => dir.cleanup());

describe('probeHasAudio', () => {
  it('tells a video with sound from a silent one (a leading dash in the name included)', async () => {
    expect(await probeHasAudio(withSound)).toBe(true);
    expect(await probeHasAudio(audio)).toBe(true);
    expect(await probeHasAudio(silent)).toBe(false);
    // The same file by a name that starts with the dash: read as a file, not as an option.
    const cwd = process.cwd();
    process.chdir(dir.path);
    try {
      expect(await probeHasAudio('-silent.mp4')).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });

  it('answers null when it cannot tell: unreadable, missing, or no ffprobe on the PATH', async () => {
    expect(await probeHasAudio(notMedia)).toBeNull();
    expect(await probeHasAudio(join(dir.path, 'missing.mp4'))).toBeNull();
    const path = process.env.PATH;
    process.env.PATH = dir.path;
    try {
      expect(await probeHasAudio(silent)).toBeNull();
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('silentPaths', () => {
  it('returns only the files known to be silent, probing a few at a time', async () => {
    let running = 0;
    let peak = 0;
    const counted = async (p: string): Promise<boolean | null> => {
      running++;
      peak = Math.max(peak, running);
      try {
        return await probeHasAudio(p);
      } finally {
        running--;
      }
    };
    const paths = [withSound, silent, notMedia, audio, silent, withSound];
    expect([...(await silentPaths(paths, counted, 2))]).toEqual([silent]);
    expect(peak).toBe(2);
    expect(await silentPaths([], counted)).toEqual(new Set());
  });
});
