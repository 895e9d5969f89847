/**
 * Where the packaged app carries its own ffmpeg: `<resources>/ffmpeg/ffmpeg[.exe]` and
 * `ffprobe[.exe]`, outside the asar archive (a program inside an archive cannot be run).
 * electron-builder.yml copies them there from the per-platform npm packages below; the app's
 * wiring passes `bundledFfmpegDir(process.resourcesPath)` as the resolver's `bundledDir`.
 */
import { join } from 'node:path';

export const BUNDLED_FFMPEG_FOLDER = 'ffmpeg';

export function bundledFfmpegDir(resourcesPath: string): string {
  return join(resourcesPath, BUNDLED_FFMPEG_FOLDER);
}

/**
 * The npm packages that carry each platform's binaries (docs/FFMPEG.md says why these).
 * npm installs only the current platform's (optionalDependencies with os/cpu).
 */
export const FFMPEG_PACKAGES = {
  ffmpeg: (platform: string, arch: string) => `@ffmpeg-installer/${platform}-${arch}`,
  ffprobe: (platform: string, arch: string) => `@ffprobe-installer/${platform}-${arch}`,
} as const;

/** The platforms packaged with ffmpeg; Windows on ARM runs the x64 build under emulation. */
export const PACKAGED_PLATFORMS: readonly { platform: string; arch: string }[] = [
  { platform: 'linux', arch: 'x64' },
  { platform: 'linux', arch: 'arm64' },
  { platform: 'darwin', arch: 'x64' },
  { platform: 'darwin', arch: 'arm64' },
  { platform: 'win32', arch: 'x64' },
];
