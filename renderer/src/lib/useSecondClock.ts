import { useEffect, useState } from 'react';

/**
 * The time now, re-rendering once a second while `active` (a countdown or an elapsed time on
 * screen). When not active the value goes stale, which is harmless: nothing time-based shows.
 */
export function useSecondClock(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
