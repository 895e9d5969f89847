import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  API_KEY_LENGTH,
  describeApiKeyProblem,
  isApiKey,
  maskApiKey,
} from '../../../shared/apiKey';

const key = () => `ffsk_${randomBytes(32).toString('hex')}`;

describe('apiKey', () => {
  it('accepts ffsk_ + 64 lower-case hex, 69 characters', () => {
    const k = key();
    expect(k).toHaveLength(API_KEY_LENGTH);
    expect(isApiKey(k)).toBe(true);
    expect(describeApiKeyProblem(k)).toBeNull();
  });

  it.each([
    ['', 'No API key'],
    [`sk_${'a'.repeat(64)}`, 'starts with "ffsk_"'],
    [`ffsk_${'a'.repeat(63)}`, 'has 68'],
    [`ffsk_${'A'.repeat(64)}`, 'lower-case hex'],
    [`ffsk_${'g'.repeat(64)}`, 'lower-case hex'],
    [` ffsk_${'a'.repeat(64)}`, 'spaces'],
    [`ffsk_${'a'.repeat(64)}\n`, 'spaces'],
  ])('refuses %j with a reason', (value, reason) => {
    expect(isApiKey(value)).toBe(false);
    expect(describeApiKeyProblem(value)).toContain(reason);
  });

  it('refuses non-strings', () => {
    expect(isApiKey(42)).toBe(false);
    expect(describeApiKeyProblem(undefined)).toContain('No API key');
  });

  it('masks to prefix and last four', () => {
    const k = key();
    const masked = maskApiKey(k);
    expect(masked).toBe(`ffsk_…${k.slice(-4)}`);
    expect(masked).not.toContain(k.slice(5, 20));
  });
});
