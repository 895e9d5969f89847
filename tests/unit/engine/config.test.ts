import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, resolveConfig } from '../../../engine/config';

describe('resolveConfig', () => {
  it('defaults: one command per core, 127.0.0.1, 1 h per command, 7 days of outputs', () => {
    const c = resolveConfig({ dataDir: 'data' });
    expect(c.concurrency).toBe(availableParallelism());
    expect(c.host).toBe('127.0.0.1');
    expect(c.commandTimeoutMs).toBe(60 * 60 * 1000);
    expect(c.outputRetentionHours).toBe(168);
    expect(c.uploadLimitBytes).toBe(DEFAULTS.uploadLimitBytes);
  });

  it('takes the settings it is given and refuses nonsense', () => {
    const c = resolveConfig({ dataDir: 'data', concurrency: 3, commandTimeoutMs: 5000 });
    expect(c).toMatchObject({ concurrency: 3, commandTimeoutMs: 5000 });
    expect(() => resolveConfig({ dataDir: 'data', concurrency: 0 })).toThrow(
      'concurrency must be a positive number',
    );
    expect(() => resolveConfig({ dataDir: '' })).toThrow('dataDir is required');
  });
});
