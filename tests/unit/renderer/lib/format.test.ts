import { describe, expect, it } from 'vitest';
import {
  capitalized,
  etaBeside,
  formatBytes,
  formatClock,
  formatCount,
  formatEta,
  formatPercent,
  formatSpeed,
  formatTook,
} from '../../../../renderer/src/lib/format';

describe('format', () => {
  it('starts a sentence with a capital, the rest as it was', () => {
    expect(capitalized('the shortest poll interval (8 s)')).toBe(
      'The shortest poll interval (8 s)',
    );
    expect(capitalized('RenderIO')).toBe('RenderIO');
    expect(capitalized('')).toBe('');
  });
  it('counts are grouped as a person reads them', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(10_000)).toBe('10,000');
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });
  it('sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.50 KB');
    expect(formatBytes(12_300_000)).toBe('12.3 MB');
    expect(formatBytes(250_000_000_000)).toBe('250 GB');
    expect(formatBytes(-1)).toBe('—');
  });
  it('speeds are shown only when measured', () => {
    expect(formatSpeed(null)).toBeNull();
    expect(formatSpeed(0)).toBeNull();
    expect(formatSpeed(2_100_000)).toBe('2.10 MB/s');
  });
  it('clocks and ETAs', () => {
    expect(formatClock(7)).toBe('0:07');
    expect(formatClock(65)).toBe('1:05');
    expect(formatClock(3723)).toBe('1:02:03');
    // A job's time taken: a short clip's is not "0:00", as if it had taken no time.
    expect(formatTook(420)).toBe('0.4 s');
    expect(formatTook(9_940)).toBe('9.9 s');
    expect(formatTook(9_960)).toBe('10 s');
    expect(formatTook(59_400)).toBe('59 s');
    expect(formatTook(59_600)).toBe('1:00');
    expect(formatTook(65_400)).toBe('1:05');
    expect(formatEta(null)).toBeNull();
    expect(formatEta(0.4)).toBe('a few seconds left');
    expect(formatEta(12.2)).toBe('less than a minute left');
    expect(formatEta(59)).toBe('less than a minute left');
    expect(formatEta(75)).toBe('about 1 min left');
    expect(formatEta(150)).toBe('about 3 min left');
    expect(formatEta(3590)).toBe('about 1 h left');
    expect(formatEta(7500)).toBe('about 2 h 5 min left');
    expect(formatEta(4750)).toBe('about 1 h 20 min left');
  });
  it('says "a few seconds left" beside a bar only from 90 % on; other times at any point', () => {
    expect(etaBeside(0.56, 4)).toBeNull();
    expect(etaBeside(null, 4)).toBeNull();
    expect(etaBeside(0.9, 4)).toBe('a few seconds left');
    expect(etaBeside(0.2, 40)).toBe('less than a minute left');
    expect(etaBeside(0.95, null)).toBeNull();
  });
  it('percent never rounds up to 100 before the end', () => {
    expect(formatPercent(0.999)).toBe('99%');
    expect(formatPercent(1.2)).toBe('100%');
  });
});
