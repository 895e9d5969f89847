/**
 * What the core's two transports (undiciFetch in plain Node, netRequestFetch in the app) keep of
 * fetch's contract in the same way: the errors a caller sees, which statuses carry no body or
 * are redirects, and which reason phrases a Response may show. One definition, so the core
 * reads either transport as it reads fetch (tests/support/fetchContract.ts runs against both).
 */

/**
 * fetch's init with the `duplex` a streamed request body needs, and the length of a streamed
 * body when it is known. Content-Length is a header the app's transport may not set (Chromium
 * refuses it: docs/ELECTRON.md), so the length travels beside the headers: a transport that may
 * frame the body by length (undici) does, the app's sends it chunked.
 */
export type TransportInit = RequestInit & { duplex?: 'half'; bodyLength?: number };

/** Statuses whose answers carry no body (the Response constructor refuses one). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
/** The statuses fetch treats as redirects (sendWithRedirects follows them itself). */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** A failure before the answer, as fetch reports it: the underlying error is the cause. */
export function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** A body cut short or malformed, as fetch reports it. */
export function terminated(cause: unknown): TypeError {
  return new TypeError('terminated', { cause });
}

/** What an abort rejects with: the signal's reason, or fetch's AbortError when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * What a web body's read rejects with after `error`: the signal's reason once it has aborted
 * (as fetch does, not 'terminated'), a TypeError as it is, anything else as 'terminated'.
 */
export function bodyReadError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted === true) return abortReason(signal);
  return error instanceof TypeError ? error : terminated(error);
}

/** No transport follows redirects: sendWithRedirects does, keeping the key to its origin. */
export function followRefused(transport: string): TypeError {
  return new TypeError(`${transport} does not follow redirects: pass redirect 'manual' or 'error'`);
}

/**
 * The reason phrase as statusText when fetch would accept it; none otherwise (a server may send
 * anything, and the Response constructor would throw).
 */
export function statusTextOf(reason: string): string {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(reason) ? reason : '';
}
