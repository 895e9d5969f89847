/**
 * Entering a key, across the three services: the format is checked, the profile found (or
 * the default "RenderIO" one made), the weak-store rules applied before the key is sent
 * anywhere, the key verified, and only then stored. A rejected key is never stored; a
 * replacement replaces the old key only once it has been verified (docs/SECURITY.md,
 * "Setting a key"). Returns status only.
 */
import { describeApiKeyProblem } from '../../../shared/apiKey';
import type { ProfileStatus } from '../../../shared/profileTypes';
import { registerSecret, type Logger } from '../../../shared/redact';
import type { KeyVerifier } from './keyVerifier';
import type { Profile, ProfileStore } from './profileStore';
import type { SecretStore } from './secretStore';
import { insecureStorageMessage } from './storagePolicy';
import { VaultError } from './vaultErrors';
import { profileStatus } from './vaultStatus';

export const DEFAULT_PROFILE_NAME = 'RenderIO';

export interface SetKeyOptions {
  /** Default: the active cloud profile, else the first cloud profile, else a new "RenderIO" one. */
  profileId?: string;
  /** Hold the key in memory for this session only; nothing is written. */
  sessionOnly?: boolean;
  /**
   * Save even when the key could not be checked. Default: yes for a first key (marked
   * unverified), no when it would replace a key (a rotation needs a verified key).
   */
  allowUnverified?: boolean;
  /** Stops the check; set() then rejects with the client's 'aborted' error and saves nothing. */
  signal?: AbortSignal;
}

export type SetKeyFailure =
  /** Not `ffsk_` + 64 hex. */
  | 'format'
  /** The API answered 401/403: nothing was saved, the old key (if any) stays. */
  | 'rejected'
  /** The OS store is weak or missing and weak storage was not chosen: keep for the session, or opt in. */
  | 'insecure-storage'
  /** A replacement key could not be checked, so the old key was kept. */
  | 'unverified-rotation'
  /** The 'env' profile comes from the environment and cannot be changed here. */
  | 'read-only'
  | 'unknown-profile'
  /** Encryption or the file write failed. */
  | 'storage-failed';

export type SetKeyResult =
  | { ok: true; status: ProfileStatus; message: string }
  | { ok: false; reason: SetKeyFailure; message: string; status: ProfileStatus | null };

export interface KeyEntryServices {
  profiles: ProfileStore;
  secrets: SecretStore;
  verifier: KeyVerifier;
  /** Where a first key goes when there is no cloud profile yet. */
  defaultBaseUrl: string;
  log: Logger;
}

export async function enterKey(
  s: KeyEntryServices,
  rawKey: unknown,
  options: SetKeyOptions,
): Promise<SetKeyResult> {
  const key = typeof rawKey === 'string' ? rawKey.trim() : rawKey;
  const problem = describeApiKeyProblem(key);
  if (problem !== null || typeof key !== 'string')
    return {
      ok: false,
      reason: 'format',
      message: problem ?? 'No API key was given.',
      status: null,
    };
  registerSecret(key);

  let profile: Profile;
  if (options.profileId !== undefined) {
    const p = s.profiles.get(options.profileId);
    if (p === undefined)
      return {
        ok: false,
        reason: 'unknown-profile',
        message: 'That profile no longer exists.',
        status: null,
      };
    profile = p;
  } else {
    profile =
      s.profiles.defaultCloud() ??
      (await s.profiles.add({ name: DEFAULT_PROFILE_NAME, baseUrl: s.defaultBaseUrl }));
  }
  const refuse = async (reason: SetKeyFailure, message: string): Promise<SetKeyResult> => ({
    ok: false,
    reason,
    message,
    status: await profileStatus(s.profiles, s.secrets, profile.id),
  });
  if (profile.kind === 'env')
    return refuse(
      'read-only',
      'This key comes from the RENDERIO_API_KEY environment variable; change it there.',
    );
  const sessionOnly = options.sessionOnly === true || profile.kind === 'local';
  if (!sessionOnly) {
    // Checked before the key is sent anywhere.
    const storage = await s.secrets.storage();
    if (!storage.persistAllowed)
      return refuse(
        'insecure-storage',
        insecureStorageMessage(storage.backend, s.secrets.hasCipher()),
      );
  }

  // A key that cannot be read any more (another user, a reset keychain) is not one to keep.
  const hadKey = await s.secrets.hasReadable(profile.id);
  const check = await s.verifier.verify(profile.baseUrl, key, options.signal);
  if (check.result === 'invalid')
    return refuse(
      'rejected',
      `RenderIO refused this key: it may be mistyped, revoked or for another address. ${hadKey ? 'The current key is kept.' : 'Nothing was saved.'}`,
    );
  const verified = check.result === 'valid' ? true : null;
  if (verified === null && !(options.allowUnverified ?? !hadKey))
    return refuse(
      'unverified-rotation',
      `The new key could not be checked (${check.result === 'unverified' ? check.message : ''}). The current key is kept; try again when RenderIO can be reached.`,
    );

  try {
    await s.secrets.set(profile.id, key, { sessionOnly, verified });
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    return refuse(
      error.kind === 'insecure-storage' ? 'insecure-storage' : 'storage-failed',
      error.message,
    );
  }
  // The first key given makes its profile the one jobs run on; failing to remember that is
  // no reason to report the key as not saved.
  await s.profiles.activateIfNone(profile.id).catch(() => undefined);

  const where = sessionOnly ? 'kept in memory for this session' : 'saved';
  const why = check.result === 'unverified' ? ` (${check.message})` : '';
  const message =
    verified === true
      ? `Key checked with RenderIO and ${where}.`
      : `Key ${where} without a check: RenderIO could not be reached${why}. If RenderIO refuses it later, its jobs wait for a new key.`;
  s.log.info(
    `profile ${profile.id}: key ${hadKey ? 'replaced' : 'set'} (${verified === true ? 'verified' : 'unverified'}, ${sessionOnly ? 'session' : 'stored'})`,
  );
  return { ok: true, status: (await profileStatus(s.profiles, s.secrets, profile.id))!, message };
}
