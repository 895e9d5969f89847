/**
 * electron-builder afterPack hook: makes the packaged ffmpeg and ffprobe executable. Some of
 * the npm packages they come from ship ffprobe as 0644 and set the bit in a postinstall script,
 * which this project does not run (package.json "allowScripts"), and extraResources copies
 * files with the mode they have. Fails the build if either binary is missing, so a package
 * without ffmpeg is never made by mistake.
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export default async function ffmpegAfterPack(context) {
  const resources = context.packager.getResourcesDir(context.appOutDir);
  const exe = context.electronPlatformName === 'win32' ? '.exe' : '';
  for (const tool of ['ffmpeg', 'ffprobe']) {
    const path = join(resources, 'ffmpeg', `${tool}${exe}`);
    if (!existsSync(path))
      throw new Error(
        `${tool} is missing from the package (${path}): run npm ci for the target platform ` +
          '(npm ci --os=<darwin|linux|win32> --cpu=<x64|arm64>), see docs/FFMPEG.md',
      );
    if (!exe) chmodSync(path, 0o755);
  }
}
