/**
 * The client's one error type. Every failure of a RenderIO call becomes a RenderioError with
 * a kind the queue can act on; its message is already redacted (no key, no signed query).
 */
import { redact } from '../../../shared/redact';

export type RenderioErrorKind =
  /** 401/403: the key is missing, wrong or revoked. */
  | 'auth'
  /** 429: wait retryAfterMs, then retry. */
  | 'rate-limited'
  /** 400/413/422: the request was refused as it stands; detail says why. */
  | 'validation'
  /** 404 (or an expired storage link). */
  | 'not-found'
  /**
   * 507 Insufficient Storage: the server has no room for the file (this computer's engine when
   * its disk is full). Trying again helps only once space is freed: not transient.
   */
  | 'storage-full'
  /** 5xx other than 507. */
  | 'server'
  /** The server could not be reached or the connection broke: waiting may heal it. */
  | 'network'
  /** The secure connection was refused (certificate, handshake): it fails alike until fixed. */
  | 'tls'
  /** Refused before it left this computer (a forbidden header, an unsafe port): never goes through. */
  | 'not-sent'
  /** No answer (or no progress) within the time limit. */
  | 'timeout'
  /** An answer that does not follow the API: HTML from a proxy, a bad body, a bad redirect. */
  | 'protocol'
  /** The caller's AbortSignal fired. */
  | 'aborted';

export type ErrorDetail = string | { loc: (string | number)[]; msg: string; type: string }[];

export interface RenderioErrorInit {
  status?: number;
  retryAfterMs?: number;
  detail?: ErrorDetail;
  method?: string;
  /** Origin and path only: never the query (signed URLs) and never a key. */
  endpoint?: string;
  /** The transport's own code (ECONNREFUSED, net::ERR_CERT_DATE_INVALID): for logs, not people. */
  code?: string;
  cause?: unknown;
}

export class RenderioError extends Error {
  override readonly name = 'RenderioError';
  readonly kind: RenderioErrorKind;
  readonly status: number | undefined;
  /** For 'rate-limited': how long to wait before the next call with this key. */
  readonly retryAfterMs: number | undefined;
  /** For 'validation': the server's `detail` (the 422 issue array or a string). */
  readonly detail: ErrorDetail | undefined;
  readonly method: string | undefined;
  readonly endpoint: string | undefined;
  readonly code: string | undefined;

  constructor(kind: RenderioErrorKind, message: string, init: RenderioErrorInit = {}) {
    super(redact(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.detail = init.detail === undefined ? undefined : redactDetail(init.detail);
    this.method = init.method;
    this.endpoint = init.endpoint === undefined ? undefined : redact(init.endpoint);
    this.code = init.code;
  }

  /** Whether trying the same call again later may succeed. */
  get transient(): boolean {
    return (
      this.kind === 'rate-limited' ||
      this.kind === 'server' ||
      this.kind === 'network' ||
      this.kind === 'timeout'
    );
  }
}

function redactDetail(detail: ErrorDetail): ErrorDetail {
  if (typeof detail === 'string') return redact(detail);
  return detail.map((d) => ({
    loc: d.loc.map((l) => (typeof l === 'string' ? redact(l) : l)),
    msg: redact(d.msg),
    type: redact(d.type),
  }));
}

/** A one-line summary of a 422 detail for messages. */
export function describeDetail(detail: ErrorDetail | undefined): string {
  if (detail === undefined) return '';
  if (typeof detail === 'string') return detail;
  return detail
    .slice(0, 5)
    .map((d) => (d.loc.length > 0 ? `${d.loc.join('.')}: ${d.msg}` : d.msg))
    .join('; ');
}

/** Origin + path of a URL, for messages: the query of a signed URL is a credential. */
export function describeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
