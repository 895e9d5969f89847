/**
 * What ffmpeg made, checked before a command counts as SUCCESS: an output that is missing or
 * empty after ffmpeg exited 0 fails the command in ffmpeg's own words, instead of a SUCCESS
 * whose output cannot be downloaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPreset, presetToCommandRequest } from '../../../shared/presets';
import type { StoredFile } from '../../../shared/renderioApi';
import { ffmpeg, makeVideo } from '../../support/media';
import { startHarness, type Harness } from './engineHarness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.cleanup();
});

async function fileCount(): Promise<number> {
  return (await h.json<{ files: StoredFile[] }>('/api/v1/files?limit=100')).body.files.length;
}

describe('outputs after ffmpeg exits 0', () => {
  it("fails a GIF command that keeps no frame with ffmpeg's reason, not a SUCCESS without a download", async () => {
    // One frame at 25 fps: a plain fps=10 filter keeps none (the built-in GIF preset passes the
    // last frame on, so it no longer does this), and ffmpeg exits 0 anyway.
    const clip = await makeVideo(h.dir, 'one-frame.mp4', { seconds: 0.04, audio: false });
    const input = await h.uploadStored(clip);
    const builtIn = findPreset('gif');
    if (!builtIn) throw new Error('the built-in gif preset is missing');
    const gif = { ...builtIn, ffmpegCommand: '-i {{in_file}} -map 0:v:0 -vf fps=10 {{out_file}}' };
    const request = presetToCommandRequest(gif, input.storage_url ?? '', 'one-frame');
    const filesBefore = await fileCount();
    const { status, body } = await h.post<{ command_id: string }>(
      '/api/v1/run-ffmpeg-command',
      request,
    );
    expect(status).toBe(200);
    const done = await h.waitCommand(body.command_id);
    expect(done.status).toBe('FAILED');
    expect(done.error_status).toBe('OUTPUT_EMPTY');
    expect(done.error_message).toMatch(
      /^ffmpeg finished but the output out_file \("one-frame\.gif"\) is empty \(0 bytes\)\. ffmpeg said: /,
    );
    expect(done.error_message).toContain(
      'Error writing trailer of ./one-frame.gif: Invalid argument',
    );
    expect(done.error_message).toContain('Output file is empty, nothing was encoded');
    expect(done.error_message).not.toContain('\n');
    // Nothing of the failed run is kept as an output.
    expect(done.output_files).toEqual({});
    expect(await fileCount()).toBe(filesBefore);
  });

  it('fails a command whose output ffprobe cannot read back, in one line, keeping nothing', async () => {
    // QuickTime RLE with alpha copied into Matroska: ffmpeg exits 0, the file cannot be read.
    const mov = `${h.dir}/alpha.mov`;
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=64x48:rate=5:duration=0.4',
      '-vf',
      'format=argb',
      '-c:v',
      'qtrle',
      mov,
    ]);
    const input = await h.uploadStored(mov);
    const filesBefore = await fileCount();
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_v: input.storage_url },
      output_files: { out_v: 'copy.mkv' },
      ffmpeg_command: '-i {{in_v}} -map 0:v:0 -c copy {{out_v}}',
    });
    const done = await h.waitCommand(body.command_id);
    expect(done.status).toBe('FAILED');
    expect(done.error_status).toBe('OUTPUT_UNREADABLE');
    expect(done.error_message).toMatch(
      /^ffmpeg finished but the output out_v \("copy\.mkv"\) cannot be read back\. It is not a video or audio file, or it is damaged or incomplete\. ffmpeg's reason: \S/,
    );
    expect(done.error_message).not.toContain('\n');
    // ffmpeg's "[qtrle @ 0x55…]" tags say nothing to a person and change on every run.
    expect(done.error_message).not.toMatch(/@ 0x/);
    expect(done.output_files).toEqual({});
    expect(await fileCount()).toBe(filesBefore);
  });
});
