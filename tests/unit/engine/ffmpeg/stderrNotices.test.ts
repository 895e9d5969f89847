import { describe, expect, it } from 'vitest';
import { isNotice, StderrNotices } from '../../../../engine/ffmpeg/stderrNotices';

// ffmpeg 5.1's stderr for the GIF preset on a one-frame video (exit code 0), shortened.
const ONE_FRAME_GIF = [
  "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from './inputs/in_file.mp4':",
  '  Metadata:',
  '    title           : an error in the title is no error',
  '  Stream #0:0[0x1](und): Video: h264 (High), yuv420p(progressive), 320x240, 25 fps (default)',
  'Stream mapping:',
  '  Stream #0:0 (h264) -> fps:default',
  "Output #0, gif, to './out.gif':",
  '  Stream #0:0(und): Video: gif, pal8, 320x240 [SAR 1:1 DAR 4:3], q=2-31, 200 kb/s, 10 fps',
  'Error writing trailer of ./out.gif: Invalid argument',
  'frame=    0 fps=0.0 q=0.0 Lsize=       0kB time=00:00:00.00 bitrate=N/A speed=   0x    ',
  'video:0kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown',
  'Output file is empty, nothing was encoded (check -ss / -t / -frames parameters if used)',
].join('\n');

describe('StderrNotices', () => {
  it("keeps ffmpeg's warnings and errors and drops its report of streams", () => {
    const notices = new StderrNotices();
    // In pieces that split lines, as a pipe delivers them.
    for (let i = 0; i < ONE_FRAME_GIF.length; i += 37) notices.push(ONE_FRAME_GIF.slice(i, i + 37));
    expect(notices.lines()).toEqual([
      'Error writing trailer of ./out.gif: Invalid argument',
      'Output file is empty, nothing was encoded (check -ss / -t / -frames parameters if used)',
    ]);
  });

  it('keeps the first and the last lines of a long run, drops repeats, and says how many it left out', () => {
    const notices = new StderrNotices();
    notices.push('Trailing option(s) found in the command: may be ignored.\r');
    for (let i = 0; i < 30; i++)
      notices.push(`[mp4 @ 0x1] Invalid DTS ${i}\n[mp4 @ 0x1] Invalid DTS ${i}\n`);
    notices.push('Error writing trailer of ./a.mp4: Invalid argument');
    const lines = notices.lines();
    expect(lines[0]).toBe('Trailing option(s) found in the command: may be ignored.');
    expect(lines.slice(1, 4)).toEqual([0, 1, 2].map((i) => `[mp4 @ 0x1] Invalid DTS ${i}`));
    expect(lines[4]).toBe('(20 more such lines)');
    expect(lines.at(-1)).toBe('Error writing trailer of ./a.mp4: Invalid argument');
    expect(lines).toHaveLength(4 + 1 + 8);
  });

  it('tells notices from the report', () => {
    expect(isNotice('Output file #0 does not contain any stream')).toBe(true);
    expect(isNotice('    comment         : could not be better')).toBe(false);
  });
});
