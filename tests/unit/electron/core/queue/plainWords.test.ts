import { describe, expect, it } from 'vitest';
import { inPlainWords } from '../../../../../electron/core/queue/plainWords';

const local = { local: true };

describe("a job's error in plain words", () => {
  it('calls the engine "this computer\'s converter" on this computer, and only there', () => {
    expect(inPlainWords('RenderIO could not read the file', local)).toBe(
      "This computer's converter could not read the file",
    );
    expect(
      inPlainWords('Server error 500 from POST http://127.0.0.1:41234/api/v1/files/upload', local),
    ).toBe("Server error 500 from POST this computer's converter");
    expect(inPlainWords('RenderIO could not read the file', { local: false })).toBe(
      'RenderIO could not read the file',
    );
    expect(inPlainWords('Made by RenderIO Desktop', local)).toBe('Made by RenderIO Desktop');
  });

  it("keeps a path's folders as they are: the app's own data folder is named RenderIO", () => {
    for (const path of [
      '/home/a/.config/RenderIO/engine',
      '/Users/a/Library/Application Support/RenderIO/engine',
      'C:\\Users\\a\\AppData\\Roaming\\RenderIO\\engine',
      '/media/a/RenderIO',
    ])
      expect(
        inPlainWords(
          `Disk full: the disk this converter keeps its files on (${path}) has no room left.`,
          local,
        ),
      ).toBe(`Disk full: the disk this converter keeps its files on (${path}) has no room left.`);
  });

  it('puts errno codes in words', () => {
    expect(inPlainWords('Cannot write out.mp4 (ENOSPC)', local)).toBe(
      'Cannot write out.mp4: the disk is full',
    );
  });
});
