/**
 * The RenderIO clients of the profiles: each is built from the host's transport (the fetch
 * port) and a key provider bound to one profile and its address (vault/keyAccess.ts). The
 * vault builds none. `shared()` keeps one client per profile while its address and key
 * stay, for the queue; `clientFor()` builds a fresh one.
 */
import type { Logger } from '../../shared/redact';
import { RenderioClient, type ClientOptions } from './client/client';
import type { Clock, FetchLike } from './ports';
import { boundCredentials } from './vault/keyAccess';
import type { ProfileStore } from './vault/profileStore';
import type { SecretStore } from './vault/secretStore';

export interface ProfileClientsOptions {
  fetch: FetchLike;
  clock?: Clock;
  profiles: ProfileStore;
  secrets: SecretStore;
  /** The logger of clients from shared(). */
  logger?: Logger;
}

/** What a client may be built with instead of the profile's own transport and clock. */
export type ClientOverrides = Partial<Omit<ClientOptions, 'baseUrl' | 'withKey'>>;

export interface ProfileClients {
  /** A new client for a profile (the active one by default), tied to its address now. */
  clientFor(profileId?: string, overrides?: ClientOverrides): RenderioClient;
  /** The one client of a profile while its address and key stay the same. */
  shared(profileId: string): RenderioClient;
  /** Stops following key changes. */
  dispose(): void;
}

export function createProfileClients(o: ProfileClientsOptions): ProfileClients {
  const cache = new Map<string, { baseUrl: string; client: RenderioClient }>();
  const build = (profileId: string | undefined, overrides: ClientOverrides) => {
    const { baseUrl, withKey } = boundCredentials(o.profiles, o.secrets, profileId);
    const client = new RenderioClient({
      fetch: o.fetch,
      clock: o.clock,
      ...overrides,
      baseUrl,
      withKey,
    });
    return { baseUrl, client };
  };
  // A new or removed key starts afresh with a new client.
  const stop = o.secrets.onDidChange(({ id, change }) => {
    if (change !== 'verified') cache.delete(id);
  });
  return {
    clientFor: (profileId, overrides = {}) => build(profileId, overrides).client,
    shared(profileId) {
      const cached = cache.get(profileId);
      if (cached !== undefined && cached.baseUrl === o.profiles.get(profileId)?.baseUrl)
        return cached.client;
      const built = build(profileId, o.logger ? { logger: o.logger } : {});
      cache.set(profileId, built);
      return built.client;
    },
    dispose: stop,
  };
}
