import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../../../engine/commands/semaphore';

describe('Semaphore', () => {
  it('admits at most size holders, in FIFO order, and lets waiters abort', async () => {
    const s = new Semaphore(1);
    const order: string[] = [];
    const r1 = await s.acquire();
    const p2 = s.acquire().then((r) => (order.push('2'), r));
    const ac = new AbortController();
    const p3 = s.acquire(ac.signal);
    const p4 = s.acquire().then((r) => (order.push('4'), r));
    ac.abort();
    await expect(p3).rejects.toMatchObject({ name: 'AbortError' });
    expect(order).toEqual([]);
    r1();
    (await p2)();
    (await p4)();
    expect(order).toEqual(['2', '4']);
    // Releasing twice does not add a slot.
    const r5 = await s.acquire();
    r5();
    r5();
    const r6 = await s.acquire();
    let got7 = false;
    void s.acquire().then(() => (got7 = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(got7).toBe(false);
    r6();
  });
});
