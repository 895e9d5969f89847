/**
 * The ffmpeg `npm run dist` packages: electron-builder.yml carries ffmpeg and ffprobe for every
 * platform and architecture we ship, from the npm packages package.json and the lock declare
 * (with matching os/cpu, so `npm ci` installs only this platform's), the files exist here after
 * `npm ci`, and the afterPack hook leaves them runnable: this platform's pair, set up as in a
 * package, is found as 'bundled' and answers the capability check.
 */
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FFMPEG_PACKAGES,
  PACKAGED_PLATFORMS,
  bundledFfmpegDir,
  findLocalFfmpeg,
  presetAvailability,
} from '../../../shared/node/ffmpeg';
import { findPreset } from '../../../shared/presets';
import { tempDir } from '../../support/media';

const root = resolve(import.meta.dirname, '../../..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  optionalDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version: string; os?: string[]; cpu?: string[]; optional?: boolean }>;
};
let afterPack: (context: unknown) => Promise<void>;
beforeAll(async () => {
  // The hook electron-builder loads, loaded the same way (a dynamic import of the file).
  const hook = (await import(pathToFileURL(join(root, 'scripts/ffmpegAfterPack.mjs')).href)) as {
    default: typeof afterPack;
  };
  afterPack = hook.default;
});

/** electron-builder's section name for each Node platform name. */
const SECTION = { darwin: 'mac', linux: 'linux', win32: 'win' } as Record<string, string>;

interface ResourceCopy {
  from: string;
  to: string;
}

function copiesFor(platform: string, arch: string): ResourceCopy[] {
  const section = config[SECTION[platform]!] as { extraResources?: ResourceCopy[] };
  return (section.extraResources ?? []).map((c) => ({
    from: c.from.replaceAll('${arch}', arch),
    to: c.to,
  }));
}

describe('electron-builder.yml', () => {
  it('is a configuration electron-builder accepts', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it.each(PACKAGED_PLATFORMS.map((p) => [`${p.platform}-${p.arch}`, p] as const))(
    '%s: ffmpeg and ffprobe go to <resources>/ffmpeg from their npm packages',
    (_name, { platform, arch }) => {
      const exe = platform === 'win32' ? '.exe' : '';
      expect(copiesFor(platform, arch)).toEqual(
        expect.arrayContaining([
          {
            from: `node_modules/${FFMPEG_PACKAGES.ffmpeg(platform, arch)}/ffmpeg${exe}`,
            to: `ffmpeg/ffmpeg${exe}`,
          },
          {
            from: `node_modules/${FFMPEG_PACKAGES.ffprobe(platform, arch)}/ffprobe${exe}`,
            to: `ffmpeg/ffprobe${exe}`,
          },
        ]),
      );
    },
  );

  it('ships the third-party notices and runs the hook that makes the binaries runnable', () => {
    expect(config.extraResources).toContainEqual({
      from: 'THIRD-PARTY-NOTICES.md',
      to: 'THIRD-PARTY-NOTICES.md',
    });
    expect(config.afterPack).toBe('./scripts/ffmpegAfterPack.mjs');
  });
});

describe('the npm packages', () => {
  it.each(
    PACKAGED_PLATFORMS.flatMap(({ platform, arch }) =>
      [FFMPEG_PACKAGES.ffmpeg(platform, arch), FFMPEG_PACKAGES.ffprobe(platform, arch)].map(
        (name) => [name, platform, arch] as const,
      ),
    ),
  )('%s: optional, pinned, no install script, os/cpu in the lock', (name, platform, arch) => {
    const version = pkg.optionalDependencies[name];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.allowScripts[name]).toBe(false);
    expect(lock.packages[`node_modules/${name}`]).toMatchObject({
      version,
      optional: true,
      os: [platform],
      cpu: [arch],
    });
  });

  it("this platform's files exist after npm ci", async () => {
    const here = PACKAGED_PLATFORMS.find(
      (p) => p.platform === process.platform && p.arch === process.arch,
    );
    expect(here).toBeDefined();
    for (const copy of copiesFor(here!.platform, here!.arch)) {
      if (!copy.from.startsWith('node_modules/')) continue;
      const info = await stat(join(root, copy.from));
      expect(info.size).toBeGreaterThan(1_000_000);
    }
  });
});

describe("this platform's packaged pair, laid out as in the package", () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let resources: string;
  beforeAll(async () => {
    dir = await tempDir('renderio-packaged-');
    resources = join(dir.path, 'resources');
    await mkdir(bundledFfmpegDir(resources), { recursive: true });
    for (const copy of copiesFor(process.platform, process.arch))
      if (copy.from.startsWith('node_modules/'))
        await copyFile(join(root, copy.from), join(resources, copy.to));
    await afterPack({
      appOutDir: dir.path,
      electronPlatformName: process.platform,
      packager: { getResourcesDir: () => resources },
    });
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('afterPack leaves both runnable', async () => {
    for (const tool of ['ffmpeg', 'ffprobe'])
      expect((await stat(join(resources, 'ffmpeg', tool))).mode & 0o111).toBe(0o111);
  });

  it("is found as 'bundled' ahead of PATH and answers as ffmpeg", async () => {
    const local = await findLocalFfmpeg({ bundledDir: bundledFfmpegDir(resources) });
    expect(local).toMatchObject({
      available: true,
      ffmpeg: { source: 'bundled' },
      ffprobe: { source: 'bundled', besideFfmpeg: true },
    });
    if (!local.available) return;
    expect(local.capabilities.license).toBe('GPL');
    // What this old build (docs/FFMPEG.md) costs: no SVT-AV1, and scale lacks
    // force_divisible_by, so the AV1 and downscaling presets are marked unavailable.
    expect(presetAvailability(findPreset('mp4-h264')!, local.capabilities)).toEqual({
      available: true,
    });
    expect(presetAvailability(findPreset('mp4-av1')!, local.capabilities)).toMatchObject({
      available: false,
      reason: 'this ffmpeg has no SVT-AV1 encoder (libsvtav1)',
    });
    expect(presetAvailability(findPreset('mp4-720p')!, local.capabilities)).toMatchObject({
      available: false,
    });
  });

  it('afterPack refuses to make a package without ffmpeg', async () => {
    const empty = join(dir.path, 'empty-resources');
    await mkdir(empty, { recursive: true });
    await expect(
      afterPack({
        appOutDir: dir.path,
        electronPlatformName: 'linux',
        packager: { getResourcesDir: () => empty },
      }),
    ).rejects.toThrow(/ffmpeg is missing from the package/);
  });
});
