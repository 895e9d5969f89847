/**
 * A byte count as a person reads it ("1.25 GB", decimal units as file managers show them).
 * Shared: the window shows sizes with it, the engine words its "disk is full" answers with it
 * (which reach the window and the CLI as a job's error), and the CLI its progress line and its
 * messages; so one file reads as one size wherever it is shown.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
