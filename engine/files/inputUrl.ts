/** Which input URLs the engine accepts: http(s) only, nothing local, nothing exotic. */

/** Why a URL is refused as an input, or null when it is acceptable. */
export function describeInputUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'must be a non-empty URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL (local paths are not accepted)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must be an http(s) URL; the "${url.protocol}" scheme is not accepted`;
  if (url.username || url.password) return 'must not carry a user name or password';
  return null;
}
