/**
 * The queue's troubles that need the person, above the list, each with what happens next
 * and "Retry now": the network or the engine cannot be reached (a countdown to the next
 * try), the key was refused (jobs wait for a new key), requests are rate-limited (a
 * countdown to when they resume). An unreachable RenderIO must never look like a frozen
 * upload, and a hold must never look like a queue that forgot its jobs. When it is this
 * computer's converter that gave up, retrying asks nobody: the banner offers "Start converter
 * again" instead.
 */
import { useShallow } from 'zustand/react/shallow';
import { intent } from '../actions';
import { capitalized } from '../lib/format';
import { placeName, retryCountdown } from '../lib/stageView';
import { useAppStore } from '../store/appStore';
import type { AggregateProgress } from '../../../shared/jobs';
import { useSecondClock } from '../lib/useSecondClock';
import {
  START_CONVERTER_LABEL,
  canStartConverter,
  startConverterAgain,
  useConverterStart,
} from '../lib/converterStart';

function jobsWaiting(n: number, what: string): string {
  return `${n} ${n === 1 ? 'job is' : 'jobs are'} ${what}`;
}

function onTheirOwn(n: number, what: string): string {
  return `${jobsWaiting(n, what)} and will continue on ${n === 1 ? 'its' : 'their'} own.`;
}

interface Holds {
  keyJobs: number;
  keyLocal: boolean;
  rateJobs: number;
  rateLocal: boolean;
  /** The soonest end of a rate-limit hold (epoch ms), or null. */
  rateUntil: number | null;
}

const NO_HOLDS = { keyAllLocal: true, rateAllLocal: true, rateUntil: null };

/** Main counts the whole queue: the window holds only the jobs of the rows on screen. */
function selectHolds(s: { queue: { aggregate: AggregateProgress } }): Holds {
  const { byStage = {}, holds = NO_HOLDS } = s.queue.aggregate;
  return {
    keyJobs: byStage['waiting-for-key'] ?? 0,
    keyLocal: holds.keyAllLocal,
    rateJobs: byStage['rate-limited'] ?? 0,
    rateLocal: holds.rateAllLocal,
    rateUntil: holds.rateUntil,
  };
}

function RetryNow() {
  return (
    <button type="button" onClick={() => void intent((a) => a.queue.retryNow())}>
      Retry now
    </button>
  );
}

/**
 * The offline banner's one button: "Start converter again" while this computer's converter is
 * not running ("Starting…" while it starts, shared with the engine's box), else "Retry now".
 * One element either way, so the focus stays on it when it turns into the other.
 */
function OfflineAction({ startConverter }: { startConverter: boolean }) {
  const starting = useConverterStart((s) => s.starting);
  return (
    <button
      type="button"
      className={startConverter && starting ? 'working' : undefined}
      aria-disabled={startConverter && starting}
      onClick={() =>
        void (startConverter ? startConverterAgain('banner') : intent((a) => a.queue.retryNow()))
      }
    >
      {!startConverter ? 'Retry now' : starting ? 'Starting…' : START_CONVERTER_LABEL}
    </button>
  );
}

export function Banners({ onOpenAccount }: { onOpenAccount?: () => void }) {
  const offline = useAppStore((s) => s.queue.offline);
  // Given up on or stopped: nothing starts it on its own (converterStart.ts).
  const converterGivenUp = useAppStore((s) => canStartConverter(s.engine));
  const converterStarting = useConverterStart((s) => s.starting);
  // Jobs on this computer wait for its converter: given up on, or being started again.
  const converterWait = !offline?.local
    ? null
    : converterStarting
      ? 'starting'
      : converterGivenUp
        ? 'down'
        : null;
  const holds = useAppStore(useShallow(selectHolds));
  const now = useSecondClock(offline !== null || holds.rateJobs > 0);
  return (
    <>
      {offline && (
        <div className="banner banner-warn" role="status" data-banner="offline">
          <div className="banner-body">
            <p className="banner-title">
              {converterWait === 'starting'
                ? "Starting this computer's converter…"
                : converterWait === 'down'
                  ? "This computer's converter is not running"
                  : `Can't reach ${placeName(offline.local)}: ${retryCountdown(offline.nextRetryAt, now)}`}
            </p>
            {/* A converter that is not running refuses every call: the last one's words ("the
                connection was refused") say nothing the title does not, and the header above
                already counts the jobs that wait for it. One line less kept the waiting row in
                view at 720x520, where it had been pushed half out. */}
            {!converterWait && (
              <p className="banner-detail">
                {`${offline.message}. ${onTheirOwn(offline.jobs, 'waiting')}`}
              </p>
            )}
          </div>
          <OfflineAction startConverter={converterWait !== null} />
        </div>
      )}
      {holds.keyJobs > 0 && (
        <div className="banner banner-danger" role="status" data-banner="key">
          <div className="banner-body">
            <p className="banner-title">
              {capitalized(placeName(holds.keyLocal))} refused the API key
            </p>
            <p className="banner-detail">
              {jobsWaiting(holds.keyJobs, 'waiting for a valid key.')} Set one in Account, or retry
              if the key was fixed on {holds.keyLocal ? 'this computer' : 'RenderIO'}.
            </p>
          </div>
          <div className="banner-actions">
            {onOpenAccount && (
              <button type="button" className="secondary" onClick={onOpenAccount}>
                Open Account
              </button>
            )}
            <RetryNow />
          </div>
        </div>
      )}
      {holds.rateJobs > 0 && (
        <div className="banner banner-warn" role="status" data-banner="rate">
          <div className="banner-body">
            <p className="banner-title">
              {capitalized(placeName(holds.rateLocal))} asked to slow down:{' '}
              {holds.rateUntil !== null
                ? retryCountdown(holds.rateUntil, now).replace('retrying', 'resuming')
                : 'resuming shortly'}
            </p>
            <p className="banner-detail">{onTheirOwn(holds.rateJobs, 'held')}</p>
          </div>
          <RetryNow />
        </div>
      )}
    </>
  );
}
