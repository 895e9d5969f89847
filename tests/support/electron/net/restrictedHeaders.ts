/**
 * Which request headers Chromium's network service refuses from its callers, Electron's `net`
 * included: the request then fails with net::ERR_INVALID_ARGUMENT.
 *
 * Sources: `ClientRequest.setHeader` in electron.d.ts (45.x: "Certain headers are restricted
 * from being set by apps ... Content-Length, Host, Trailer or Te, Upgrade, Cookie2, Keep-Alive,
 * Transfer-Encoding. Additionally, setting the Connection header to the value upgrade is also
 * disallowed"), which points at Chromium's header utils (services/network/public/cpp/
 * header_util.cc, IsRequestHeaderSafe: the same list, plus any name starting "Proxy-");
 * electron/electron#21091 (Content-Length → net::ERR_INVALID_ARGUMENT, still so in Electron 40
 * per NousResearch/hermes-agent#40174). header_util.cc also lists Set-Cookie ("Semantically a
 * response header"), since before Chromium 129, so in Electron 45's Chromium 140 too, though
 * electron.d.ts does not name it.
 */
const UNSAFE_HEADERS = new Set([
  'content-length',
  'host',
  'trailer',
  'te',
  'upgrade',
  'cookie2',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
]);

export function isRequestHeaderSafe(name: string, value: string): boolean {
  const key = name.toLowerCase();
  if (UNSAFE_HEADERS.has(key)) return false;
  if (key === 'connection' && value.trim().toLowerCase() === 'upgrade') return false;
  return !key.startsWith('proxy-');
}
