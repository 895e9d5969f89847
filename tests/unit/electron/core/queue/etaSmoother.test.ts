import { describe, expect, it } from 'vitest';
import { EtaSmoother } from '../../../../../electron/core/queue/etaSmoother';

/** Feeds a trace of (seconds, fraction) samples; returns what was shown after each. */
function run(trace: [number, number][], smoother = new EtaSmoother()): (number | null)[] {
  return trace.map(([t, f]) => smoother.update(t * 1000, f, 1));
}

/**
 * The biggest change between two shown values beyond the time that passed between them, as a
 * share of the value before (a second's change of 10 s on 100 s left is 0.1).
 */
function biggestJump(trace: [number, number][], shown: (number | null)[]): number {
  let worst = 0;
  for (let i = 1; i < shown.length; i++) {
    const a = shown[i - 1];
    const b = shown[i];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const dt = trace[i]![0] - trace[i - 1]![0];
    worst = Math.max(worst, Math.abs(b - (a - dt)) / Math.max(a, 10));
  }
  return worst;
}

describe('EtaSmoother', () => {
  it('is hidden until a tenth is done and a few seconds were watched', () => {
    // A burst: 21 % in the first half second says nothing about the rest.
    const shown = run([
      [0, 0],
      [0.5, 0.21],
      [1, 0.22],
      [2, 0.24],
    ]);
    expect(shown).toEqual([null, null, null, null]);
    const slow = run([
      [0, 0],
      [1, 0.02],
      [2, 0.04],
      [3, 0.06],
      [4, 0.08],
    ]);
    expect(slow.every((s) => s === null)).toBe(true);
  });

  it('a steady trace: counts down with time, within a second of the truth', () => {
    // 1 % a second for 100 s, a sample every second.
    const trace: [number, number][] = [];
    for (let t = 0; t <= 99; t++) trace.push([t, t / 100]);
    const shown = run(trace);
    expect(shown.slice(0, 10).every((s) => s === null)).toBe(true);
    for (let i = 12; i < trace.length; i++) {
      const truth = 100 - trace[i]![0];
      expect(Math.abs(shown[i]! - truth)).toBeLessThan(1);
    }
    expect(biggestJump(trace, shown)).toBeLessThan(0.05);
  });

  it('a jumpy trace (9 % → 83 % in one report) does not throw the shown value', () => {
    // The engine reports coarsely: long flats, then big jumps, about 60 s in all.
    const trace: [number, number][] = [];
    const steps: [number, number][] = [
      [0, 0],
      [6, 0.09],
      [12, 0.1],
      [14, 0.12],
      [18, 0.12],
      [20, 0.83],
      [24, 0.85],
      [30, 0.9],
      [40, 0.93],
      [50, 0.97],
    ];
    for (let t = 0; t <= 50; t++) {
      let f = 0;
      for (const [at, v] of steps) if (at <= t) f = v;
      trace.push([t, f]);
    }
    const shown = run(trace);
    const visible = shown.filter((s): s is number => s !== null);
    expect(visible.length).toBeGreaterThan(10);
    // No second's change of more than a fifth of the value, whatever a report said.
    expect(biggestJump(trace, shown)).toBeLessThan(0.2);
    // Never a "moments left" while most of the work is still to do.
    for (let i = 0; i < trace.length; i++)
      if (trace[i]![1] < 0.5 && shown[i] !== null) expect(shown[i]!).toBeGreaterThan(10);
  });

  it('a stalled trace: no countdown to "almost done", hidden once stalled, back when it moves', () => {
    const trace: [number, number][] = [];
    for (let t = 0; t <= 20; t++) trace.push([t, t / 100]); // 20 % at 20 s: ~80 s left
    for (let t = 21; t <= 40; t++) trace.push([t, 0.2]); // stalled for 20 s
    for (let t = 41; t <= 60; t++) trace.push([t, 0.2 + (t - 40) / 100]);
    const shown = run(trace);
    const atStall = shown[20]!;
    expect(atStall).toBeGreaterThan(60);
    // While stalled, the shown value never counts down below where it stood.
    for (let i = 21; i <= 40; i++) if (shown[i] !== null) expect(shown[i]!).toBeGreaterThan(60);
    // Ten seconds without progress: hidden.
    expect(shown[31]).toBeNull();
    expect(shown[40]).toBeNull();
    // Moving again: shown again, still a long way off (not a few seconds).
    const later = shown.slice(45).filter((s): s is number => s !== null);
    expect(later.length).toBeGreaterThan(0);
    for (const s of later) expect(s).toBeGreaterThan(30);
  });

  it('the first value shown is the estimate of its moment, not what is left of an early wild one', () => {
    // Half a second in, 0.1 % done (a rate that says 8 min); then 15 % a second, steadily.
    const trace: [number, number][] = [
      [0, 0],
      [0.5, 0.001],
    ];
    for (let t = 1; t <= 6; t += 0.25) trace.push([t, 0.15 * (t - 0.5)]);
    const shown = run(trace);
    const first = shown.findIndex((v) => v !== null);
    expect(first).toBeGreaterThan(0);
    const truth = (1 - trace[first]![1]) / 0.15;
    // The rate over the whole window is a little low, so a little long; never a minute.
    expect(shown[first]!).toBeGreaterThan(truth - 1);
    expect(shown[first]!).toBeLessThan(truth * 1.5);
  });

  it('restartRate: a job that waited for a slot gives the time left of its work, not of the wait', () => {
    // 6 % for 5 s (uploaded, waiting for the engine), then 20 % a second once it converts.
    const wait: [number, number][] = [];
    for (let t = 0; t <= 5; t += 0.5) wait.push([t, 0.06]);
    const work: [number, number][] = [];
    for (let t = 5.25; t <= 7; t += 0.25) work.push([t, 0.06 + 0.2 * (t - 5)]);
    const restarted = new EtaSmoother();
    run(wait, restarted);
    restarted.restartRate();
    const fresh = run(work, restarted);
    const across = run([...wait, ...work]).slice(wait.length);
    const last = work.length - 1;
    const truth = (1 - work[last]![1]) / 0.2;
    expect(fresh[last]).not.toBeNull();
    expect(Math.abs(fresh[last]! - truth)).toBeLessThan(1);
    // Measured across the wait it says several times as long.
    expect(across[last]!).toBeGreaterThan(truth * 2);
  });

  it('the queue: done and total in seconds of work (total grows when files are added)', () => {
    const eta = new EtaSmoother({ minFraction: 0.05 });
    let shown: number | null = null;
    // 2 s of work per second, 100 s of work queued, 50 s more added at 20 s.
    for (let t = 0; t <= 30; t++) {
      const total = t < 20 ? 100 : 150;
      shown = eta.update(t * 1000, 2 * t, total);
    }
    // 60 done of 150 at 2/s: 45 s left; the smoother follows the added work within a few s.
    expect(shown).not.toBeNull();
    expect(Math.abs(shown! - 45)).toBeLessThan(6);
  });
});
