/**
 * The engine with the ffmpeg it finds: a build without SVT-AV1 refuses an AV1 command before
 * starting ffmpeg, saying why; with no ffmpeg at all it still answers, and uploads and
 * commands fail at once in plain words (no errno codes, no "RenderIO").
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandObject } from '../../../shared/renderioApi';
import { findPreset, presetToCommandRequest } from '../../../shared/presets';
import { makeVideo, tempDir } from '../../support/media';
import { loggedRuns, writeWrapper } from '../../support/fakeFfmpeg';
import { startHarness, type Harness } from '../engine/engineHarness';

const ERRNO = /\bE[A-Z]{3,}\b/;

let dir: { path: string; cleanup(): Promise<void> };
let clip: string;
beforeAll(async () => {
  dir = await tempDir('renderio-engine-ffmpeg-');
  clip = await makeVideo(dir.path, 'clip.mp4', { seconds: 1 });
});
afterAll(async () => {
  await dir.cleanup();
});

function request(presetId: string, inputUrl: string) {
  return presetToCommandRequest(findPreset(presetId)!, inputUrl, 'clip');
}

describe('an ffmpeg without the SVT-AV1 encoder', () => {
  let h: Harness;
  const log = () => join(dir.path, 'no-svt.log');
  beforeAll(async () => {
    const folder = join(dir.path, 'no svt ü');
    const ffmpeg = await writeWrapper(folder, 'ffmpeg', {
      withoutEncoders: ['libsvtav1'],
      log: log(),
    });
    await writeWrapper(folder, 'ffprobe');
    h = await startHarness({ ffmpegPath: ffmpeg, ffmpegSearch: { env: {}, commonFolders: [] } });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('the handle says which ffmpeg it runs', () => {
    expect(h.engine.ffmpeg).toMatchObject({
      available: true,
      ffmpeg: { source: 'chosen' },
      ffprobe: { besideFfmpeg: true },
    });
    if (h.engine.ffmpeg.available)
      expect(h.engine.ffmpeg.summary).toMatch(/^ffmpeg \d+\.\d+ \(chosen\)$/);
  });

  it('fails an AV1 command at once with the reason, without starting ffmpeg', async () => {
    const input = await h.uploadStored(clip);
    const runsBefore = (await loggedRuns(log())).length;
    const { status, body } = await h.post<{ command_id: string }>(
      '/api/v1/run-ffmpeg-command',
      request('mp4-av1', input.storage_url!),
    );
    expect(status).toBe(200);
    const done: CommandObject = await h.waitCommand(body.command_id);
    expect(done).toMatchObject({ status: 'FAILED', error_status: 'UNSUPPORTED_BY_FFMPEG' });
    expect(done.error_message).toMatch(
      /^ffmpeg was not run: this ffmpeg has no SVT-AV1 encoder \(libsvtav1\) \(ffmpeg \d+\.\d+ \(chosen\)\)\.$/,
    );
    expect(await loggedRuns(log())).toHaveLength(runsBefore);
  });

  it('redacts a key named as the encoder in the refusal', async () => {
    const input = await h.uploadStored(clip);
    const key = `ffsk_${'d'.repeat(64)}`;
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_file: input.storage_url },
      output_files: { out_file: 'k.mp4' },
      ffmpeg_command: `-i {{in_file}} -c:v ${key} {{out_file}}`,
    });
    const done = await h.waitCommand(body.command_id);
    expect(done).toMatchObject({ status: 'FAILED', error_status: 'UNSUPPORTED_BY_FFMPEG' });
    expect(done.error_message).toContain('this ffmpeg has no encoder ffsk_[REDACTED]');
    expect(done.error_message).not.toContain('d'.repeat(16));
  });

  it('still runs what it can (H.264)', async () => {
    const input = await h.uploadStored(clip);
    const { body } = await h.post<{ command_id: string }>(
      '/api/v1/run-ffmpeg-command',
      request('mp4-h264', input.storage_url!),
    );
    expect(await h.waitCommand(body.command_id)).toMatchObject({ status: 'SUCCESS' });
  });
});

describe('no ffmpeg anywhere', () => {
  let h: Harness;
  beforeAll(async () => {
    const emptyPath = join(dir.path, 'empty-path');
    await mkdir(emptyPath, { recursive: true });
    h = await startHarness({ ffmpegSearch: { env: { PATH: emptyPath }, commonFolders: [] } });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('the engine starts and says why it cannot convert', () => {
    expect(h.engine.ffmpeg).toMatchObject({ available: false, ffmpeg: null });
    if (!h.engine.ffmpeg.available)
      expect(h.engine.ffmpeg.problem.message).toMatch(/^ffmpeg was not found on this computer\./);
  });

  it('an upload fails in plain words instead of "ffprobe failed (ENOENT)"', async () => {
    const file = await h.waitFile(await h.upload(clip));
    expect(file.status).toBe('FAILED');
    expect(file.error_message).toMatch(
      /^The file was not read: ffmpeg was not found on this computer\./,
    );
    expect(file.error_message).not.toMatch(ERRNO);
    expect(file.error_message).not.toContain('RenderIO');
  });

  it('a command fails at once, saying there is no ffmpeg', async () => {
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_file: 'https://example.invalid/clip.mp4' },
      output_files: { out_file: 'clip.webm' },
      ffmpeg_command: '-i {{in_file}} {{out_file}}',
    });
    const done = await h.waitCommand(body.command_id);
    expect(done).toMatchObject({ status: 'FAILED', error_status: 'FFMPEG_UNAVAILABLE' });
    expect(done.error_message).toMatch(
      /^ffmpeg was not run: ffmpeg was not found on this computer\./,
    );
    expect(done.error_message).not.toMatch(ERRNO);
  });
});
