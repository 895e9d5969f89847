import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, openSettings } from '../../../../../electron/core/settings/appSettings';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await tempDir('settings-');
});
afterEach(async () => {
  await dir.cleanup();
});

describe('app settings', () => {
  it('starts with defaults, persists updates and reloads them', async () => {
    const store = await openSettings(dir.path);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    const seen: number[] = [];
    store.subscribe((s) => seen.push(s.concurrency.uploads));
    await store.update({
      concurrency: { uploads: 4 },
      collision: 'skip',
      outputDir: '/tmp/out',
      cleanupRemote: false,
    });
    expect(seen).toEqual([4]);
    const again = await openSettings(dir.path);
    expect(again.get()).toMatchObject({
      concurrency: { uploads: 4, remote: 2, downloads: 2 },
      collision: 'skip',
      outputDir: '/tmp/out',
      cleanupRemote: false,
    });
  });

  it('refuses bad values with a readable message and keeps the old ones', async () => {
    const store = await openSettings(dir.path);
    await expect(store.update({ concurrency: { uploads: 0 } })).rejects.toThrow(
      /concurrency.uploads/,
    );
    await expect(store.update({ nameTemplate: '{bogus}' })).rejects.toThrow(/Unknown token/);
    await expect(store.update({ surprise: true })).rejects.toThrow(/Invalid settings/);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps the good fields of a damaged file, and session overrides are not written', async () => {
    await writeFile(
      join(dir.path, 'settings.json'),
      JSON.stringify({ collision: 'overwrite', concurrency: { uploads: -3 }, nameTemplate: 7 }),
    );
    const store = await openSettings(dir.path, { concurrency: { remote: 5 } });
    expect(store.get().collision).toBe('overwrite');
    expect(store.get().concurrency).toEqual({ uploads: 2, remote: 5, downloads: 2 });
    await store.update({ mirrorTree: false });
    const saved = JSON.parse(await readFile(join(dir.path, 'settings.json'), 'utf8')) as {
      concurrency: { remote: number };
    };
    expect(saved.concurrency.remote).toBe(2);
  });
});
