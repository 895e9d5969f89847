/** RenderIO API keys: `ffsk_` followed by 64 lower-case hex characters (32 random bytes). */
export const API_KEY_PREFIX = 'ffsk_';
export const API_KEY_LENGTH = API_KEY_PREFIX.length + 64;

const API_KEY_EXACT = /^ffsk_[0-9a-f]{64}$/;

export function isApiKey(value: unknown): value is string {
  return typeof value === 'string' && API_KEY_EXACT.test(value);
}

/** Why a would-be key is refused, in words a person can act on; null when it is well-formed. */
export function describeApiKeyProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'No API key was given.';
  const trimmed = value.trim();
  if (trimmed !== value) return 'The API key has spaces or line breaks around it.';
  if (!value.startsWith(API_KEY_PREFIX)) return 'A RenderIO API key starts with "ffsk_".';
  if (value.length !== API_KEY_LENGTH)
    return `A RenderIO API key is ${API_KEY_LENGTH} characters long; this one has ${value.length}.`;
  if (!API_KEY_EXACT.test(value))
    return 'A RenderIO API key has only lower-case hex digits (0-9, a-f) after "ffsk_".';
  return null;
}

/** The hint the renderer may show: prefix and last four characters, never more. */
export function maskApiKey(key: string): string {
  return `${API_KEY_PREFIX}…${key.slice(-4)}`;
}
