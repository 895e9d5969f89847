/**
 * The queue's troubles that need the person, above the list, each with what happens next
 * and "Retry now": the network or the engine cannot be reached (a countdown to the next
 * try), the key was refused (jobs wait for a new key), requests are rate-limited (a
 * countdown to when they resume). An unreachable RenderIO must never look like a frozen
 * upload, and a hold must never look like a queue that forgot its jobs.
 */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { intent } from '../actions';
import { placeName, retryCountdown } from '../lib/stageView';
import { useAppStore } from '../store/appStore';
import type { AggregateProgress, Job } from '../../../shared/jobs';
import { LOCAL_PROFILE_ID } from '../../../shared/profileTypes';

/** Re-renders each second while a countdown is on screen. */
function useClock(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function jobsWaiting(n: number, what: string): string {
  return `${n} ${n === 1 ? 'job is' : 'jobs are'} ${what}`;
}

function onTheirOwn(n: number, what: string): string {
  return `${jobsWaiting(n, what)} and will continue on ${n === 1 ? 'its' : 'their'} own.`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface Holds {
  keyJobs: number;
  keyLocal: boolean;
  rateJobs: number;
  rateLocal: boolean;
  /** The soonest end of a rate-limit hold (epoch ms), or null. */
  rateUntil: number | null;
}

function selectHolds(s: {
  queue: { jobsById: Record<string, Job>; aggregate: AggregateProgress };
}): Holds {
  const holds: Holds = {
    keyJobs: 0,
    keyLocal: true,
    rateJobs: 0,
    rateLocal: true,
    rateUntil: null,
  };
  // The jobs the replica holds (the rows on screen, in a long queue), not the whole order:
  // a pass over 10,000 ids per progress tick is what froze the window.
  for (const job of Object.values(s.queue.jobsById)) {
    const local = job.settings.profileId === LOCAL_PROFILE_ID;
    if (job.stage === 'waiting-for-key') {
      holds.keyJobs++;
      holds.keyLocal &&= local;
    } else if (job.stage === 'rate-limited') {
      holds.rateJobs++;
      holds.rateLocal &&= local;
      if (job.holdUntil !== null && (holds.rateUntil === null || job.holdUntil < holds.rateUntil))
        holds.rateUntil = job.holdUntil;
    }
  }
  // How many wait is main's count, which knows the jobs off screen too.
  const stages = s.queue.aggregate.stages;
  if (stages) {
    holds.keyJobs = stages['waiting-for-key'] ?? 0;
    holds.rateJobs = stages['rate-limited'] ?? 0;
  }
  return holds;
}

function RetryNow() {
  return (
    <button type="button" onClick={() => void intent((a) => a.queue.retryNow())}>
      Retry now
    </button>
  );
}

export function Banners({ onOpenAccount }: { onOpenAccount?: () => void }) {
  const offline = useAppStore((s) => s.queue.offline);
  const holds = useAppStore(useShallow(selectHolds));
  const now = useClock(offline !== null || holds.rateJobs > 0);
  return (
    <>
      {offline && (
        <div className="banner banner-warn" role="status" data-banner="offline">
          <div className="banner-body">
            <p className="banner-title">
              Can't reach {placeName(offline.local)}: {retryCountdown(offline.nextRetryAt, now)}
            </p>
            <p className="banner-detail">
              {offline.message}. {onTheirOwn(offline.jobs, 'waiting')}
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
