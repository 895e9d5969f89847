/**
 * What a failed request's underlying error means, whichever transport raised it: Node's
 * errno, TLS and undici codes (the CLI and tests) or Chromium's net::ERR_ names (the app's
 * transport, Electron's net). Three classes, because the queue treats them differently:
 * - 'unreachable': the network or the server is away; waiting can heal it (retried, shown);
 * - 'tls': the secure connection was refused (certificate untrusted, expired, for another name,
 *   a broken handshake): it fails the same way until someone changes something;
 * - 'not-sent': the request was refused before it left this computer (a header the network
 *   stack forbids, an unsafe port or scheme, a blocked URL): it can never go through as it is.
 * `words` is for people; the code stays for the log.
 */

export type NetworkFailureClass = 'unreachable' | 'tls' | 'not-sent';

export interface NetworkFailure {
  /** ECONNREFUSED, net::ERR_CERT_AUTHORITY_INVALID, ... */
  code: string;
  class: NetworkFailureClass;
  words: string;
}

const REFUSED = 'the connection was refused';
const CUT = 'the connection was cut off';
const NO_NAME = "the server's name could not be found";
const TIMED_OUT = 'the connection timed out';
const NO_NETWORK = 'this computer is offline or the network is unreachable';
const UNTRUSTED = 'its certificate is not trusted by this computer';
const EXPIRED = 'its certificate has expired or is not valid yet';
const WRONG_NAME = 'its certificate is for another name';
const TLS_BROKEN = 'the secure connection could not be set up';

const BY_CODE: Record<string, [NetworkFailureClass, string]> = {
  ECONNREFUSED: ['unreachable', REFUSED],
  ECONNRESET: ['unreachable', CUT],
  EPIPE: ['unreachable', CUT],
  ECONNABORTED: ['unreachable', CUT],
  UND_ERR_SOCKET: ['unreachable', CUT],
  UND_ERR_CONNECT_TIMEOUT: ['unreachable', TIMED_OUT],
  ETIMEDOUT: ['unreachable', TIMED_OUT],
  ENOTFOUND: ['unreachable', NO_NAME],
  EAI_AGAIN: ['unreachable', NO_NAME],
  ENETUNREACH: ['unreachable', NO_NETWORK],
  EHOSTUNREACH: ['unreachable', NO_NETWORK],
  ENETDOWN: ['unreachable', NO_NETWORK],
  DEPTH_ZERO_SELF_SIGNED_CERT: ['tls', UNTRUSTED],
  SELF_SIGNED_CERT_IN_CHAIN: ['tls', UNTRUSTED],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['tls', UNTRUSTED],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['tls', UNTRUSTED],
  UNABLE_TO_GET_ISSUER_CERT: ['tls', UNTRUSTED],
  CERT_UNTRUSTED: ['tls', UNTRUSTED],
  CERT_REVOKED: ['tls', UNTRUSTED],
  CERT_HAS_EXPIRED: ['tls', EXPIRED],
  CERT_NOT_YET_VALID: ['tls', EXPIRED],
  ERR_TLS_CERT_ALTNAME_INVALID: ['tls', WRONG_NAME],
  'net::ERR_CONNECTION_REFUSED': ['unreachable', REFUSED],
  'net::ERR_CONNECTION_RESET': ['unreachable', CUT],
  'net::ERR_CONNECTION_CLOSED': ['unreachable', CUT],
  'net::ERR_CONNECTION_ABORTED': ['unreachable', CUT],
  'net::ERR_CONNECTION_FAILED': ['unreachable', REFUSED],
  'net::ERR_EMPTY_RESPONSE': ['unreachable', CUT],
  'net::ERR_CONTENT_LENGTH_MISMATCH': ['unreachable', CUT],
  'net::ERR_INCOMPLETE_CHUNKED_ENCODING': ['unreachable', CUT],
  'net::ERR_CONNECTION_TIMED_OUT': ['unreachable', TIMED_OUT],
  'net::ERR_TIMED_OUT': ['unreachable', TIMED_OUT],
  'net::ERR_NAME_NOT_RESOLVED': ['unreachable', NO_NAME],
  'net::ERR_NAME_RESOLUTION_FAILED': ['unreachable', NO_NAME],
  'net::ERR_INTERNET_DISCONNECTED': ['unreachable', NO_NETWORK],
  'net::ERR_NETWORK_CHANGED': ['unreachable', NO_NETWORK],
  'net::ERR_NETWORK_IO_SUSPENDED': ['unreachable', NO_NETWORK],
  'net::ERR_ADDRESS_UNREACHABLE': ['unreachable', NO_NETWORK],
  'net::ERR_PROXY_CONNECTION_FAILED': ['unreachable', 'the proxy could not be reached'],
  'net::ERR_TUNNEL_CONNECTION_FAILED': ['unreachable', 'the proxy could not be reached'],
  'net::ERR_CERT_AUTHORITY_INVALID': ['tls', UNTRUSTED],
  'net::ERR_CERT_COMMON_NAME_INVALID': ['tls', WRONG_NAME],
  'net::ERR_CERT_DATE_INVALID': ['tls', EXPIRED],
  'net::ERR_CERT_REVOKED': ['tls', UNTRUSTED],
  'net::ERR_INVALID_ARGUMENT': ['not-sent', "this computer's network stack refused it"],
  'net::ERR_UNSAFE_PORT': ['not-sent', 'that port is blocked for safety'],
  'net::ERR_UNSAFE_REDIRECT': ['not-sent', 'the server redirected to a place that is not allowed'],
  'net::ERR_INVALID_URL': ['not-sent', 'the address is not valid'],
  'net::ERR_DISALLOWED_URL_SCHEME': ['not-sent', 'the address is not valid'],
  'net::ERR_UNKNOWN_URL_SCHEME': ['not-sent', 'the address is not valid'],
  'net::ERR_BLOCKED_BY_CLIENT': ['not-sent', 'the request was blocked on this computer'],
  'net::ERR_BLOCKED_BY_ADMINISTRATOR': [
    'not-sent',
    'the request was blocked by an administrator policy',
  ],
  'net::ERR_PROXY_AUTH_UNSUPPORTED': [
    'not-sent',
    'the proxy asks for a sign-in this app cannot give',
  ],
};

/** The code of an error or its cause: an errno/TLS `code`, or a net::ERR_ name in its message. */
function codeOf(error: unknown): string | null {
  for (let e = error, depth = 0; e && depth < 4; depth++) {
    const o = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof o.code === 'string' && o.code.length > 0) return o.code;
    if (typeof o.message === 'string') {
      const m = /net::ERR_[A-Z0-9_]+/.exec(o.message);
      if (m) return m[0];
    }
    e = o.cause;
  }
  return null;
}

/** null when the error carries no code this module knows the meaning of. */
export function describeNetworkFailure(error: unknown): NetworkFailure | null {
  const code = codeOf(error);
  if (code === null) return null;
  const known = BY_CODE[code];
  if (known) return { code, class: known[0], words: known[1] };
  if (code.startsWith('net::ERR_CERT_') || code.startsWith('net::ERR_SSL_'))
    return { code, class: 'tls', words: TLS_BROKEN };
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
    return { code, class: 'tls', words: TLS_BROKEN };
  if (code.startsWith('net::ERR_'))
    return { code, class: 'unreachable', words: 'the network request failed' };
  return null;
}
