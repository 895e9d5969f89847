/**
 * The pieces of fetch's contract both shipped transports share (undiciFetch, the app's
 * netRequestFetch); their behaviour on the wire is tested against real servers in
 * tests/integration/core (undiciFetch.test.ts, netRequestFetch.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  bodyReadError,
  followRefused,
  statusTextOf,
} from '../../../../../electron/core/client/transportContract';

describe('bodyReadError', () => {
  it("gives the signal's reason once it has aborted, whatever broke the read", () => {
    const reason = new Error('cancelled by the user');
    const aborted = AbortSignal.abort(reason);
    expect(bodyReadError(new Error('socket closed'), aborted)).toBe(reason);
    expect(bodyReadError(new TypeError('terminated'), aborted)).toBe(reason);
    const plain = bodyReadError(new Error('x'), AbortSignal.abort());
    expect(plain).toBeInstanceOf(DOMException);
    expect((plain as DOMException).name).toBe('AbortError');
  });

  it("keeps a TypeError as it is, and gives anything else as 'terminated' with it as cause", () => {
    const typeError = new TypeError('terminated');
    expect(bodyReadError(typeError, undefined)).toBe(typeError);
    expect(bodyReadError(typeError, new AbortController().signal)).toBe(typeError);
    const cause = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    const e = bodyReadError(cause, undefined);
    expect(e).toBeInstanceOf(TypeError);
    expect((e as TypeError).message).toBe('terminated');
    expect((e as TypeError).cause).toBe(cause);
  });
});

describe('statusTextOf', () => {
  it('keeps a reason phrase fetch accepts (latin-1 included) and drops any other', () => {
    expect(statusTextOf('Made It')).toBe('Made It');
    expect(statusTextOf('I\u00e9m a teapot\tnow')).toBe('I\u00e9m a teapot\tnow');
    expect(statusTextOf('')).toBe('');
    expect(statusTextOf('O\u0001K')).toBe('');
    expect(statusTextOf('caf\u0100')).toBe('');
    // What the transports drop, the Response constructor would have thrown on.
    expect(() => new Response(null, { status: 200, statusText: 'O\u0001K' })).toThrow(TypeError);
  });
});

describe('followRefused', () => {
  it('names the transport and what to pass instead', () => {
    const e = followRefused('undiciFetch');
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "undiciFetch does not follow redirects: pass redirect 'manual' or 'error'",
    );
  });
});
