/**
 * When to poll a running command next. Short commands should be seen finishing quickly; long
 * ones should cost few calls. Two sources of knowledge:
 *  - elapsed time: the longer a command has run, the longer it probably still runs, so the wait
 *    grows with it (doubling), and
 *  - the engine's optional `progress` fraction: from its rate the finish time is predicted and
 *    the next poll lands just after it, so the download starts soon after SUCCESS without
 *    polling every second.
 * Pure: the queue feeds it observations and the current time.
 */

export interface PollObservation {
  at: number;
  status: 'QUEUED' | 'PROCESSING' | 'SUCCESS' | 'FAILED';
  /** The engine's progress (0..1) when present. */
  progress: number | null;
}

export interface PollPolicy {
  /** Milliseconds to wait before the first poll after a submit (or after a restart). */
  first(): number;
  /** Milliseconds until the next poll, given all observations of this command so far. */
  next(submittedAt: number, observations: readonly PollObservation[], now: number): number;
  /** Milliseconds before the first poll of a command already processing when the app restarted. */
  resume?(): number;
  /**
   * Each wait is spent inside the poll, as a held answer (the local engine's `wait_ms`): the
   * answer comes the moment the status changes, or when the wait is over. Only for a server
   * known to hold (this computer's engine); pollHeld (below) guards against one that does not.
   */
  readonly held?: boolean;
}

/** The shortest and longest wait, in milliseconds. */
export interface PollBoundsMs {
  minMs: number;
  maxMs: number;
}

/** The wait before a restarted, already processing command is polled (when not bounded). */
export const RESUME_POLL_MS = 500;

/**
 * Clamps every wait of `inner` to the bounds, read at each decision: a change of the setting
 * reaches commands being polled now at their next wait, without a restart.
 */
export function boundedPollPolicy(inner: PollPolicy, bounds: () => PollBoundsMs): PollPolicy {
  const clamp = (ms: number): number => {
    const { minMs, maxMs } = bounds();
    return Math.min(maxMs, Math.max(minMs, ms));
  };
  return {
    ...(inner.held ? { held: true } : {}),
    first: () => clamp(inner.first()),
    next: (submittedAt, observations, now) => clamp(inner.next(submittedAt, observations, now)),
    resume: () => clamp(inner.resume?.() ?? RESUME_POLL_MS),
  };
}

export interface AdaptivePollOptions {
  firstMs?: number;
  minMs?: number;
  /** Longest wait when the finish time cannot be predicted (no progress field). */
  maxBlindMs?: number;
  /** Longest wait even when progress predicts a later finish: the estimate is re-checked. */
  maxPredictedMs?: number;
  /** How long after the predicted finish to poll (ffmpeg ends, then outputs are probed). */
  settleMs?: number;
  /** Without a prediction, wait this share of the time the command has run so far. */
  blindGrowth?: number;
  /** A predicted finish closer than this is polled for directly (just after it). */
  jumpMs?: number;
}

export function adaptivePollPolicy(options: AdaptivePollOptions = {}): PollPolicy {
  const firstMs = options.firstMs ?? 2000;
  const minMs = options.minMs ?? 250;
  const maxBlindMs = options.maxBlindMs ?? 15_000;
  const maxPredictedMs = options.maxPredictedMs ?? 60_000;
  const settleMs = options.settleMs ?? 300;
  const blindGrowth = options.blindGrowth ?? 0.75;
  const jumpMs = options.jumpMs ?? 4000;
  return {
    first: () => firstMs,
    next(submittedAt, observations, now) {
      const elapsed = Math.max(0, now - submittedAt);
      // Without a prediction, wait a share of the time the command has run so far (a
      // geometric schedule: a logarithmic number of calls, the lateness a fixed share), capped.
      const blind = Math.min(maxBlindMs, Math.max(firstMs, elapsed * blindGrowth));
      const remaining = predictRemainingMs(submittedAt, observations);
      if (remaining === null) return blind;
      // Close to the end, poll just after the predicted finish. Further away, close half the
      // distance: an early estimate is often off (encoders start slowly, inputs vary), and
      // halving bounds the lateness by the estimate's error over the last few seconds only.
      if (remaining <= jumpMs) return Math.max(minMs, remaining + settleMs);
      const withProgress = observations.filter((o) => o.progress !== null && o.progress > 0).length;
      // One sample includes start-up time: re-measure soon before trusting it.
      const cap = withProgress >= 2 ? maxPredictedMs : Math.max(blind, jumpMs);
      return Math.max(minMs, Math.min(Math.max(remaining / 2, jumpMs), cap));
    },
  };
}

/**
 * For commands on this computer's engine: a poll costs a millisecond on the loopback, while
 * the cloud's 2 s first wait would be most of a short clip's time (the local-batch bench).
 * The engine holds each poll until the status changes (`held`), so an end is seen the moment
 * it happens whatever the wait: predicting the finish buys nothing, and a wait cut short at
 * a predicted finish that has not come yet is one more round trip on both sides. So every
 * poll after the first is held: a running command for the progress pace, a second, and one
 * QUEUED behind others (nothing to show until it starts) for LOCAL_QUEUED_HOLD_MS, answered
 * the moment it starts. The first is asked at once: a command already running when it comes,
 * and done within a hold, would otherwise never be seen processing (its time would count as
 * "Starting" in Details; tests/e2e/details.spec.ts caught that). A short clip's command is
 * seen starting and ending in one answer each (about 3 polls a job, 7 with the adaptive
 * schedule; bench/local-batch.ts; bench/engine-calls.ts prices a poll).
 */
export const LOCAL_HOLD_MS = 1000;

/** The hold of a poll whose command was last seen QUEUED (the client's longest, MAX_HOLD_MS). */
export const LOCAL_QUEUED_HOLD_MS = 5000;

export function localPollPolicy(): PollPolicy {
  return {
    // The first poll is not held (no status seen yet): it is asked at once (pollHeld).
    first: () => 150,
    next: (_submittedAt, observations) =>
      observations.at(-1)?.status === 'QUEUED' ? LOCAL_QUEUED_HOLD_MS : LOCAL_HOLD_MS,
    held: true,
  };
}

/**
 * One poll that spends `waitMs` the way `policy` says: slept before the call, or held inside it
 * by the server. A server that answers a held poll early without a change (one that ignores
 * `wait_ms`) gets the rest of the wait slept, so it is never polled in a tight loop.
 */
export async function pollHeld<T extends { status: string }>(
  policy: Pick<PollPolicy, 'held'>,
  waitMs: number,
  lastStatus: string | null,
  sleep: (ms: number) => Promise<void>,
  now: () => number,
  get: (holdMs: number | undefined) => Promise<T>,
): Promise<T> {
  if (!policy.held) {
    if (waitMs > 0) await sleep(waitMs);
    return get(undefined);
  }
  const started = now();
  const answer = await get(lastStatus === null ? undefined : waitMs);
  const rest = waitMs - (now() - started);
  if (answer.status === lastStatus && rest > 0) await sleep(rest);
  return answer;
}

/** A plain fixed interval: the baseline the benchmark compares against. */
export function fixedPollPolicy(intervalMs: number): PollPolicy {
  return { first: () => intervalMs, next: () => intervalMs };
}

/** Milliseconds until the command should finish, from its progress, or null when unknown. */
export function predictRemainingMs(
  submittedAt: number,
  observations: readonly PollObservation[],
): number | null {
  const samples = observations.filter(
    (o): o is PollObservation & { progress: number } =>
      o.status === 'PROCESSING' && o.progress !== null && o.progress > 0 && o.progress <= 1,
  );
  const last = samples.at(-1);
  if (!last) return null;
  if (last.progress >= 1) return 0;
  // The recent rate (the last two samples) follows an encoder that speeds up or slows down.
  const previous = samples.at(-2);
  let rate: number; // fraction per ms
  if (previous && last.progress > previous.progress && last.at > previous.at) {
    rate = (last.progress - previous.progress) / (last.at - previous.at);
  } else {
    rate = last.progress / Math.max(1, last.at - submittedAt);
  }
  if (!(rate > 0)) return null;
  return (1 - last.progress) / rate;
}
