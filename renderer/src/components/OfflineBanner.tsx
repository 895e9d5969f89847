/**
 * Says the queue cannot reach where its jobs run, with a countdown to the next try and
 * "Retry now": an unreachable RenderIO must never look like a frozen upload.
 */
import { useEffect, useState } from 'react';
import { intent } from '../actions';
import { placeName, retryCountdown } from '../lib/stageView';
import { useAppStore } from '../store/appStore';

export function OfflineBanner() {
  const offline = useAppStore((s) => s.queue.offline);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!offline) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [offline]);
  if (!offline) return null;
  const waiting =
    offline.jobs === 1
      ? '1 job is waiting and will continue on its own.'
      : `${offline.jobs} jobs are waiting and will continue on their own.`;
  return (
    <div className="banner banner-offline" role="status" aria-live="polite">
      <div className="banner-body">
        <p className="banner-title">
          Can't reach {placeName(offline.local)}: {retryCountdown(offline.nextRetryAt, now)}
        </p>
        <p className="banner-detail">
          {offline.message}. {waiting}
        </p>
      </div>
      <button type="button" onClick={() => void intent((a) => a.queue.retryNow())}>
        Retry now
      </button>
    </div>
  );
}
