/**
 * The queue's troubles that need the person, above the list, each with what happens next
 * and "Retry now": the network or the engine cannot be reached (a countdown to the next
 * try), the key was refused (jobs wait for a new key), requests are rate-limited (a
 * countdown to when they resume). An unreachable RenderIO must never look like a frozen
 * upload, and a hold must never look like a queue that forgot its jobs.
 */
import { useShallow } from 'zustand/react/shallow';
import { intent } from '../actions';
import { capitalized } from '../lib/format';
import { placeName, retryCountdown } from '../lib/stageView';
import { useAppStore } from '../store/appStore';
import type { AggregateProgress } from '../../../shared/jobs';
import type { LocalEngineStatus } from '../../../shared/localEngine';
import { useSecondClock } from '../lib/useSecondClock';

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
 * This computer's converter stopped and is not being started again (it failed, or was
 * stopped): its jobs do not continue on their own, they wait until it runs again. One that is
 * restarting after a crash does come back by itself.
 */
function selectConverterGivenUp(s: { engine: LocalEngineStatus | null }): boolean {
  return s.engine?.state === 'failed' || s.engine?.state === 'stopped';
}

export function Banners({ onOpenAccount }: { onOpenAccount?: () => void }) {
  const offline = useAppStore((s) => s.queue.offline);
  const converterGivenUp = useAppStore(selectConverterGivenUp);
  const holds = useAppStore(useShallow(selectHolds));
  const now = useSecondClock(offline !== null || holds.rateJobs > 0);
  return (
    <>
      {offline && (
        <div className="banner banner-warn" role="status" data-banner="offline">
          <div className="banner-body">
            <p className="banner-title">
              Can't reach {placeName(offline.local)}: {retryCountdown(offline.nextRetryAt, now)}
            </p>
            <p className="banner-detail">
              {offline.message}.{' '}
              {offline.local && converterGivenUp
                ? `${jobsWaiting(offline.jobs, 'waiting')} until this computer's converter runs again.`
                : onTheirOwn(offline.jobs, 'waiting')}
            </p>
          </div>
          <RetryNow />
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
