/**
 * What the renderer may learn (shared/profileTypes.ts), put together from the two stores:
 * each profile with the status of its key (set or not, masked hint, checked or not, where it
 * is kept and how well), and the OS store's. Never a key.
 */
import type { ProfileStatus, VaultStatus } from '../../../shared/profileTypes';
import type { Profile, ProfileStore } from './profileStore';
import type { SecretInfo, SecretStore } from './secretStore';
import { isInsecureBackend } from './storagePolicy';

export function describeProfile(
  p: Profile,
  secret: SecretInfo | undefined,
  storage: VaultStatus['storage'],
  activeId: string | null,
): ProfileStatus {
  const inMemory = secret?.location === 'memory';
  const stored = secret?.location === 'disk';
  const backend = inMemory
    ? 'memory'
    : stored
      ? (secret.backend ?? storage.backend)
      : storage.backend;
  return {
    profileId: p.id,
    name: p.name,
    baseUrl: p.baseUrl,
    kind: p.kind,
    active: p.id === activeId,
    configured: inMemory || stored,
    // This computer's per-launch key is the app's own business: the window has no use for even
    // its masked end (Tools → Profiles once showed "ffsk_…40d1" on it, where Account says
    // "API key: None needed").
    hint: p.kind === 'local' ? null : (secret?.hint ?? null),
    verified: secret?.verified ?? null,
    backend,
    secure: inMemory
      ? true
      : stored
        ? !isInsecureBackend(backend) && storage.secure
        : storage.secure,
    sessionOnly: p.kind !== 'cloud' || inMemory,
  };
}

export async function vaultStatus(
  profiles: ProfileStore,
  secrets: SecretStore,
): Promise<VaultStatus> {
  const storage = await secrets.storage();
  const active = profiles.activeId();
  return {
    profiles: profiles.list().map((p) => describeProfile(p, secrets.info(p.id), storage, active)),
    activeProfileId: active,
    storage,
  };
}

export async function profileStatus(
  profiles: ProfileStore,
  secrets: SecretStore,
  profileId?: string,
): Promise<ProfileStatus | null> {
  const id = profileId ?? profiles.activeId();
  const p = id === null ? undefined : profiles.get(id);
  if (p === undefined) return null;
  return describeProfile(p, secrets.info(p.id), await secrets.storage(), profiles.activeId());
}
