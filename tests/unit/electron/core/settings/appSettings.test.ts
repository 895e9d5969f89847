import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  openSettings,
  readSavedChosenFfmpeg,
} from '../../../../../electron/core/settings/appSettings';
import { createLogger, type LogLevel } from '../../../../../shared/redact';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
let lines: { level: LogLevel; line: string }[];
const logger = () => createLogger('settings', (level, line) => lines.push({ level, line }));
beforeEach(async () => {
  dir = await tempDir('settings-');
  lines = [];
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

  it("loads today's file (no version) and writes format 1 at the next change", async () => {
    // settings.json as RenderIO Desktop wrote it before formats were versioned:
    // writeJsonAtomic(file, settings), i.e. JSON.stringify of the whole settings object.
    const todays = {
      concurrency: { uploads: 3, remote: 4, downloads: 1 },
      outputDir: '/home/me/Converted',
      nameTemplate: '{name}-{preset}',
      collision: 'skip',
      mirrorTree: false,
      cleanupRemote: false,
      defaultPresetId: 'mp3',
    };
    const file = join(dir.path, 'settings.json');
    await writeFile(file, JSON.stringify(todays));
    const store = await openSettings(dir.path, {}, { logger: logger() });
    // Fields added since (notifications, theme, the chosen ffmpeg, poll bounds) take their defaults.
    const read = {
      ...todays,
      notifications: true,
      theme: 'system',
      chosenFfmpeg: null,
      kindDefaults: { video: 'mp4-h264', audio: 'mp3', image: 'image-jpg' },
      pollIntervalSeconds: { min: 0.25, max: 60 },
    };
    expect(store.get()).toEqual(read);
    expect(lines).toEqual([]);
    // Read as it is; written in today's format with the next change only.
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(todays));
    await store.update({ mirrorTree: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      ...read,
      mirrorTree: true,
    });
    expect((await openSettings(dir.path)).get()).toEqual({ ...read, mirrorTree: true });
    expect(await readdir(dir.path)).toEqual(['settings.json']);
  });

  it('keeps an unreadable file aside, says where, and starts from the defaults', async () => {
    const file = join(dir.path, 'settings.json');
    await writeFile(file, '{"collision": "skip", ');
    const store = await openSettings(dir.path, {}, { logger: logger() });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    const aside = (await readdir(dir.path)).find((n) => n.startsWith('settings.json.unreadable-'));
    expect(await readFile(join(dir.path, aside!), 'utf8')).toBe('{"collision": "skip", ');
    expect(lines).toEqual([
      {
        level: 'error',
        line: `[settings] the settings (settings.json) cannot be used because it is not JSON; it was kept as ${aside} and a fresh one is used`,
      },
    ]);
    // The next change writes a fresh file; the one kept aside stays.
    await store.update({ collision: 'overwrite' });
    expect(await readdir(dir.path)).toEqual(expect.arrayContaining(['settings.json', aside]));
  });

  it('keeps a file from a newer version aside rather than dropping what it does not know', async () => {
    const newer = JSON.stringify({ version: 2, output: { dir: '/x' } });
    await writeFile(join(dir.path, 'settings.json'), newer);
    const store = await openSettings(dir.path, {}, { logger: logger() });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    const aside = (await readdir(dir.path)).find((n) => n.startsWith('settings.json.newer-'));
    expect(await readFile(join(dir.path, aside!), 'utf8')).toBe(newer);
    expect(lines[0]?.line).toMatch(/newer RenderIO Desktop \(format 2; this one reads up to 1\)/);
  });

  it('names the fields it left out of a damaged file and keeps a copy of it', async () => {
    const damaged = JSON.stringify({ version: 1, collision: 'sideways', mirrorTree: false });
    await writeFile(join(dir.path, 'settings.json'), damaged);
    const store = await openSettings(dir.path, {}, { logger: logger() });
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, mirrorTree: false });
    const copy = (await readdir(dir.path)).find((n) => n.includes('.partly-unreadable-'));
    expect(await readFile(join(dir.path, copy!), 'utf8')).toBe(damaged);
    expect(lines).toEqual([
      {
        level: 'warn',
        line: `[settings] the settings (settings.json): left out what could not be read ("collision"); the file as it was is kept as ${copy}`,
      },
    ]);
  });

  describe('chosenFfmpeg (where the ffmpeg comes from)', () => {
    it('is automatic (null) by default, and a chosen absolute path is saved and read back', async () => {
      expect(DEFAULT_SETTINGS.chosenFfmpeg).toBeNull();
      const store = await openSettings(dir.path);
      const path = '/opt/my ffmpeg ü/ffmpeg';
      await store.update({ chosenFfmpeg: path });
      expect((await openSettings(dir.path)).get().chosenFfmpeg).toBe(path);
      expect(await readSavedChosenFfmpeg(dir.path)).toBe(path);
      // Flat in format 1, beside the other fields, so older builds find theirs where they were.
      const saved = JSON.parse(await readFile(join(dir.path, 'settings.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(saved).toMatchObject({ version: 1, chosenFfmpeg: path, collision: 'rename' });
      await store.update({ chosenFfmpeg: null });
      expect((await openSettings(dir.path)).get().chosenFfmpeg).toBeNull();
      expect(await readSavedChosenFfmpeg(dir.path)).toBeNull();
    });

    it('refuses a relative path, an empty one, one with NUL, and a non-string', async () => {
      const store = await openSettings(dir.path);
      await expect(store.update({ chosenFfmpeg: 'bin/ffmpeg' })).rejects.toThrow(
        /chosenFfmpeg: The ffmpeg path must be absolute/,
      );
      await expect(store.update({ chosenFfmpeg: '' })).rejects.toThrow(/chosenFfmpeg/);
      await expect(store.update({ chosenFfmpeg: '/x/ff\0mpeg' })).rejects.toThrow(/NUL/);
      await expect(store.update({ chosenFfmpeg: 7 })).rejects.toThrow(/chosenFfmpeg/);
      expect(store.get().chosenFfmpeg).toBeNull();
    });

    it('a hand-edited bad value falls back to automatic and keeps the other fields', async () => {
      await writeFile(
        join(dir.path, 'settings.json'),
        JSON.stringify({ version: 1, chosenFfmpeg: 'ffmpeg', collision: 'skip' }),
      );
      expect(await readSavedChosenFfmpeg(dir.path)).toBeNull();
      const store = await openSettings(dir.path, {}, { logger: logger() });
      expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, collision: 'skip' });
      expect(lines[0]?.line).toContain('"chosenFfmpeg"');
    });

    it('reading the saved choice before the store opens never throws', async () => {
      expect(await readSavedChosenFfmpeg(dir.path)).toBeNull(); // no file
      await writeFile(join(dir.path, 'settings.json'), '{"chosenFfmpeg": ');
      expect(await readSavedChosenFfmpeg(dir.path)).toBeNull();
      await writeFile(join(dir.path, 'settings.json'), 'null');
      expect(await readSavedChosenFfmpeg(dir.path)).toBeNull();
    });
  });

  it('poll interval bounds: saved and reloaded; each range, and min above max, refused with a reason', async () => {
    const file = join(dir.path, 'settings.json');
    const store = await openSettings(dir.path);
    expect(store.get().pollIntervalSeconds).toEqual({ min: 0.25, max: 60 });
    await store.update({ pollIntervalSeconds: { min: 2, max: 30 } });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      version: 1,
      pollIntervalSeconds: { min: 2, max: 30 },
    });
    // One bound alone is checked against the other one held.
    await expect(store.update({ pollIntervalSeconds: { min: 45 } })).rejects.toThrow(
      'Invalid settings: pollIntervalSeconds: the shortest poll interval (45 s) is longer than the longest (30 s)',
    );
    await expect(store.update({ pollIntervalSeconds: { min: 9, max: 3 } })).rejects.toThrow(
      /the shortest poll interval \(9 s\) is longer than the longest \(3 s\)/,
    );
    await expect(store.update({ pollIntervalSeconds: { min: 0.1 } })).rejects.toThrow(
      'pollIntervalSeconds.min: The shortest poll interval must be between 0.25 and 300 seconds',
    );
    await expect(store.update({ pollIntervalSeconds: { max: 7200 } })).rejects.toThrow(
      'pollIntervalSeconds.max: The longest poll interval must be between 1 and 3600 seconds',
    );
    await expect(store.update({ pollIntervalSeconds: { max: Number.NaN } })).rejects.toThrow(
      /pollIntervalSeconds.max/,
    );
    await expect(store.update({ pollIntervalSeconds: { min: '5' } })).rejects.toThrow(
      /must be a number of seconds/,
    );
    await store.update({ pollIntervalSeconds: { max: 40 } });
    expect((await openSettings(dir.path)).get().pollIntervalSeconds).toEqual({ min: 2, max: 40 });
  });

  it('a hand-edited file with the bounds reversed falls back to the default bounds and keeps the rest', async () => {
    const damaged = JSON.stringify({
      version: 1,
      mirrorTree: false,
      pollIntervalSeconds: { min: 50, max: 10 },
    });
    await writeFile(join(dir.path, 'settings.json'), damaged);
    const store = await openSettings(dir.path, {}, { logger: logger() });
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, mirrorTree: false });
    expect(lines[0]?.line).toMatch(/left out what could not be read \("pollIntervalSeconds"\)/);
    // Half a pair that does not fit the default other half is left out too.
    await writeFile(
      join(dir.path, 'settings.json'),
      JSON.stringify({ version: 1, pollIntervalSeconds: { min: 120 } }),
    );
    expect((await openSettings(dir.path)).get().pollIntervalSeconds).toEqual({
      min: 0.25,
      max: 60,
    });
  });
});
