/**
 * How Chromium's network stack names the failures a Node socket reports with errno codes.
 * Electron's ClientRequest emits `new Error(netErrorString)` (net-client-request.ts, the URL
 * loader's 'error' event), never a Node errno error and never a TypeError with a cause; net.fetch
 * rejects with that same Error (net-fetch.ts `r.on('error', (err) => p.reject(err))`).
 * Names from Chromium's net/base/net_error_list.h.
 */
const BY_ERRNO: Record<string, string> = {
  ECONNREFUSED: 'net::ERR_CONNECTION_REFUSED',
  ECONNRESET: 'net::ERR_CONNECTION_RESET',
  EPIPE: 'net::ERR_CONNECTION_RESET',
  ECONNABORTED: 'net::ERR_CONNECTION_ABORTED',
  ETIMEDOUT: 'net::ERR_CONNECTION_TIMED_OUT',
  ENOTFOUND: 'net::ERR_NAME_NOT_RESOLVED',
  EAI_AGAIN: 'net::ERR_NAME_NOT_RESOLVED',
  ENETUNREACH: 'net::ERR_ADDRESS_UNREACHABLE',
  EHOSTUNREACH: 'net::ERR_ADDRESS_UNREACHABLE',
  ENETDOWN: 'net::ERR_INTERNET_DISCONNECTED',
  // TLS: Node's verifier codes, by the certificate problem Chromium reports.
  DEPTH_ZERO_SELF_SIGNED_CERT: 'net::ERR_CERT_AUTHORITY_INVALID',
  SELF_SIGNED_CERT_IN_CHAIN: 'net::ERR_CERT_AUTHORITY_INVALID',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'net::ERR_CERT_AUTHORITY_INVALID',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'net::ERR_CERT_AUTHORITY_INVALID',
  CERT_HAS_EXPIRED: 'net::ERR_CERT_DATE_INVALID',
  CERT_NOT_YET_VALID: 'net::ERR_CERT_DATE_INVALID',
  ERR_TLS_CERT_ALTNAME_INVALID: 'net::ERR_CERT_COMMON_NAME_INVALID',
  ERR_SSL_WRONG_VERSION_NUMBER: 'net::ERR_SSL_PROTOCOL_ERROR',
};

export function netErrorFor(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const mapped = BY_ERRNO[code];
    if (mapped) return mapped;
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
      return 'net::ERR_SSL_PROTOCOL_ERROR';
    if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_'))
      return 'net::ERR_INVALID_HTTP_RESPONSE';
  }
  return 'net::ERR_FAILED';
}
