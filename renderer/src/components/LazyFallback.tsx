/**
 * What a drawer or dialog shows while its code loads (React.lazy): a word, not an empty box.
 * Loading takes a few milliseconds from disk, so it is seldom seen.
 */
export function LazyFallback() {
  return <p className="lazy-fallback muted">Loading…</p>;
}
