import { describe, expect, it } from 'vitest';
import { FaultInjector, seededRandom } from '../../../engine/faults';

describe('seededRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = seededRandom(123);
    const b = seededRandom(123);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(124)()).not.toBe(xs[0]);
  });
});

describe('FaultInjector', () => {
  it('matches routes with method and * patterns, first rule wins', () => {
    const f = new FaultInjector({
      seed: 1,
      rules: [
        { route: 'POST /api/v1/files/upload', error500: 1 },
        { route: 'GET /storage/*', truncateDownload: 1 },
        { route: '* *', slow: { probability: 1, delayMs: 5 } },
      ],
    });
    expect(f.decide('POST', '/api/v1/files/upload').action).toEqual({
      kind: 'status',
      status: 500,
    });
    expect(f.decide('GET', '/storage/a/b.mp4').cut).toBe('truncate');
    expect(f.decide('GET', '/api/v1/files')).toMatchObject({
      delayMs: 5,
      action: { kind: 'none' },
      cut: null,
    });
  });

  it('runs a storm for its length, then stops', () => {
    const f = new FaultInjector({
      seed: 2,
      rules: [{ route: '* *', rateLimitStorm: { probability: 1, length: 3 } }],
    });
    const kinds = Array.from({ length: 3 }, () => f.decide('GET', '/x').action.kind);
    expect(kinds).toEqual(['storm', 'storm', 'storm']);
  });

  it('gives the same schedule for the same seed', () => {
    const make = () =>
      new FaultInjector({ seed: 77, rules: [{ route: '* *', error500: 0.5, resetMidBody: 0.5 }] });
    const a = make();
    const b = make();
    const run = (f: FaultInjector) =>
      Array.from({ length: 50 }, () => JSON.stringify(f.decide('GET', '/p')));
    expect(run(a)).toEqual(run(b));
  });
});
