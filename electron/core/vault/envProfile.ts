/**
 * The environment's part in the vault: RENDERIO_API_KEY gives a session-only 'env' profile,
 * and RENDERIO_BASE_URL is where it and new profiles point (a self-hosted or staging API, the
 * e2e suites' engines). A malformed value is ignored with a warning that does not repeat it.
 */
import { describeApiKeyProblem } from '../../../shared/apiKey';
import type { Logger } from '../../../shared/redact';
import { DEFAULT_CLOUD_BASE_URL } from '../../../shared/renderioApi';
import { normalizeBaseUrl } from '../client/client';

export const ENV_PROFILE_ID = 'env';
export const ENV_PROFILE_NAME = 'RENDERIO_API_KEY';

export type Env = Record<string, string | undefined>;

/** Where a new cloud profile points: the option, else RENDERIO_BASE_URL, else RenderIO's own. */
export function defaultBaseUrlOf(env: Env, option?: string): string {
  if (option !== undefined) return option;
  if (env.RENDERIO_BASE_URL) {
    try {
      return normalizeBaseUrl(env.RENDERIO_BASE_URL);
    } catch {
      // Warned about in readEnvKey; the default stands.
    }
  }
  return DEFAULT_CLOUD_BASE_URL;
}

/** The environment's key and its address, or null when there is none that can be used. */
export function readEnvKey(
  env: Env,
  defaultBaseUrl: string,
  log: Logger,
): { key: string; baseUrl: string } | null {
  const raw = env.RENDERIO_API_KEY;
  if (raw === undefined || raw === '') return null;
  const key = raw.trim();
  const problem = describeApiKeyProblem(key);
  if (problem !== null) {
    log.warn(`RENDERIO_API_KEY is ignored: ${problem}`);
    return null;
  }
  try {
    return { key, baseUrl: normalizeBaseUrl(env.RENDERIO_BASE_URL ?? defaultBaseUrl) };
  } catch {
    log.warn('RENDERIO_BASE_URL is not a usable address; RENDERIO_API_KEY is ignored');
    return null;
  }
}
