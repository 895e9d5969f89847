/** Learned stage times kept between launches: read back, checked, set aside when bad. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StageTimes } from '../../../../../electron/core/queue/stageTimes';
import {
  openStageTimes,
  parseStageTimes,
  STAGE_TIMES_FILE,
} from '../../../../../electron/core/queue/stageTimesFile';
import { tempDir } from '../../../../support/media';

const MB = 1e6;
const slowProcessing = { uploading: 100, processing: 20_000, downloading: 100 };

describe('stage times file', () => {
  it('keeps what a launch learned: the next launch estimates as the last one ended', async () => {
    const dir = await tempDir();
    try {
      const warnings: string[] = [];
      const first = await openStageTimes(dir.path, (m) => warnings.push(m));
      expect(first.kept).toBeNull();
      const times = new StageTimes(first.kept, (s) => first.keep(s));
      const guess = times.estimate('local', 5 * MB).process;
      for (let i = 0; i < 3; i++) times.record('local', 5 * MB, slowProcessing);
      await first.flush();

      const second = await openStageTimes(dir.path, (m) => warnings.push(m));
      const again = new StageTimes(second.kept);
      expect(again.samples('local')).toBe(3);
      expect(again.samples('cloud')).toBe(0);
      expect(again.estimate('local', 5 * MB)).toEqual(times.estimate('local', 5 * MB));
      expect(again.estimate('local', 5 * MB).process).toBeGreaterThan(guess * 2);
      expect(warnings).toEqual([]);
      const onDisk = JSON.parse(await readFile(join(dir.path, STAGE_TIMES_FILE), 'utf8'));
      expect(onDisk.version).toBe(1);
    } finally {
      await dir.cleanup();
    }
  });

  it('sets a malformed file aside with a reason, and the first guesses stand', async () => {
    const dir = await tempDir();
    try {
      await writeFile(join(dir.path, STAGE_TIMES_FILE), '{"version":1,"logScale":');
      const warnings: string[] = [];
      const store = await openStageTimes(dir.path, (m) => warnings.push(m));
      expect(store.kept).toBeNull();
      expect(warnings).toEqual([
        `${STAGE_TIMES_FILE} set aside: it is not JSON; the first guesses stand`,
      ]);
      // The next record replaces it with a good one.
      const times = new StageTimes(store.kept, (s) => store.keep(s));
      times.record('cloud', MB, slowProcessing);
      await store.flush();
      expect((await openStageTimes(dir.path, () => undefined)).kept?.measured.cloud).toBe(1);
    } finally {
      await dir.cleanup();
    }
  });

  it('refuses each bad field by name: version, counts, scales out of range or not numbers', () => {
    const good = {
      version: 1,
      logScale: {
        local: { upload: 0, wait: 0, process: 1, download: 0 },
        cloud: { upload: 0, wait: 0, process: 0, download: 0 },
      },
      measured: { local: 2, cloud: 0 },
    };
    expect(parseStageTimes(JSON.stringify(good))).toMatchObject({ ok: true });
    const bad = (change: (o: typeof good) => unknown): string => {
      const copy = structuredClone(good);
      change(copy);
      const parsed = parseStageTimes(JSON.stringify(copy));
      return parsed.ok ? 'accepted' : parsed.reason;
    };
    expect(bad((o) => (o.version = 2))).toBe('unknown version 2');
    expect(bad((o) => (o.measured.local = -1))).toBe('measured.local is not a count');
    expect(bad((o) => (o.measured.cloud = 1.5))).toBe('measured.cloud is not a count');
    expect(bad((o) => (o.logScale.local.process = 100))).toBe(
      'logScale.local.process is out of range',
    );
    expect(bad((o) => ((o.logScale.cloud as Record<string, unknown>).wait = 'x'))).toBe(
      'logScale.cloud.wait is out of range',
    );
    expect(parseStageTimes('null')).toEqual({ ok: false, reason: 'it is not an object' });
  });
});
