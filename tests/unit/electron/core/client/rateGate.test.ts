import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  RateGate,
  forgetGate,
  gateForKey,
  keyFingerprint,
} from '../../../../../electron/core/client/rateGate';

const newKey = () => `ffsk_${randomBytes(32).toString('hex')}`;

describe('rate gate', () => {
  it('is shared per key and separate between keys', () => {
    const a = newKey();
    const b = newKey();
    expect(gateForKey(a)).toBe(gateForKey(a));
    expect(gateForKey(a)).not.toBe(gateForKey(b));
    forgetGate(a);
    forgetGate(b);
  });
  it('does not keep the key itself', () => {
    const k = newKey();
    expect(keyFingerprint(k)).not.toContain(k.slice(5, 13));
    expect(keyFingerprint(k)).toHaveLength(32);
  });
  it('holds calls until the wait is over, and a longer block wins', async () => {
    const gate = new RateGate();
    gate.block(150);
    gate.block(50);
    const started = Date.now();
    await gate.wait();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(gate.remainingMs()).toBe(0);
  });
  it('honours a block added while waiting', async () => {
    const gate = new RateGate();
    gate.block(50);
    setTimeout(() => gate.block(150), 20);
    const started = Date.now();
    await gate.wait();
    expect(Date.now() - started).toBeGreaterThanOrEqual(160);
  });
  it('stops waiting when aborted', async () => {
    const gate = new RateGate();
    gate.block(10_000);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop')), 20);
    await expect(gate.wait(ac.signal)).rejects.toThrow('stop');
  });
});
