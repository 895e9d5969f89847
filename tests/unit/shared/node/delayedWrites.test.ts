import { describe, expect, it } from 'vitest';
import { delayedWrites } from '../../../../shared/node/delayedWrites';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('delayedWrites', () => {
  it('writes once after the delay for every change made meanwhile', async () => {
    let state = 0;
    const written: { value: number; at: number }[] = [];
    const started = performance.now();
    const writes = delayedWrites(async () => {
      written.push({ value: state, at: performance.now() - started });
    }, 300);
    state = 1;
    writes.changed();
    await sleep(20);
    state = 2;
    writes.changed();
    while (written.length === 0) await sleep(10);
    expect(written).toHaveLength(1);
    expect(written[0]!.value).toBe(2);
    expect(written[0]!.at).toBeGreaterThanOrEqual(290);
  });

  it('writes at once when flushed, also while a change waits, and not at all with nothing to write', async () => {
    let state = 0;
    const written: number[] = [];
    // A delay no test waits out: only a flush can write.
    const writes = delayedWrites(async () => {
      written.push(state);
    }, 600_000);
    await writes.flush();
    expect(written).toEqual([]);
    state = 1;
    writes.changed();
    await writes.flush();
    expect(written).toEqual([1]);
    state = 2;
    writes.changed();
    await sleep(20);
    await writes.flush();
    expect(written).toEqual([1, 2]);
  });

  it('makes one more write for changes during a write, and keeps going after a failed one', async () => {
    let state = 0;
    const written: number[] = [];
    let release: () => void = () => undefined;
    let fail = true;
    const writes = delayedWrites(async () => {
      const value = state;
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
      await new Promise<void>((r) => (release = r));
      written.push(value);
    }, 600_000);
    state = 1;
    writes.changed();
    await writes.flush(); // the failed write: nothing written, the writer goes on
    expect(written).toEqual([]);
    state = 2;
    writes.changed();
    const flushed = writes.flush();
    await sleep(20);
    state = 3;
    writes.changed(); // during the write of 2
    release();
    await sleep(20);
    release();
    await flushed;
    expect(written).toEqual([2, 3]);
  });
});
