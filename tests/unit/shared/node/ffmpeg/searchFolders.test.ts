/** The usual install folders per OS, and PATH as each OS spells it. */
import { describe, expect, it } from 'vitest';
import { commonFolders, pathFolders } from '../../../../../shared/node/ffmpeg';

describe('commonFolders', () => {
  it('macOS: Homebrew (Apple silicon and Intel) and MacPorts', () => {
    expect(commonFolders({}, 'darwin')).toEqual([
      '/opt/homebrew/bin',
      '/usr/local/bin',
      '/opt/local/bin',
    ]);
  });

  it('Windows: winget links, Chocolatey, Scoop shims, Program Files', () => {
    const env = {
      LOCALAPPDATA: 'C:\\Users\\Ana\\AppData\\Local',
      USERPROFILE: 'C:\\Users\\Ana',
      ProgramData: 'C:\\ProgramData',
      ProgramFiles: 'C:\\Program Files',
    };
    expect(commonFolders(env, 'win32')).toEqual([
      'C:\\Users\\Ana\\AppData\\Local\\Microsoft\\WinGet\\Links',
      'C:\\ProgramData\\chocolatey\\bin',
      'C:\\Users\\Ana\\scoop\\shims',
      'C:\\Program Files\\ffmpeg\\bin',
    ]);
  });

  it('Linux: the distribution, /usr/local and snaps', () => {
    expect(commonFolders({}, 'linux')).toEqual(['/usr/bin', '/usr/local/bin', '/snap/bin']);
  });
});

describe('pathFolders', () => {
  it('splits on ":" and leaves out empty and relative entries', () => {
    expect(pathFolders({ PATH: '/usr/bin::.:bin:/opt/x' }, 'linux')).toEqual([
      '/usr/bin',
      '/opt/x',
    ]);
  });

  it('Windows: "Path" in any case, ";" between folders, quotes dropped', () => {
    expect(
      pathFolders({ Path: 'C:\\Windows;"C:\\Program Files\\ffmpeg\\bin";;' }, 'win32'),
    ).toEqual(['C:\\Windows', 'C:\\Program Files\\ffmpeg\\bin']);
  });
});
