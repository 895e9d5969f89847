import { useAppStore } from '../store/appStore';

/**
 * One polite live region for additions, stage changes and completions. Progress ticks are
 * never announced. Alternating a zero-width space makes a repeated sentence speak again.
 */
export function LiveRegion() {
  const { text, seq } = useAppStore((s) => s.announcement);
  return (
    <div
      role="status"
      aria-live="polite"
      aria-atomic="true"
      className="visually-hidden"
      data-testid="live-region"
    >
      {text}
      {seq % 2 === 1 ? '\u200b' : ''}
    </div>
  );
}
