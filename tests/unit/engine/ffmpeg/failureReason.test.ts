import { describe, expect, it } from 'vitest';
import { failureReason, withoutContextTags } from '../../../../engine/ffmpeg/failureReason';
import { StderrNotices } from '../../../../engine/ffmpeg/stderrNotices';

/** ffmpeg 5.1 copying QuickTime RLE into MP4: the report, then the cause, then its echoes. */
const QTRLE_INTO_MP4 = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from './inputs/in_file.mov':
  Metadata:
    major_brand     : qt
    encoder         : Lavf59.27.100
  Duration: 00:00:01.00, start: 0.000000, bitrate: 12646 kb/s
  Stream #0:0[0x1]: Video: qtrle (rle  / 0x20656C72), argb(progressive), 320x240, 25 fps (default)
    Metadata:
      handler_name    : VideoHandler
[mp4 @ 0x55e0a0d52780] Could not find tag for codec qtrle in stream #0, codec not currently supported in container
Could not write header for output file #0 (incorrect codec parameters ?): Invalid argument
Error initializing output stream 0:0 --
Stream mapping:
  Stream #0:0 -> #0:0 (copy)
    Last message repeated 1 times`;

function noticesOf(stderr: string): string[] {
  const n = new StderrNotices();
  n.push(stderr);
  return n.lines();
}

describe('failureReason', () => {
  it('gives the cause and its first echo in one line, without the report or context tags', () => {
    expect(failureReason(noticesOf(QTRLE_INTO_MP4), QTRLE_INTO_MP4)).toBe(
      'Could not find tag for codec qtrle in stream #0, codec not currently supported in container; ' +
        'Could not write header for output file #0 (incorrect codec parameters ?): Invalid argument',
    );
  });

  it('prefers an error to a warning ffmpeg got past before it', () => {
    const stderr =
      '[aac @ 0x1] Too many bits per frame requested, clamping to max\n' +
      'palette.png: No such file or directory';
    expect(failureReason(noticesOf(stderr), stderr)).toBe('palette.png: No such file or directory');
  });

  it("falls back to ffmpeg's last line, or says there was none", () => {
    expect(failureReason([], 'Input #0, wav\n  Duration: 00:00:01.00\nKilled')).toBe('Killed');
    expect(failureReason([], '')).toBe('ffmpeg gave no reason');
  });

  it('drops context tags anywhere in a text', () => {
    expect(
      withoutContextTags('Not readable: [qtrle @ 0x5592721da9c0] Unsupported colorspace'),
    ).toBe('Not readable: Unsupported colorspace');
  });
});
