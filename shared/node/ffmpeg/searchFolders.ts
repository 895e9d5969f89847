/**
 * Where ffmpeg is looked for when nobody named it: the folders of PATH, then the folders the
 * usual installers put it in. The second list matters because PATH is not what a shell has:
 * an app started from the macOS Finder or Dock gets launchd's PATH (/usr/bin:/bin:/usr/sbin:
 * /sbin), without Homebrew's folders, and a Windows app started before `winget install`
 * finished keeps the PATH it started with.
 */
import { posix, win32 } from 'node:path';

export type Env = Record<string, string | undefined>;

/** The executable's file name on this platform: `ffmpeg` or `ffmpeg.exe`. */
export function executableName(tool: 'ffmpeg' | 'ffprobe', platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${tool}.exe` : tool;
}

export function pathModule(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/** Windows spells variables in any case (`Path`, `PATH`); elsewhere the case is exact. */
function envValue(env: Env, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

/** The folders of PATH, in order, without empty entries (an empty entry means "here"). */
export function pathFolders(env: Env, platform: NodeJS.Platform): string[] {
  const raw = envValue(env, 'PATH', platform) ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  return raw
    .split(delimiter)
    .map((folder) => folder.trim().replace(/^"(.*)"$/, '$1'))
    .filter((folder) => folder !== '' && pathModule(platform).isAbsolute(folder));
}

/**
 * The usual install folders of each OS. Windows: winget's links, Chocolatey's and Scoop's
 * shims, and the Program Files folder the gyan.dev / BtbN zips are usually unpacked into.
 */
export function commonFolders(env: Env, platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') return ['/opt/homebrew/bin', '/usr/local/bin', '/opt/local/bin'];
  if (platform === 'win32') {
    const { join } = win32;
    const folders: string[] = [];
    const localAppData = envValue(env, 'LOCALAPPDATA', platform);
    const userProfile = envValue(env, 'USERPROFILE', platform);
    const programData = envValue(env, 'ProgramData', platform) ?? 'C:\\ProgramData';
    const programFiles = envValue(env, 'ProgramFiles', platform) ?? 'C:\\Program Files';
    if (localAppData) folders.push(join(localAppData, 'Microsoft', 'WinGet', 'Links'));
    folders.push(join(programData, 'chocolatey', 'bin'));
    if (userProfile) folders.push(join(userProfile, 'scoop', 'shims'));
    folders.push(join(programFiles, 'ffmpeg', 'bin'));
    return folders;
  }
  return ['/usr/bin', '/usr/local/bin', '/snap/bin'];
}

/** What to tell a person who has none, per OS. */
export function installHint(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Install it with Homebrew (brew install ffmpeg)';
  if (platform === 'win32') return 'Install it with winget install ffmpeg';
  return 'Install it with your package manager (for example sudo apt install ffmpeg)';
}
