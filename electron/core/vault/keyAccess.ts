/**
 * How code gets a key: lent for the length of one call, by profile. The vault's withKey and
 * the clients' key providers (profileClients.ts) are built on these two functions, and
 * nothing else reads the secret store.
 */
import type { ProfileKind } from '../../../shared/profileTypes';
import type { KeyProvider } from '../client/client';
import type { ProfileStore } from './profileStore';
import type { SecretStore } from './secretStore';
import { VaultError } from './vaultErrors';

export interface ProfileRef {
  profileId: string;
  name: string;
  baseUrl: string;
  kind: ProfileKind;
}

export interface BoundCredentials {
  profileId: string;
  baseUrl: string;
  withKey: KeyProvider;
}

/** Lends the key of a profile (the active one by default) to fn for the length of the call. */
export async function lendKey<T>(
  profiles: ProfileStore,
  secrets: SecretStore,
  fn: (key: string, profile: ProfileRef) => Promise<T>,
  profileId?: string,
): Promise<T> {
  const id = profileId ?? profiles.activeId();
  if (id === null) throw new VaultError('no-key', 'No RenderIO profile is set up yet');
  const p = profiles.get(id);
  if (p === undefined) throw new VaultError('unknown-profile', 'That profile no longer exists');
  const key = await secrets.get(p.id, `"${p.name}"`);
  if (key === null) throw new VaultError('no-key', `No API key is set for "${p.name}"`);
  return fn(key, { profileId: p.id, name: p.name, baseUrl: p.baseUrl, kind: p.kind });
}

/**
 * A key provider tied to one profile and its base URL at the time of the call: if the
 * profile's address changes afterwards, the provider refuses rather than hand its key to a
 * client built for the old address.
 */
export function boundCredentials(
  profiles: ProfileStore,
  secrets: SecretStore,
  profileId?: string,
): BoundCredentials {
  const id = profileId ?? profiles.activeId();
  const p = id === null ? undefined : profiles.get(id);
  if (p === undefined) throw new VaultError('unknown-profile', 'No such profile');
  const { baseUrl } = p;
  const withKey: KeyProvider = (fn) =>
    lendKey(
      profiles,
      secrets,
      (key, profile) => {
        if (profile.baseUrl !== baseUrl) {
          throw new VaultError(
            'profile-changed',
            `The address of "${profile.name}" changed; start again`,
          );
        }
        return fn(key);
      },
      p.id,
    );
  return { profileId: p.id, baseUrl, withKey };
}
