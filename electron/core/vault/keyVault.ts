/**
 * The key vault: the operations that span its three services (secretStore.ts: keys by
 * profile id; profileStore.ts: where jobs run; keyVerifier.ts: the API's word on a key),
 * which it opens together and exposes as `secrets`, `profiles` and `verifier`. It builds no
 * API client (profileClients.ts does) and tells nobody about a new key: listeners hear it
 * from `secrets.onDidChange`.
 *
 * withKey() is the only way code gets a key. The renderer learns status only (VaultStatus).
 */
import { dirname, join } from 'node:path';
import { describeApiKeyProblem } from '../../../shared/apiKey';
import type { ProfileStatus, VaultStatus } from '../../../shared/profileTypes';
import { LOCAL_PROFILE_ID } from '../../../shared/profileTypes';
import { createLogger, registerSecret, type Logger } from '../../../shared/redact';
import type { SecretCipher } from '../ports';
import {
  defaultBaseUrlOf,
  ENV_PROFILE_ID,
  ENV_PROFILE_NAME,
  readEnvKey,
  type Env,
} from './envProfile';
import { boundCredentials, lendKey, type BoundCredentials, type ProfileRef } from './keyAccess';
import { enterKey, type SetKeyOptions, type SetKeyResult } from './keyEntry';
import type { KeyVerifier } from './keyVerifier';
import { checkBaseUrl, ProfileStore } from './profileStore';
import { SecretStore } from './secretStore';
import { VaultError } from './vaultErrors';
import { loadVaultFiles } from './vaultFile';
import { profileStatus, vaultStatus } from './vaultStatus';

export interface VaultOptions {
  /** The secret store's file, e.g. `<userData>/keys.json`. */
  file: string;
  /** The profile store's file (default: profiles.json beside `file`). */
  profilesFile?: string;
  /** null: no usable OS encryption at all (keys can only be held for the session). */
  cipher: SecretCipher | null;
  /** Checks keys with the API (createKeyVerifier over the host's transport). */
  verifier: KeyVerifier;
  /** process.env by default: RENDERIO_API_KEY, and RENDERIO_BASE_URL for its and new profiles' address. */
  env?: Env;
  defaultBaseUrl?: string;
  /** Start with weak persistence allowed (e.g. a CLI flag); the stored choice also counts. */
  allowInsecurePersistence?: boolean;
  logger?: Logger;
}

export class KeyVault {
  /** Serialises what spans the stores, so two entries of a key never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly secrets: SecretStore,
    readonly profiles: ProfileStore,
    readonly verifier: KeyVerifier,
    private readonly defaultBaseUrl: string,
    private readonly log: Logger,
  ) {}

  static async open(o: VaultOptions): Promise<KeyVault> {
    const log = o.logger ?? createLogger('vault', () => undefined);
    const env = o.env ?? process.env;
    const profilesFile = o.profilesFile ?? join(dirname(o.file), 'profiles.json');
    const data = await loadVaultFiles({ keysFile: o.file, profilesFile }, log);
    const secrets = new SecretStore(
      { file: o.file, cipher: o.cipher, logger: log },
      data.secrets,
      o.allowInsecurePersistence === true,
    );
    const profiles = new ProfileStore({ file: profilesFile, logger: log }, data.profiles);
    const defaultBaseUrl = defaultBaseUrlOf(env, o.defaultBaseUrl);
    const vault = new KeyVault(secrets, profiles, o.verifier, defaultBaseUrl, log);
    const fromEnv = readEnvKey(env, defaultBaseUrl, log);
    if (fromEnv !== null) {
      profiles.putSession({
        id: ENV_PROFILE_ID,
        name: ENV_PROFILE_NAME,
        baseUrl: fromEnv.baseUrl,
        kind: 'env',
      });
      await secrets.set(ENV_PROFILE_ID, fromEnv.key, { sessionOnly: true, verified: null });
      // A key given in the environment is what this session was started for.
      profiles.activateForSession(ENV_PROFILE_ID);
    }
    return vault;
  }

  // ---- reading -------------------------------------------------------------------------

  status(): Promise<VaultStatus> {
    return vaultStatus(this.profiles, this.secrets);
  }

  profileStatus(profileId?: string): Promise<ProfileStatus | null> {
    return profileStatus(this.profiles, this.secrets, profileId);
  }

  /** The profile new jobs run on, or null when none is set up. */
  activeProfileId(): string | null {
    return this.profiles.activeId();
  }

  /** Whether the person chose the local engine to run jobs, rather than it being the default. */
  isLocalChosen(): boolean {
    return this.profiles.isLocalChosen();
  }

  /**
   * Lends the key of a profile (the active one by default) to fn for the length of the call.
   * The only way code gets a key; never hand it on to anything that outlives fn.
   */
  withKey<T>(
    fn: (key: string, profile: ProfileRef) => Promise<T>,
    options: { profileId?: string } = {},
  ): Promise<T> {
    return lendKey(this.profiles, this.secrets, fn, options.profileId);
  }

  /** A key provider tied to one profile and its address now (keyAccess.ts). */
  credentials(profileId?: string): BoundCredentials {
    return boundCredentials(this.profiles, this.secrets, profileId);
  }

  // ---- keys ----------------------------------------------------------------------------

  /** Checks the format, verifies the key, then stores it (keyEntry.ts). Returns status only. */
  set(rawKey: unknown, options: SetKeyOptions = {}): Promise<SetKeyResult> {
    return this.serial(() =>
      enterKey(
        {
          profiles: this.profiles,
          secrets: this.secrets,
          verifier: this.verifier,
          defaultBaseUrl: this.defaultBaseUrl,
          log: this.log,
        },
        rawKey,
        options,
      ),
    );
  }

  /**
   * Removes a profile's key (the active one by default) from memory and disk. An env or local
   * profile, which is nothing without its key, goes with it.
   */
  clear(profileId?: string): Promise<VaultStatus> {
    return this.serial(async () => {
      const id = profileId ?? this.profiles.activeId();
      const p = id === null ? undefined : this.profiles.get(id);
      if (p === undefined) return this.status();
      await this.secrets.delete(p.id);
      if (p.kind !== 'cloud') await this.profiles.remove(p.id);
      this.log.info(`profile ${p.id}: key cleared`);
      return this.status();
    });
  }

  /** Re-checks a stored key (e.g. on start-up or after going online); updates `verified`. */
  async verifyProfile(profileId?: string, signal?: AbortSignal): Promise<ProfileStatus | null> {
    const { id, check } = await this.withKey(
      async (key, p) => ({
        id: p.profileId,
        check: await this.verifier.verify(p.baseUrl, key, signal),
      }),
      { profileId },
    );
    if (check.result !== 'unverified') await this.secrets.setVerified(id, check.result === 'valid');
    return this.profileStatus(id);
  }

  /** Called when a live call with this profile's key got a 401: the key is marked refused. */
  reportRejected(profileId: string): Promise<void> {
    return this.secrets.setVerified(profileId, false);
  }

  /**
   * The explicit choice to store keys although the OS store is weak (Linux basic_text).
   * Turning it off moves weakly stored keys to memory (kept for this session), off the disk.
   */
  setAllowInsecurePersistence(allow: boolean): Promise<VaultStatus> {
    return this.serial(async () => {
      await this.secrets.setAllowInsecurePersistence(allow);
      return this.status();
    });
  }

  // ---- profiles --------------------------------------------------------------------------

  addProfile(input: { name: string; baseUrl: string; activate?: boolean }): Promise<ProfileStatus> {
    return this.serial(async () => {
      const p = await this.profiles.add(input);
      if (input.activate === true) await this.profiles.setActive(p.id);
      return (await this.profileStatus(p.id))!;
    });
  }

  /**
   * Renames or moves a cloud profile. Moving it to another address drops its key first: a key
   * is never sent to an address it was not entered for.
   */
  updateProfile(
    profileId: string,
    input: { name?: string; baseUrl?: string },
  ): Promise<ProfileStatus> {
    return this.serial(async () => {
      const p = this.profiles.get(profileId);
      if (p?.kind === 'env')
        throw new VaultError(
          'invalid-profile',
          'This profile comes from the RENDERIO_API_KEY environment variable; it cannot be renamed or moved here.',
        );
      if (p === undefined || p.kind !== 'cloud')
        throw new VaultError('unknown-profile', 'Only saved profiles can be edited');
      if (input.baseUrl !== undefined && checkBaseUrl(input.baseUrl) !== p.baseUrl)
        await this.secrets.delete(p.id);
      await this.profiles.update(p.id, input);
      return (await this.profileStatus(p.id))!;
    });
  }

  /**
   * Removes a saved profile and its key (the key first: no ciphertext outlives its profile).
   * The environment's and this computer's profiles are not the person's to remove here: they
   * come with the session (RENDERIO_API_KEY, the app's own engine).
   */
  removeProfile(profileId: string): Promise<VaultStatus> {
    return this.serial(async () => {
      const p = this.profiles.get(profileId);
      if (p === undefined) return this.status();
      if (p.kind === 'env')
        throw new VaultError(
          'invalid-profile',
          'This profile comes from the RENDERIO_API_KEY environment variable and lasts for this session only; start the app without that variable to be rid of it.',
        );
      if (p.kind !== 'cloud')
        throw new VaultError('invalid-profile', "This computer's profile cannot be removed.");
      await this.secrets.delete(profileId);
      await this.profiles.remove(profileId);
      return this.status();
    });
  }

  /**
   * Makes a profile the one new jobs run on. Choosing the local engine is remembered, so the
   * next launch starts on it too; choosing a cloud profile forgets that choice.
   */
  setActive(profileId: string): Promise<VaultStatus> {
    return this.serial(async () => {
      await this.profiles.setActive(profileId);
      return this.status();
    });
  }

  /**
   * The local engine's profile: its address and per-launch key, in memory only. Called by
   * the app each time it starts the engine. It becomes active when asked to, when nothing
   * else is, when the person chose it (unless RENDERIO_API_KEY started this session), and
   * when the active profile has no key (one left behind by a refused first key).
   */
  setLocalEngine(input: {
    baseUrl: string;
    key: string;
    name?: string;
    activate?: boolean;
  }): Promise<ProfileStatus> {
    return this.serial(async () => {
      const problem = describeApiKeyProblem(input.key);
      if (problem !== null)
        throw new VaultError('invalid-profile', `The local engine's key is unusable: ${problem}`);
      registerSecret(input.key);
      this.profiles.putSession({
        id: LOCAL_PROFILE_ID,
        name: input.name ?? 'This computer',
        baseUrl: input.baseUrl,
        kind: 'local',
      });
      await this.secrets.set(LOCAL_PROFILE_ID, input.key, { sessionOnly: true, verified: null });
      const active = this.profiles.activeId();
      const keyless = active !== null && !this.secrets.has(active);
      if (
        input.activate === true ||
        active === null ||
        keyless ||
        (this.profiles.isLocalChosen() && !this.profiles.hasSessionChoice())
      )
        this.profiles.activateForSession(LOCAL_PROFILE_ID);
      return (await this.profileStatus(LOCAL_PROFILE_ID))!;
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
