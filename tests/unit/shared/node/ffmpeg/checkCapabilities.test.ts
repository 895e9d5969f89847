/**
 * The capability check on the real Debian ffmpeg and on stand-ins that are not ffmpeg, crash
 * at -version, hang, or lack an encoder; and the cache that asks each binary only once.
 */
import { appendFile, copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkFfmpegCapabilities,
  findLocalFfmpeg,
  presetAvailability,
} from '../../../../../shared/node/ffmpeg';
import { BUILT_IN_PRESETS, findPreset } from '../../../../../shared/presets';
import { tempDir } from '../../../../support/media';
import { loggedRuns, realTool, writeScript, writeWrapper } from '../../../../support/fakeFfmpeg';

let dir: { path: string; cleanup(): Promise<void> };
let real: { ffmpeg: string; ffprobe: string };
beforeAll(async () => {
  dir = await tempDir('renderio-caps-');
  real = { ffmpeg: realTool('ffmpeg'), ffprobe: realTool('ffprobe') };
});
afterAll(async () => {
  await dir.cleanup();
});

const ERRNO = /\bE[A-Z]{3,}\b/;

/** The outcome's problem, asserting it is one person-readable line. */
function problemOf(outcome: Awaited<ReturnType<typeof checkFfmpegCapabilities>>) {
  expect(outcome.ok).toBe(false);
  if (outcome.ok) throw new Error('expected a problem');
  expect(outcome.problem.message).not.toMatch(ERRNO);
  expect(outcome.problem.message).not.toContain('\n');
  return outcome.problem;
}

describe('checkFfmpegCapabilities on the real ffmpeg', () => {
  it('reads the version, licence, encoders, muxers, filters and the options presets set', async () => {
    const outcome = await checkFfmpegCapabilities(real, {
      describeFilters: ['scale', 'paletteuse'],
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const caps = outcome.capabilities;
    expect(caps.version.major).toBeGreaterThanOrEqual(4);
    expect(caps.license).toBe('GPL'); // Debian builds with --enable-gpl (libx264)
    expect(caps.encoders).toEqual(
      expect.arrayContaining(['libx264', 'libvpx-vp9', 'libopus', 'libmp3lame', 'aac', 'h264']),
    );
    expect(caps.muxers).toEqual(expect.arrayContaining(['mp4', 'webm', 'matroska', 'image2']));
    expect(caps.filters).toEqual(expect.arrayContaining(['scale', 'crop', 'palettegen']));
    expect(caps.filterOptions.scale).toEqual(
      expect.arrayContaining(['w', 'h', 'force_divisible_by', 'force_original_aspect_ratio']),
    );
    expect(caps.filterOptions.paletteuse).toContain('diff_mode');
  });

  it('every built-in preset is available on it (the presets were made for this build)', async () => {
    const local = await findLocalFfmpeg({ chosenFfmpeg: real.ffmpeg, chosenFfprobe: real.ffprobe });
    expect(local.available).toBe(true);
    if (!local.available) return;
    expect(local.summary).toMatch(/^ffmpeg \d+\.\d+ \(chosen\)$/);
    const unavailable = BUILT_IN_PRESETS.map((p) => [
      p.id,
      presetAvailability(p, local.capabilities),
    ])
      .filter(([, a]) => typeof a === 'object' && !a.available)
      .map(([id]) => id);
    expect(unavailable).toEqual([]);
  });
});

describe('checkFfmpegCapabilities on what is not a working ffmpeg', () => {
  it('/bin/ls chosen as ffmpeg', async () => {
    const problem = problemOf(
      await checkFfmpegCapabilities({ ffmpeg: '/bin/ls', ffprobe: real.ffprobe }),
    );
    expect(problem.message).toBe('/bin/ls is not ffmpeg: it does not answer as ffmpeg does.');
    expect(problem.detail).toContain('exited with code 2');
  });

  it('a text file marked as a program', async () => {
    const path = join(dir.path, 'notes-ffmpeg');
    await writeFile(path, 'some notes, not a program\n', { mode: 0o755 });
    const problem = problemOf(
      await checkFfmpegCapabilities({ ffmpeg: path, ffprobe: real.ffprobe }),
    );
    expect(problem.message).toBe(`${path} is not ffmpeg: it does not answer as ffmpeg does.`);
  });

  it('an ffmpeg that crashes when asked its version', async () => {
    const path = await writeScript(join(dir.path, 'crash'), 'ffmpeg', 'kill -SEGV $$');
    const problem = problemOf(
      await checkFfmpegCapabilities({ ffmpeg: path, ffprobe: real.ffprobe }),
    );
    expect(problem.message).toBe(
      `ffmpeg at ${path} crashed when it was started (it may be damaged or built for another system).`,
    );
    expect(problem.detail).toContain('SIGSEGV');
  });

  it('an ffmpeg that prints its version, then fails (a missing library, say)', async () => {
    const path = await writeScript(
      join(dir.path, 'half'),
      'ffmpeg',
      'echo "ffmpeg version 6.1 Copyright"; echo "error while loading shared libraries: libx264.so.164" >&2; exit 127',
    );
    const problem = problemOf(
      await checkFfmpegCapabilities({ ffmpeg: path, ffprobe: real.ffprobe }),
    );
    expect(problem.message).toBe(
      `ffmpeg at ${path} stopped with an error when it was started (it may be damaged or missing a library).`,
    );
    expect(problem.detail).toContain('libx264.so.164');
  });

  it('an ffmpeg that hangs is given up on at the time limit', async () => {
    const path = await writeScript(join(dir.path, 'hang'), 'ffmpeg', 'exec sleep 30');
    const problem = problemOf(
      await checkFfmpegCapabilities({ ffmpeg: path, ffprobe: real.ffprobe }, { timeoutMs: 300 }),
    );
    expect(problem.message).toBe(`ffmpeg at ${path} did not answer within 1 s.`);
  });

  it('a file without the execute bit: plain words, the errno in the detail', async () => {
    const path = await writeScript(join(dir.path, 'nox'), 'ffmpeg', 'exit 0', 0o644);
    const problem = problemOf(
      await checkFfmpegCapabilities({ ffmpeg: path, ffprobe: real.ffprobe }),
    );
    expect(problem.message).toBe(
      `ffmpeg at ${path} cannot be run: it is not marked as a program, or this account may not run it.`,
    );
    expect(problem.detail).toMatch(/^EACCES/);
  });

  it('a working ffmpeg with something else as ffprobe', async () => {
    const problem = problemOf(
      await checkFfmpegCapabilities({ ffmpeg: real.ffmpeg, ffprobe: '/bin/ls' }),
    );
    expect(problem.message).toBe('/bin/ls is not ffprobe: it does not answer as ffprobe does.');
  });

  it('a real ffmpeg in a folder with spaces and non-ASCII letters', async () => {
    const folder = join(dir.path, 'Mes vidéos ü', 'ffmpeg 6');
    const ffmpeg = await writeWrapper(folder, 'ffmpeg');
    const ffprobe = await writeWrapper(folder, 'ffprobe');
    const local = await findLocalFfmpeg({ chosenFfmpeg: ffmpeg, env: {}, commonFolders: [] });
    expect(local).toMatchObject({
      available: true,
      ffmpeg: { path: ffmpeg, source: 'chosen' },
      ffprobe: { path: ffprobe, source: 'chosen', besideFfmpeg: true },
    });
  });
});

describe('a build without an encoder', () => {
  it('is told apart, and the preset that needs it says why in plain words', async () => {
    const folder = join(dir.path, 'no-svt');
    const ffmpeg = await writeWrapper(folder, 'ffmpeg', { withoutEncoders: ['libsvtav1'] });
    await writeWrapper(folder, 'ffprobe');
    const local = await findLocalFfmpeg({ chosenFfmpeg: ffmpeg, env: {}, commonFolders: [] });
    expect(local.available).toBe(true);
    if (!local.available) return;
    expect(local.capabilities.encoders).not.toContain('libsvtav1');
    expect(presetAvailability(findPreset('mp4-av1')!, local.capabilities)).toEqual({
      available: false,
      reason: 'this ffmpeg has no SVT-AV1 encoder (libsvtav1)',
      missing: { encoders: ['libsvtav1'], muxers: [], filters: [], filterOptions: [] },
    });
    expect(presetAvailability(findPreset('mp4-h264')!, local.capabilities)).toEqual({
      available: true,
    });
  });
});

describe('the cache', () => {
  it('asks a binary once, and again once the file changed', async () => {
    const folder = join(dir.path, 'counted');
    const log = join(dir.path, 'counted.log');
    const ffmpeg = await writeWrapper(folder, 'ffmpeg', { log });
    const ffprobe = await writeWrapper(folder, 'ffprobe');
    const first = await checkFfmpegCapabilities({ ffmpeg, ffprobe });
    const runsAfterFirst = (await loggedRuns(log)).length;
    expect(runsAfterFirst).toBeGreaterThanOrEqual(4); // -version, -encoders, -muxers, -filters
    const second = await checkFfmpegCapabilities({ ffmpeg, ffprobe });
    expect(second).toBe(first);
    expect(await loggedRuns(log)).toHaveLength(runsAfterFirst);

    // An upgrade replaces the file: its size and time change, so it is asked again.
    await appendFile(ffmpeg, '# upgraded\n');
    await checkFfmpegCapabilities({ ffmpeg, ffprobe });
    expect((await loggedRuns(log)).length).toBe(runsAfterFirst * 2);
  });

  it('a failure is not remembered: a fixed binary is asked again', async () => {
    const folder = join(dir.path, 'fixed');
    const path = await writeScript(folder, 'ffmpeg', 'kill -SEGV $$');
    const broken = await checkFfmpegCapabilities({ ffmpeg: path, ffprobe: real.ffprobe });
    expect(broken.ok).toBe(false);
    await copyFile(await writeWrapper(join(dir.path, 'fixed-src'), 'ffmpeg'), path);
    const fixed = await checkFfmpegCapabilities({ ffmpeg: path, ffprobe: real.ffprobe });
    expect(fixed.ok).toBe(true);
  });
});
