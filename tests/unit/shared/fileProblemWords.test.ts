import { describe, expect, it } from 'vitest';
import { errnoCodesInWords, fileProblemWords } from '../../../shared/fileProblemWords';

describe('errno codes in words', () => {
  it('a name too long reads as that, without the system call or the (long) path', () => {
    const path = `/tmp/out/${'日本語の動画'.repeat(15)}.mp3`;
    expect(errnoCodesInWords(`ENAMETOOLONG: name too long, lstat '${path}'`)).toBe(
      'the file name is too long for this disk',
    );
    expect(
      errnoCodesInWords(
        `Could not save the result: ENAMETOOLONG: name too long, open '${path}.part'`,
      ),
    ).toBe('Could not save the result: the file name is too long for this disk');
    expect(fileProblemWords('ENAMETOOLONG')).toBe('the file name is too long for this disk');
  });

  it("Node's other messages lose the system call and keep the path", () => {
    expect(errnoCodesInWords("ENOENT: no such file or directory, open '/x/a.mp4'")).toBe(
      'it is not there any more: /x/a.mp4',
    );
    // An apostrophe inside the name does not end the path.
    expect(errnoCodesInWords("ENOENT: no such file or directory, stat '/x/it's a clip.mp4'")).toBe(
      "it is not there any more: /x/it's a clip.mp4",
    );
    expect(
      errnoCodesInWords("EACCES: permission denied, mkdir '/root/out'. Choose another folder."),
    ).toBe(
      'this computer does not allow it (permission denied): /root/out. Choose another folder.',
    );
    expect(
      errnoCodesInWords("EXDEV: cross-device link not permitted, rename '/a/b.part' -> '/c/b'"),
    ).toBe('it is on another disk: /a/b.part');
    for (const code of ['ENOSPC', 'EROFS', 'EISDIR', 'EBUSY', 'EIO'])
      expect(errnoCodesInWords(`${code}: whatever, write '/x/y'`)).toBe(
        `${fileProblemWords(code)}: /x/y`,
      );
  });

  it('codes in other shapes still become words', () => {
    expect(errnoCodesInWords('Cannot write out.mp4 (ENOSPC)')).toBe(
      'Cannot write out.mp4: the disk is full',
    );
    expect(errnoCodesInWords('ENOENT: no such file')).toBe('no such file');
    expect(errnoCodesInWords('failed with EACCES')).toBe(
      'failed with this computer does not allow it (permission denied)',
    );
  });
});
