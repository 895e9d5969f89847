import { describe, expect, it } from 'vitest';
import {
  shortResultWarning,
  shortensOnPurpose,
} from '../../../../../electron/core/queue/shortResult';

const WEBM = '-i {{in_file}} -c:v libvpx-vp9 -c:a libopus {{out_video}}';
const video = (seconds: number | null) => ({ kind: 'video' as const, seconds });

describe('a result much shorter than its source', () => {
  it('is said, with both lengths, for an output of the source kind', () => {
    expect(shortResultWarning(video(20), [{ name: null, ...video(6.95) }], WEBM)).toBe(
      'The result is 0:07 long, its source 0:20. The source may be damaged or cut short ' +
        '(ffmpeg converts what it can read), or its tracks end at different times.',
    );
  });

  it('names the short outputs when a preset makes several', () => {
    const said = shortResultWarning(
      video(3600),
      [
        { name: 'talk-small.mp4', ...video(1200) },
        { name: 'talk-poster.jpg', kind: 'image', seconds: null },
      ],
      WEBM,
    );
    expect(said).toMatch(/^talk-small\.mp4 is 20:00 long, its source 1:00:00\. /);
    expect(said).not.toContain('poster');
  });

  it('is not said for rounding, frame rates or a short clip', () => {
    // A GIF at 10 fps of a 20 s clip ends on its last tenth; a 2 s clip has nothing to judge.
    expect(shortResultWarning(video(20), [{ name: null, ...video(19.9) }], WEBM)).toBeNull();
    expect(shortResultWarning(video(10), [{ name: null, ...video(9.2) }], WEBM)).toBeNull();
    expect(shortResultWarning(video(2.5), [{ name: null, ...video(0.5) }], WEBM)).toBeNull();
  });

  it('is not said when a length is unknown, or for another kind of output', () => {
    expect(shortResultWarning(video(null), [{ name: null, ...video(1) }], WEBM)).toBeNull();
    expect(shortResultWarning(video(20), [{ name: null, ...video(null) }], WEBM)).toBeNull();
    expect(shortResultWarning(undefined, [{ name: null, ...video(1) }], WEBM)).toBeNull();
    // The soundtrack of a video may end long before its picture.
    const sound = { name: null, kind: 'audio' as const, seconds: 5 };
    expect(shortResultWarning(video(20), [sound], WEBM)).toBeNull();
  });

  it('is not said for a preset that shortens on purpose', () => {
    for (const command of [
      '-i {{in_file}} -t 10 {{out_video}}',
      '-ss 5 -i {{in_file}} {{out_video}}',
      '-i {{in_file}} -to 00:00:10 {{out_video}}',
      '-i {{in_file}} -frames:v 100 {{out_video}}',
      '-i {{in_file}} -vframes 100 {{out_video}}',
      '-i {{in_file}} -shortest {{out_video}}',
      '-i {{in_file}} -vf "trim=0:5,setpts=PTS-STARTPTS" {{out_video}}',
      '-i {{in_file}} -filter:a atempo=2.0 {{out_audio}}',
      '-i {{in_file}} -vf "select=\'not(mod(n,2))\'" {{out_video}}',
    ])
      expect(shortensOnPurpose(command), command).toBe(true);
    for (const command of [
      WEBM,
      '-i {{in_file}} -c:v libx264 -tune film -preset veryfast {{out_video}}',
      '-i {{in_file}} -vf "fps=10,scale=480:-1" {{out_video}}',
      '-i {{in_file}} -vf selectivecolor=reds=0 {{out_video}}',
    ])
      expect(shortensOnPurpose(command), command).toBe(false);
    expect(
      shortResultWarning(video(20), [{ name: null, ...video(10) }], '-i {{in_file}} -t 10 {{o}}'),
    ).toBeNull();
  });
});
