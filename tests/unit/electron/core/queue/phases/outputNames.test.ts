import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { nameNotHeld, namesHeldIn } from '../../../../../../electron/core/queue/phases/outputNames';
import { job } from '../../../../renderer/jobFixture';

const DIR = '/media/shoot';

describe('output names held by the queue', () => {
  it("holds every job's source in the folder, and the other jobs' outputs chosen or written", () => {
    const self = job('self', { sourcePath: join(DIR, 'clip.mov') });
    const other = job('other', {
      sourcePath: join(DIR, 'Clip.mp4'),
      outputPaths: [join(DIR, 'clip-poster.jpg'), '/elsewhere/clip-sound.mp3'],
    });
    other.remote.outputs = [
      { alias: 'out_a', fileId: null, url: null, filename: 'a.mp3', localName: 'clip-mp3.mp3' },
      {
        alias: 'out_b',
        fileId: null,
        url: null,
        filename: 'b.mp3',
        localName: 'clip-b.mp3',
        commit: { path: join(DIR, 'clip-b (1).mp3'), bytes: 1 },
      },
    ];
    const held = namesHeldIn([self, other], DIR, self);
    expect([...held.keys()].sort()).toEqual([
      'clip-b (1).mp3',
      'clip-b.mp3',
      'clip-mp3.mp3',
      'clip-poster.jpg',
      'clip.mov',
      'clip.mp4',
    ]);
    // As written, for the protected paths.
    expect(held.get('clip.mp4')).toBe('Clip.mp4');
    // Another folder holds nothing of these.
    expect([...namesHeldIn([self, other], '/elsewhere', self).keys()]).toEqual(['clip-sound.mp3']);
  });

  it('an earlier job of the same source holds only the source', () => {
    const self = job('self', { sourcePath: join(DIR, 'clip.mp4') });
    const earlier = job('earlier', {
      sourcePath: join(DIR, 'clip.mp4'),
      outputPaths: [join(DIR, 'clip-mp3.mp3')],
    });
    expect([...namesHeldIn([earlier, self], DIR, self).keys()]).toEqual(['clip.mp4']);
  });

  it('numbers a held name, ignoring case as a case-insensitive disk does', () => {
    const held = new Map([
      ['clip.mp3', 'clip.mp3'],
      ['clip (1).mp3', 'Clip (1).mp3'],
    ]);
    expect(nameNotHeld('song.mp3', held)).toBe('song.mp3');
    expect(nameNotHeld('CLIP.mp3', held)).toBe('CLIP (2).mp3');
  });
});
