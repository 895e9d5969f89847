import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codecOf,
  durationOf,
  makeAudio,
  makeImage,
  makeVideo,
  probe,
  tempDir,
} from '../../support/media';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe('generated test media', () => {
  it('makes an H.264 + AAC clip of the asked length', async () => {
    const p = await probe(await makeVideo(dir.path, 'a.mp4', { seconds: 2 }));
    expect(codecOf(p, 'video')).toBe('h264');
    expect(codecOf(p, 'audio')).toBe('aac');
    expect(durationOf(p)).toBeCloseTo(2, 0);
  });

  it('makes odd-sized, silent, variable-frame-rate video', async () => {
    const p = await probe(
      await makeVideo(dir.path, 'odd.mp4', { width: 641, height: 361, audio: false, vfr: true }),
    );
    expect(p.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      width: 641,
      height: 361,
    });
    expect(codecOf(p, 'audio')).toBeUndefined();
  });

  it('makes audio and images', async () => {
    expect(
      codecOf(await probe(await makeAudio(dir.path, 'a.wav', { format: 'wav' })), 'audio'),
    ).toBe('pcm_s16le');
    expect(codecOf(await probe(await makeImage(dir.path, 'i.png')), 'video')).toBe('png');
  });
});
