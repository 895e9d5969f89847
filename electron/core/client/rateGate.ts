/**
 * One rate-limit gate per API key. RenderIO limits per key, not per client or per IP, so
 * after a 429 no request with that key may leave this process before the wait is over,
 * whichever client instance sends it. Gates live in a process-wide registry keyed by a
 * hash of the key (the key itself is not kept here).
 */
import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../ports';

export class RateGate {
  private until = 0;

  constructor(private readonly clock: Clock = systemClock) {}

  /** After a 429: hold every call with this key for ms (never shortens a longer wait). */
  block(ms: number): void {
    this.until = Math.max(this.until, this.clock.now() + Math.max(0, ms));
  }

  /** Milliseconds left before calls may go out again (0 when open). */
  remainingMs(): number {
    return Math.max(0, this.until - this.clock.now());
  }

  /** Waits until the gate is open; a wait extended meanwhile (another 429) is honoured too. */
  async wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const left = this.remainingMs();
      if (left <= 0) return;
      await this.clock.sleep(left, signal);
    }
  }
}

const gates = new Map<string, RateGate>();

/** A non-reversible id for a key: registry key and log correlation, never the key. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The shared gate for this key (created on first use). */
export function gateForKey(key: string, clock: Clock = systemClock): RateGate {
  const id = keyFingerprint(key);
  let gate = gates.get(id);
  if (gate === undefined) {
    gate = new RateGate(clock);
    gates.set(id, gate);
  }
  return gate;
}

/** Drops a key's gate (after the key is cleared), so the registry does not grow forever. */
export function forgetGate(key: string): void {
  gates.delete(keyFingerprint(key));
}
