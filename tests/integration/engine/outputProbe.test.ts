/**
 * EngineOptions.probeOutputs: by default an output carries the media fields ffprobe found (as
 * RenderIO's do, and the probe checks it reads back); with false it is STORED at once with its
 * size and null media fields, and downloads the same bytes. Real ffmpeg.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandObject, StoredFile } from '../../../shared/renderioApi';
import { codecOf, makeVideo, probe } from '../../support/media';
import { download, startHarness, type Harness } from './engineHarness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

async function convert(harness: Harness): Promise<CommandObject> {
  const video = await makeVideo(harness.dir, 'clip.mp4', { seconds: 1, width: 160, height: 120 });
  const input = await harness.uploadStored(video);
  const { body } = await harness.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
    input_files: { in_video: input.storage_url },
    output_files: { out_video: 'small.mp4' },
    ffmpeg_command: '-i {{in_video}} -c:v libx264 -preset ultrafast -c:a aac {{out_video}}',
  });
  const done = await harness.waitCommand(body.command_id);
  expect(done.status).toBe('SUCCESS');
  return done;
}

describe('probing outputs', () => {
  it('fills the media fields by default', async () => {
    h = await startHarness();
    const done = await convert(h);
    expect(done.output_files.out_video).toMatchObject({
      status: 'STORED',
      codec: 'h264',
      width: 160,
      height: 120,
      file_type: 'video',
    });
  });

  it('with probeOutputs false: STORED with its size and null media, the same bytes to download', async () => {
    h = await startHarness({ probeOutputs: false });
    const done = await convert(h);
    const out = done.output_files.out_video!;
    expect(out).toMatchObject({
      status: 'STORED',
      filename: 'small.mp4',
      codec: null,
      width: null,
      duration: null,
      file_type: null,
    });
    const { status, bytes } = await download(out.storage_url!);
    expect(status).toBe(200);
    expect(out.size_mbytes).toBeCloseTo(bytes.length / (1024 * 1024), 5);
    const path = join(h.dir, 'small.mp4');
    await writeFile(path, bytes);
    expect((await stat(path)).size).toBeGreaterThan(0);
    expect(codecOf(await probe(path), 'video')).toBe('h264');
    // Outputs are files too, and say the same.
    const asFile = await h.json<StoredFile>(`/api/v1/files/${out.file_id}`);
    expect(asFile.body).toMatchObject({
      status: 'STORED',
      codec: null,
      rendi_store_type: 'OUTPUT',
    });
  });
});
