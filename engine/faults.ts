/**
 * Fault injection for tests of clients: off unless a FaultConfig is given. Every decision
 * comes from one seeded PRNG, so the same seed and the same sequence of requests give the
 * same faults. Rules are matched in order; the first rule whose route matches applies.
 */

export interface FaultRule {
  /**
   * `METHOD /path` with `*` matching any run of characters, e.g. `POST /api/v1/files/upload`,
   * `GET /api/v1/commands/*`, `GET /storage/*`, or `* *` for everything. The query is ignored.
   */
  route: string;
  /** Probability of a 500 with an HTML body. */
  error500?: number;
  /** Probability of a 502 with an HTML body (as from a proxy). */
  error502?: number;
  /** Probability that a storm of `length` consecutive 429s starts (this request included). */
  rateLimitStorm?: { probability: number; length: number; retryAfterSeconds?: number };
  /** Probability that the connection is reset halfway through the response body. */
  resetMidBody?: number;
  /** Probability that the answer is delayed by `delayMs`. */
  slow?: { probability: number; delayMs: number };
  /** Probability that a storage download ends cleanly after half its bytes (Content-Length promised the whole). */
  truncateDownload?: number;
}

export interface FaultConfig {
  seed: number;
  rules: FaultRule[];
}

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'status'; status: 500 | 502 }
  | { kind: 'storm'; retryAfterSeconds: number };

export interface FaultDecision {
  delayMs: number;
  action: FaultAction;
  /** How a body is cut short, if at all. */
  cut: 'reset' | 'truncate' | null;
}

export const NO_FAULT: FaultDecision = { delayMs: 0, action: { kind: 'none' }, cut: null };

/** mulberry32: small, fast, good enough for test fault schedules. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function routeMatcher(route: string): (method: string, path: string) => boolean {
  const [method = '*', pattern = '*'] = route.trim().split(/\s+/, 2);
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const re = new RegExp(`^${escaped}$`);
  return (m, p) => (method === '*' || method.toUpperCase() === m) && re.test(p);
}

export class FaultInjector {
  private random: () => number;
  private rules: { rule: FaultRule; matches: (m: string, p: string) => boolean; storm: number }[];

  constructor(config: FaultConfig) {
    this.random = seededRandom(config.seed);
    this.rules = config.rules.map((rule) => ({
      rule,
      matches: routeMatcher(rule.route),
      storm: 0,
    }));
  }

  decide(method: string, path: string): FaultDecision {
    const entry = this.rules.find((r) => r.matches(method, path));
    if (!entry) return NO_FAULT;
    const { rule } = entry;
    // Draw every number every time, so one rule's settings do not shift another's schedule.
    const [rSlow, r500, r502, rStorm, rReset, rTrunc] = Array.from({ length: 6 }, () =>
      this.random(),
    ) as [number, number, number, number, number, number];
    const delayMs = rule.slow && rSlow < rule.slow.probability ? rule.slow.delayMs : 0;
    let action: FaultAction = { kind: 'none' };
    const storm = rule.rateLimitStorm;
    if (storm && entry.storm > 0) {
      entry.storm -= 1;
      action = { kind: 'storm', retryAfterSeconds: storm.retryAfterSeconds ?? 1 };
    } else if (rule.error500 !== undefined && r500 < rule.error500) {
      action = { kind: 'status', status: 500 };
    } else if (rule.error502 !== undefined && r502 < rule.error502) {
      action = { kind: 'status', status: 502 };
    } else if (storm && rStorm < storm.probability) {
      entry.storm = Math.max(0, storm.length - 1);
      action = { kind: 'storm', retryAfterSeconds: storm.retryAfterSeconds ?? 1 };
    }
    let cut: FaultDecision['cut'] = null;
    if (rule.resetMidBody !== undefined && rReset < rule.resetMidBody) cut = 'reset';
    else if (rule.truncateDownload !== undefined && rTrunc < rule.truncateDownload)
      cut = 'truncate';
    return { delayMs, action, cut };
  }
}

export function faultHtml(status: 500 | 502): string {
  const title = status === 500 ? '500 Internal Server Error' : '502 Bad Gateway';
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>fault-injection</center></body></html>\n`;
}
