/** probeMedia with the real ffprobe on generated video, audio, image and corrupt files. */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../../../engine/ffmpeg/probe';
import { makeAudio, makeCorrupt, makeImage, makeVideo, tempDir } from '../../../support/media';

const execFileAsync = promisify(execFile);
let dir: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir('renderio-probe-');
});
afterAll(() => dir.cleanup());

async function media(path: string) {
  const outcome = await probeMedia(path);
  if (!outcome.ok) throw new Error(`probe failed: ${outcome.reason}`);
  return outcome.media;
}

describe('probeMedia', () => {
  it('fills every field for an MP4 video with audio', async () => {
    const m = await media(await makeVideo(dir.path, 'v.mp4'));
    expect(m).toMatchObject({
      file_type: 'video',
      file_format: 'mp4',
      codec: 'h264',
      pixel_format: 'yuv420p',
      mime_type: 'video/mp4',
      width: 320,
      height: 240,
      frame_rate: 25,
      sample_rate: 48000,
      channels: 1,
    });
    expect(m.duration).toBeCloseTo(2, 1);
    expect(m.size_mbytes).toBeGreaterThan(0);
    expect(m.bitrate_video_kb).toBeGreaterThan(0);
    expect(m.bitrate_audio_kb).toBeGreaterThan(0);
    for (const [field, value] of Object.entries(m)) expect(value, field).not.toBeNull();
  });

  it('derives the video bitrate of a WebM from the container', async () => {
    const m = await media(await makeVideo(dir.path, 'v.webm', { container: 'webm' }));
    expect(m).toMatchObject({
      file_type: 'video',
      file_format: 'webm',
      codec: 'vp9',
      mime_type: 'video/webm',
    });
    expect(m.bitrate_video_kb).toBeGreaterThan(0);
  });

  it('reports a vertical video without audio', async () => {
    const m = await media(
      await makeVideo(dir.path, 'vert.mp4', { width: 240, height: 320, audio: false }),
    );
    expect(m).toMatchObject({
      file_type: 'video',
      width: 240,
      height: 320,
      sample_rate: null,
      channels: null,
      bitrate_audio_kb: null,
    });
  });

  it.each([
    ['mp3', 'mp3', 'audio/mpeg'],
    ['wav', 'pcm_s16le', 'audio/wav'],
    ['flac', 'flac', 'audio/flac'],
  ] as const)('reads %s audio', async (format, codec, mime) => {
    const m = await media(await makeAudio(dir.path, `a.${format}`, { format }));
    expect(m).toMatchObject({
      file_type: 'audio',
      codec,
      mime_type: mime,
      sample_rate: 48000,
      channels: 2,
      width: null,
      frame_rate: null,
    });
    expect(m.duration).toBeCloseTo(2, 1);
  });

  it.each([
    ['png', 'png', 'image/png'],
    ['jpg', 'mjpeg', 'image/jpeg'],
    ['webp', 'webp', 'image/webp'],
    ['bmp', 'bmp', 'image/bmp'],
  ])('classifies a still %s as an image', async (ext, codec, mime) => {
    const m = await media(await makeImage(dir.path, `i.${ext}`, 64, 48));
    expect(m).toMatchObject({
      file_type: 'image',
      codec,
      mime_type: mime,
      width: 64,
      height: 48,
      duration: null,
      frame_rate: null,
    });
  });

  it("refuses a corrupt file with ffprobe's reason and without the directory", async () => {
    const outcome = await probeMedia(await makeCorrupt(dir.path, 'bad.mp4'));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toContain('Invalid data');
    expect(outcome.reason).not.toContain(dir.path);
  });

  it('refuses HLS playlists and ffconcat lists instead of following them', async () => {
    const segment = await makeVideo(dir.path, 'seg.mkv', { container: 'mkv', seconds: 1 });
    await execFileAsync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      segment,
      '-c',
      'copy',
      `${dir.path}/seg.ts`,
    ]);
    const cases: [string, string, string][] = [
      [
        'local.m3u8',
        '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1,\nseg.ts\n#EXT-X-ENDLIST\n',
        'playlists and file lists',
      ],
      ['list.ffconcat', "ffconcat version 1.0\nfile 'seg.ts'\n", 'playlists and file lists'],
      // A remote segment is never fetched (file-only protocols): the probe just fails.
      [
        'remote.m3u8',
        '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n',
        '',
      ],
    ];
    for (const [name, text, format] of cases) {
      await writeFile(`${dir.path}/${name}`, text);
      const outcome = await probeMedia(`${dir.path}/${name}`);
      expect(outcome.ok, name).toBe(false);
      if (!outcome.ok) expect(outcome.reason, name).toContain(format);
    }
  });

  it('refuses a missing file', async () => {
    const outcome = await probeMedia(`${dir.path}/missing.mp4`);
    expect(outcome).toMatchObject({ ok: false });
    if (!outcome.ok) expect(outcome.reason).toContain('No such file');
  });
});
