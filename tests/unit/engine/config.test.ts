import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, defaultLocalConcurrency, resolveConfig } from '../../../engine/config';

describe('resolveConfig', () => {
  it('defaults: half the cores (2 to 4) at once, 127.0.0.1, 1 h per command, 7 days of outputs', () => {
    const c = resolveConfig({ dataDir: 'data' });
    expect(c.concurrency).toBe(defaultLocalConcurrency(availableParallelism()));
    expect(c.host).toBe('127.0.0.1');
    expect(c.commandTimeoutMs).toBe(60 * 60 * 1000);
    // A run is stopped after 10 minutes without progress (runFfmpeg's stall limit).
    expect(c.stallTimeoutMs).toBe(10 * 60 * 1000);
    expect(c.outputRetentionHours).toBe(168);
    expect(c.uploadLimitBytes).toBe(DEFAULTS.uploadLimitBytes);
    expect(c.keepFreeBytes).toBe(64 * 1024 * 1024);
  });

  it('the default concurrency: at least 2 (short jobs overlap), at most 4 (ffmpeg threads itself)', () => {
    expect([1, 2, 3, 4, 6, 8, 16, 64].map((cores) => defaultLocalConcurrency(cores))).toEqual([
      2, 2, 2, 2, 3, 4, 4, 4,
    ]);
  });

  it("the ffmpeg search: the chosen paths become the resolver's choice", () => {
    const c = resolveConfig({ dataDir: 'data', ffmpegPath: '/opt/ff/ffmpeg' });
    expect(c.ffmpegSearch).toMatchObject({ chosenFfmpeg: '/opt/ff/ffmpeg', chosenFfprobe: null });
  });

  it('takes the settings it is given and refuses nonsense', () => {
    const c = resolveConfig({
      dataDir: 'data',
      concurrency: 3,
      commandTimeoutMs: 5000,
      stallTimeoutMs: 1500,
    });
    expect(c).toMatchObject({ concurrency: 3, commandTimeoutMs: 5000, stallTimeoutMs: 1500 });
    expect(() => resolveConfig({ dataDir: 'data', stallTimeoutMs: 0 })).toThrow(
      'stallTimeoutMs must be a positive number',
    );
    expect(() => resolveConfig({ dataDir: 'data', concurrency: 0 })).toThrow(
      'concurrency must be a positive number',
    );
    expect(() => resolveConfig({ dataDir: '' })).toThrow('dataDir is required');
    // Nothing kept free is a choice (a disk of its own); less than nothing is not.
    expect(resolveConfig({ dataDir: 'data', keepFreeBytes: 0 }).keepFreeBytes).toBe(0);
    expect(() => resolveConfig({ dataDir: 'data', keepFreeBytes: -1 })).toThrow(
      'keepFreeBytes must be 0 or more',
    );
  });
});
