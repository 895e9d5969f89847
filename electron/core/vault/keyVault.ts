/**
 * The key vault: the only place the process keeps RenderIO API keys, and withKey() the only
 * way code gets one. Keys are encrypted through the SecretCipher port (safeStorage in the
 * app) and stored in a 0600 file; the renderer learns status only (VaultStatus).
 *
 * Profiles: named cloud profiles (base URL + key) stored on disk, plus session-only ones:
 * 'env' from RENDERIO_API_KEY and 'local' for the engine the app starts with a per-launch
 * key. One profile is active.
 */
import { randomUUID } from 'node:crypto';
import { describeApiKeyProblem, maskApiKey } from '../../../shared/apiKey';
import type { ProfileKind, ProfileStatus, VaultStatus } from '../../../shared/profileTypes';
import { DEFAULT_CLOUD_BASE_URL } from '../../../shared/renderioApi';
import { createLogger, redact, registerSecret, type Logger } from '../../../shared/redact';
import {
  RenderioClient,
  normalizeBaseUrl,
  type ClientOptions,
  type KeyProvider,
} from '../client/client';
import { RenderioError } from '../client/errors';
import { forgetGate } from '../client/rateGate';
import { CipherUnavailableError, type Clock, type FetchLike, type SecretCipher } from '../ports';
import { readVaultFile, writeVaultFile, type StoredProfile, type VaultFileData } from './vaultFile';
import { errnoCode } from '../../../shared/node/errnoCode';

export const ENV_PROFILE_ID = 'env';
export { LOCAL_PROFILE_ID } from '../../../shared/profileTypes';
import { LOCAL_PROFILE_ID } from '../../../shared/profileTypes';
export const DEFAULT_PROFILE_NAME = 'RenderIO';

/** Backends that are a hard-coded password or unknown: not a protection worth the name. */
const INSECURE_BACKENDS = new Set(['basic_text', 'unknown', 'none', '']);

export interface VaultOptions {
  /** Where the ciphertext lives, e.g. `<userData>/renderio-keys.json`. */
  file: string;
  /** null: no usable OS encryption at all (keys can only be held for the session). */
  cipher: SecretCipher | null;
  /** The transport for key checks and clients (a required port: the core has none of its own). */
  fetch: FetchLike;
  clock?: Clock;
  /** process.env by default: RENDERIO_API_KEY, and RENDERIO_BASE_URL for its and new profiles' address. */
  env?: Record<string, string | undefined>;
  defaultBaseUrl?: string;
  /** Start with weak persistence allowed (e.g. a CLI flag); the stored choice also counts. */
  allowInsecurePersistence?: boolean;
  /** Limit for the verification call on set() (default 10 s). */
  verifyTimeoutMs?: number;
  logger?: Logger;
}

export interface ProfileRef {
  profileId: string;
  name: string;
  baseUrl: string;
  kind: ProfileKind;
}

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

export type VaultErrorKind =
  | 'no-key'
  | 'unknown-profile'
  | 'undecryptable'
  /** The OS key store cannot answer right now; the stored key is fine (try again later). */
  | 'store-unavailable'
  | 'invalid-profile'
  | 'profile-changed'
  | 'storage';

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly kind: VaultErrorKind,
    message: string,
  ) {
    // Profile names are the person's text: redacted like everything else that may be shown.
    super(redact(message));
  }
}

interface Profile {
  id: string;
  name: string;
  baseUrl: string;
  kind: ProfileKind;
  verified: boolean | null;
  hint: string | null;
  /** Ciphertext on disk (cloud profiles only). */
  ciphertext: Buffer | null;
  cipherBackend: string | null;
  /** A key held only in memory (env, local, or a session-only cloud key). */
  memoryKey: string | null;
  updatedAt: string;
}

export class KeyVault {
  private readonly profiles = new Map<string, Profile>();
  /** Keys decrypted once per session, so the OS store is not asked on every call. */
  private readonly plain = new Map<string, string>();
  private persistedActiveId: string | null = null;
  /** An active env/local profile is a session choice, never written. */
  private sessionActiveId: string | null = null;
  /** The person chose the local engine to run jobs (remembered; see setActive). */
  private localChosen = false;
  private allowInsecure = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  private constructor(private readonly o: VaultOptions) {
    this.log = o.logger ?? createLogger('vault', () => undefined);
  }

  static async open(options: VaultOptions): Promise<KeyVault> {
    const vault = new KeyVault(options);
    await vault.load();
    return vault;
  }

  // ---- reading -----------------------------------------------------------------------

  async status(): Promise<VaultStatus> {
    const storage = await this.storage();
    const active = this.activeId();
    return {
      profiles: [...this.profiles.values()].map((p) => this.describe(p, storage, active)),
      activeProfileId: active,
      storage,
    };
  }

  async profileStatus(profileId?: string): Promise<ProfileStatus | null> {
    const id = profileId ?? this.activeId();
    const p = id === null ? undefined : this.profiles.get(id);
    return p === undefined ? null : this.describe(p, await this.storage(), this.activeId());
  }

  /**
   * Lends the key of a profile (the active one by default) to fn for the length of the call.
   * The only way code gets a key; never hand it on to anything that outlives fn.
   */
  async withKey<T>(
    fn: (key: string, profile: ProfileRef) => Promise<T>,
    options: { profileId?: string } = {},
  ): Promise<T> {
    const id = options.profileId ?? this.activeId();
    if (id === null) throw new VaultError('no-key', 'No RenderIO profile is set up yet');
    const p = this.profiles.get(id);
    if (p === undefined) throw new VaultError('unknown-profile', 'That profile no longer exists');
    const key = await this.keyOf(p);
    if (key === null) throw new VaultError('no-key', `No API key is set for "${p.name}"`);
    return fn(key, { profileId: p.id, name: p.name, baseUrl: p.baseUrl, kind: p.kind });
  }

  /**
   * A key provider tied to one profile and its base URL at the time of the call: if the
   * profile's address changes afterwards, the provider refuses rather than hand its key to
   * a client built for the old address.
   */
  credentials(profileId?: string): { profileId: string; baseUrl: string; withKey: KeyProvider } {
    const id = profileId ?? this.activeId();
    const p = id === null ? undefined : this.profiles.get(id);
    if (p === undefined) throw new VaultError('unknown-profile', 'No such profile');
    const { baseUrl } = p;
    const withKey: KeyProvider = (fn) =>
      this.withKey(
        (key, profile) => {
          if (profile.baseUrl !== baseUrl) {
            throw new VaultError(
              'profile-changed',
              `The address of "${profile.name}" changed; start again`,
            );
          }
          return fn(key);
        },
        { profileId: p.id },
      );
    return { profileId: p.id, baseUrl, withKey };
  }

  /** A client for a profile (the active one by default). */
  clientFor(
    profileId?: string,
    options: Partial<Omit<ClientOptions, 'baseUrl' | 'withKey'>> = {},
  ): RenderioClient {
    const c = this.credentials(profileId);
    return new RenderioClient({
      fetch: this.o.fetch,
      clock: this.o.clock,
      ...options,
      baseUrl: c.baseUrl,
      withKey: c.withKey,
    });
  }

  // ---- keys --------------------------------------------------------------------------

  /**
   * Checks the format, verifies the key with GET /commands?limit=1, then stores it. Returns
   * status only. A rejected key is never stored; a replacement only replaces the old key
   * once it has been verified.
   */
  set(rawKey: unknown, options: SetKeyOptions = {}): Promise<SetKeyResult> {
    return this.serial(() => this.doSet(rawKey, options));
  }

  private async doSet(rawKey: unknown, options: SetKeyOptions): Promise<SetKeyResult> {
    const key = typeof rawKey === 'string' ? rawKey.trim() : rawKey;
    const problem = describeApiKeyProblem(key);
    if (problem !== null || typeof key !== 'string') {
      return {
        ok: false,
        reason: 'format',
        message: problem ?? 'No API key was given.',
        status: null,
      };
    }
    registerSecret(key);
    let profile: Profile;
    if (options.profileId !== undefined) {
      const p = this.profiles.get(options.profileId);
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
        this.defaultCloudProfile() ??
        (await this.createProfile(DEFAULT_PROFILE_NAME, this.defaultBaseUrl()));
    }
    if (profile.kind === 'env') {
      return {
        ok: false,
        reason: 'read-only',
        message: 'This key comes from the RENDERIO_API_KEY environment variable; change it there.',
        status: await this.profileStatus(profile.id),
      };
    }
    const sessionOnly = options.sessionOnly === true || profile.kind === 'local';
    const storage = await this.storage();
    if (!sessionOnly && !storage.persistAllowed) {
      return {
        ok: false,
        reason: 'insecure-storage',
        message: insecureMessage(storage.backend, this.o.cipher !== null),
        status: await this.profileStatus(profile.id),
      };
    }

    const hadKey = (await this.keyOf(profile).catch(() => null)) !== null;
    const check = await this.verify(profile.baseUrl, key, options.signal);
    if (check.result === 'invalid') {
      return {
        ok: false,
        reason: 'rejected',
        message: `RenderIO refused this key: it may be mistyped, revoked or for another address. ${hadKey ? 'The current key is kept.' : 'Nothing was saved.'}`,
        status: await this.profileStatus(profile.id),
      };
    }
    const verified = check.result === 'valid' ? true : null;
    const allowUnverified = options.allowUnverified ?? !hadKey;
    if (verified === null && !allowUnverified) {
      return {
        ok: false,
        reason: 'unverified-rotation',
        message: `The new key could not be checked (${check.result === 'unverified' ? check.message : ''}). The current key is kept; try again when RenderIO can be reached.`,
        status: await this.profileStatus(profile.id),
      };
    }

    const old = this.plain.get(profile.id) ?? profile.memoryKey;
    const next: Profile = {
      ...profile,
      verified,
      hint: maskApiKey(key),
      updatedAt: new Date().toISOString(),
    };
    if (sessionOnly) {
      next.memoryKey = key;
      next.ciphertext = null;
      next.cipherBackend = null;
    } else {
      try {
        next.ciphertext = await this.o.cipher!.encrypt(key);
        next.cipherBackend = storage.backend;
        next.memoryKey = null;
      } catch {
        return {
          ok: false,
          reason: 'storage-failed',
          message: `The key could not be encrypted by the system key store (${storage.backend}). Nothing was saved.`,
          status: await this.profileStatus(profile.id),
        };
      }
    }
    // Write first; only a key that reached the disk (or memory) replaces the old one.
    const committed = await this.commit(next);
    if (!committed.ok) {
      return {
        ok: false,
        reason: 'storage-failed',
        message: committed.message,
        status: await this.profileStatus(profile.id),
      };
    }
    this.plain.set(profile.id, key);
    if (old !== undefined && old !== null && old !== key) forgetGate(old);
    if (this.activeId() === null) this.persistedActiveId = profile.id;
    if (this.persistedActiveId === profile.id && profile.kind === 'cloud')
      await this.persist().catch(() => undefined);
    const where = sessionOnly ? 'kept in memory for this session' : 'saved';
    const why = check.result === 'unverified' ? ` (${check.message})` : '';
    const message =
      verified === true
        ? `Key checked with RenderIO and ${where}.`
        : `Key ${where} without a check: RenderIO could not be reached${why}. If RenderIO refuses it later, its jobs wait for a new key.`;
    this.log.info(
      `profile ${profile.id}: key ${hadKey ? 'replaced' : 'set'} (${verified === true ? 'verified' : 'unverified'}, ${sessionOnly ? 'session' : 'stored'})`,
    );
    return { ok: true, status: (await this.profileStatus(profile.id))!, message };
  }

  /** Removes a profile's key (the active one by default): from memory and from the file. */
  clear(profileId?: string): Promise<VaultStatus> {
    return this.serial(async () => {
      const id = profileId ?? this.activeId();
      const p = id === null ? undefined : this.profiles.get(id);
      if (p === undefined) return this.status();
      const old = this.plain.get(p.id) ?? p.memoryKey;
      if (old !== null && old !== undefined) forgetGate(old);
      this.plain.delete(p.id);
      if (p.kind === 'env' || p.kind === 'local') {
        this.profiles.delete(p.id);
        if (this.sessionActiveId === p.id) this.sessionActiveId = null;
      } else {
        const next = {
          ...p,
          ciphertext: null,
          cipherBackend: null,
          memoryKey: null,
          hint: null,
          verified: null,
        };
        const r = await this.commit(next);
        if (!r.ok) throw new VaultError('storage', r.message);
      }
      this.log.info(`profile ${p.id}: key cleared`);
      return this.status();
    });
  }

  /** Re-checks a stored key (e.g. on start-up or after going online); updates `verified`. */
  async verifyProfile(profileId?: string, signal?: AbortSignal): Promise<ProfileStatus | null> {
    const check = await this.withKey(
      async (key, p) => ({ id: p.profileId, check: await this.verify(p.baseUrl, key, signal) }),
      {
        profileId,
      },
    );
    if (check.check.result !== 'unverified')
      await this.setVerified(check.id, check.check.result === 'valid');
    return this.profileStatus(check.id);
  }

  /** Called when a live call with this profile's key got a 401: the key is marked refused. */
  reportRejected(profileId: string): Promise<void> {
    return this.setVerified(profileId, false);
  }

  // ---- profiles ----------------------------------------------------------------------

  addProfile(input: { name: string; baseUrl: string; activate?: boolean }): Promise<ProfileStatus> {
    return this.serial(async () => {
      const p = await this.createProfile(input.name, input.baseUrl);
      if (input.activate === true) await this.doSetActive(p.id);
      return (await this.profileStatus(p.id))!;
    });
  }

  /** Renames or moves a cloud profile. Moving it to another address drops its key: a key is never sent to an address it was not entered for. */
  updateProfile(
    profileId: string,
    input: { name?: string; baseUrl?: string },
  ): Promise<ProfileStatus> {
    return this.serial(async () => {
      const p = this.profiles.get(profileId);
      if (p === undefined || p.kind !== 'cloud')
        throw new VaultError('unknown-profile', 'Only saved profiles can be edited');
      const next = { ...p };
      if (input.name !== undefined) next.name = checkName(input.name);
      if (input.baseUrl !== undefined) {
        const baseUrl = checkBaseUrl(input.baseUrl);
        if (baseUrl !== p.baseUrl) {
          Object.assign(next, {
            baseUrl,
            ciphertext: null,
            cipherBackend: null,
            memoryKey: null,
            hint: null,
            verified: null,
          });
          this.plain.delete(p.id);
        }
      }
      const r = await this.commit(next);
      if (!r.ok) throw new VaultError('storage', r.message);
      return (await this.profileStatus(p.id))!;
    });
  }

  removeProfile(profileId: string): Promise<VaultStatus> {
    return this.serial(async () => {
      const p = this.profiles.get(profileId);
      if (p === undefined) return this.status();
      this.profiles.delete(profileId);
      this.plain.delete(profileId);
      if (this.sessionActiveId === profileId) this.sessionActiveId = null;
      if (this.persistedActiveId === profileId)
        this.persistedActiveId = this.firstCloud()?.id ?? null;
      if (p.kind === 'cloud') await this.persist();
      return this.status();
    });
  }

  /**
   * Makes a profile the one new jobs run on. Choosing the local engine is remembered, so the
   * next launch starts on it too; choosing a cloud profile forgets that choice.
   */
  setActive(profileId: string): Promise<VaultStatus> {
    return this.serial(async () => {
      await this.doSetActive(profileId);
      return this.status();
    });
  }

  /** Whether the person chose the local engine to run jobs, rather than it being the default. */
  isLocalChosen(): boolean {
    return this.localChosen;
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
      const old = this.profiles.get(LOCAL_PROFILE_ID);
      if (old?.memoryKey) forgetGate(old.memoryKey);
      this.profiles.set(LOCAL_PROFILE_ID, {
        id: LOCAL_PROFILE_ID,
        name: input.name ?? 'This computer',
        baseUrl: checkBaseUrl(input.baseUrl),
        kind: 'local',
        verified: null,
        hint: maskApiKey(input.key),
        ciphertext: null,
        cipherBackend: null,
        memoryKey: input.key,
        updatedAt: new Date().toISOString(),
      });
      this.plain.delete(LOCAL_PROFILE_ID);
      const active = this.activeId();
      const current = active === null ? undefined : this.profiles.get(active);
      const keyless =
        current !== undefined && current.memoryKey === null && current.ciphertext === null;
      if (
        input.activate === true ||
        active === null ||
        keyless ||
        (this.localChosen && this.sessionActiveId === null)
      )
        this.sessionActiveId = LOCAL_PROFILE_ID;
      return (await this.profileStatus(LOCAL_PROFILE_ID))!;
    });
  }

  /**
   * The explicit choice to store keys although the OS store is weak (Linux basic_text):
   * the ciphertext can then be decrypted by anyone who can read the file. Turning it off
   * moves weakly stored keys back to memory (kept for this session) and off the disk.
   */
  setAllowInsecurePersistence(allow: boolean): Promise<VaultStatus> {
    return this.serial(async () => {
      this.allowInsecure = allow;
      const storage = await this.storage();
      if (!allow && !storage.secure) {
        for (const p of this.profiles.values()) {
          if (p.ciphertext === null) continue;
          const key = await this.keyOf(p).catch(() => null);
          this.profiles.set(p.id, { ...p, ciphertext: null, cipherBackend: null, memoryKey: key });
        }
      }
      await this.persist();
      return this.status();
    });
  }

  // ---- internals ---------------------------------------------------------------------

  private async load(): Promise<void> {
    const read = await readVaultFile(this.o.file);
    if (read.problem !== null) this.log.warn(read.problem);
    const data = read.data;
    this.allowInsecure = data.allowInsecurePersistence || this.o.allowInsecurePersistence === true;
    this.localChosen = data.preferLocal === true;
    for (const s of data.profiles) {
      let baseUrl: string;
      try {
        baseUrl = normalizeBaseUrl(s.baseUrl);
      } catch {
        this.log.warn(`profile ${s.id} has an unusable address and was skipped`);
        continue;
      }
      this.profiles.set(s.id, {
        id: s.id,
        name: s.name,
        baseUrl,
        kind: 'cloud',
        verified: s.verified,
        hint: s.hint,
        ciphertext: s.ciphertext === null ? null : Buffer.from(s.ciphertext, 'base64'),
        cipherBackend: s.backend,
        memoryKey: null,
        updatedAt: s.updatedAt,
      });
    }
    this.persistedActiveId =
      data.activeProfileId !== null && this.profiles.has(data.activeProfileId)
        ? data.activeProfileId
        : null;
    this.loadEnv();
  }

  private loadEnv(): void {
    const env = this.o.env ?? process.env;
    const raw = env.RENDERIO_API_KEY;
    if (raw === undefined || raw === '') return;
    const key = raw.trim();
    const problem = describeApiKeyProblem(key);
    if (problem !== null) {
      this.log.warn(`RENDERIO_API_KEY is ignored: ${problem}`);
      return;
    }
    let baseUrl: string;
    try {
      baseUrl = checkBaseUrl(env.RENDERIO_BASE_URL ?? this.defaultBaseUrl());
    } catch {
      this.log.warn('RENDERIO_BASE_URL is not a usable address; RENDERIO_API_KEY is ignored');
      return;
    }
    registerSecret(key);
    this.profiles.set(ENV_PROFILE_ID, {
      id: ENV_PROFILE_ID,
      name: 'RENDERIO_API_KEY',
      baseUrl,
      kind: 'env',
      verified: null,
      hint: maskApiKey(key),
      ciphertext: null,
      cipherBackend: null,
      memoryKey: key,
      updatedAt: new Date().toISOString(),
    });
    // A key given in the environment is what this session was started for.
    this.sessionActiveId = ENV_PROFILE_ID;
  }

  /**
   * Where a new cloud profile points: the option, else RENDERIO_BASE_URL (a self-hosted or
   * staging API, the e2e suites' engines), else RenderIO's own address.
   */
  private defaultBaseUrl(): string {
    if (this.o.defaultBaseUrl !== undefined) return this.o.defaultBaseUrl;
    const fromEnv = (this.o.env ?? process.env).RENDERIO_BASE_URL;
    if (fromEnv) {
      try {
        return normalizeBaseUrl(fromEnv);
      } catch {
        // Warned about in loadEnv; the default stands.
      }
    }
    return DEFAULT_CLOUD_BASE_URL;
  }

  private activeId(): string | null {
    if (this.sessionActiveId !== null && this.profiles.has(this.sessionActiveId))
      return this.sessionActiveId;
    if (this.persistedActiveId !== null && this.profiles.has(this.persistedActiveId))
      return this.persistedActiveId;
    return null;
  }

  private firstCloud(): Profile | undefined {
    return [...this.profiles.values()].find((p) => p.kind === 'cloud');
  }

  private defaultCloudProfile(): Profile | undefined {
    const active = this.activeId();
    const p = active === null ? undefined : this.profiles.get(active);
    if (p?.kind === 'cloud') return p;
    const persisted =
      this.persistedActiveId === null ? undefined : this.profiles.get(this.persistedActiveId);
    return persisted?.kind === 'cloud' ? persisted : this.firstCloud();
  }

  private async createProfile(name: string, baseUrl: string): Promise<Profile> {
    const p: Profile = {
      id: randomUUID(),
      name: checkName(name),
      baseUrl: checkBaseUrl(baseUrl),
      kind: 'cloud',
      verified: null,
      hint: null,
      ciphertext: null,
      cipherBackend: null,
      memoryKey: null,
      updatedAt: new Date().toISOString(),
    };
    this.profiles.set(p.id, p);
    if (this.persistedActiveId === null) this.persistedActiveId = p.id;
    try {
      await this.persist();
    } catch (error) {
      this.profiles.delete(p.id);
      throw new VaultError(
        'storage',
        `The profile could not be saved (${errnoCode(error) ?? 'error'})`,
      );
    }
    return p;
  }

  private async doSetActive(profileId: string): Promise<void> {
    const p = this.profiles.get(profileId);
    if (p === undefined) throw new VaultError('unknown-profile', 'No such profile');
    if (p.kind === 'cloud') {
      this.sessionActiveId = null;
      this.persistedActiveId = p.id;
      this.localChosen = false;
      await this.persist();
    } else {
      if (p.kind === 'local' && !this.localChosen) {
        // Written first: a choice that did not reach the disk is not made.
        this.localChosen = true;
        try {
          await this.persist();
        } catch (error) {
          this.localChosen = false;
          throw error;
        }
      }
      this.sessionActiveId = p.id;
    }
  }

  private async setVerified(profileId: string, verified: boolean): Promise<void> {
    await this.serial(async () => {
      const p = this.profiles.get(profileId);
      if (p === undefined || p.verified === verified) return;
      await this.commit({ ...p, verified });
    });
  }

  /** Puts a changed profile in place; for cloud profiles the file is written first. */
  private async commit(next: Profile): Promise<{ ok: true } | { ok: false; message: string }> {
    const previous = this.profiles.get(next.id);
    this.profiles.set(next.id, next);
    if (next.kind !== 'cloud') return { ok: true };
    try {
      await this.persist();
      return { ok: true };
    } catch (error) {
      if (previous === undefined) this.profiles.delete(next.id);
      else this.profiles.set(next.id, previous);
      const code = errnoCode(error) ?? 'error';
      return {
        ok: false,
        message: `The key store could not be written (${code}); the previous state is kept.`,
      };
    }
  }

  private async persist(): Promise<void> {
    const profiles: StoredProfile[] = [];
    for (const p of this.profiles.values()) {
      if (p.kind !== 'cloud') continue;
      profiles.push({
        id: p.id,
        name: p.name,
        baseUrl: p.baseUrl,
        kind: 'cloud',
        verified: p.verified,
        // A session-only key leaves no trace on disk, not even its hint.
        hint: p.ciphertext === null ? null : p.hint,
        ciphertext: p.ciphertext === null ? null : p.ciphertext.toString('base64'),
        backend: p.cipherBackend,
        updatedAt: p.updatedAt,
      });
    }
    const data: VaultFileData = {
      version: 1,
      activeProfileId: this.persistedActiveId,
      allowInsecurePersistence: this.allowInsecure,
      ...(this.localChosen ? { preferLocal: true } : {}),
      profiles,
    };
    await writeVaultFile(this.o.file, data);
  }

  private async keyOf(p: Profile): Promise<string | null> {
    if (p.memoryKey !== null) return p.memoryKey;
    const cached = this.plain.get(p.id);
    if (cached !== undefined) return cached;
    if (p.ciphertext === null) return null;
    if (this.o.cipher === null)
      throw new VaultError(
        'undecryptable',
        `The key of "${p.name}" cannot be read: no system key store is available`,
      );
    let opened: { plain: string; reEncrypt: boolean };
    try {
      opened = await this.o.cipher.decrypt(p.ciphertext);
    } catch (error) {
      if (error instanceof CipherUnavailableError)
        throw new VaultError('store-unavailable', error.message);
      throw new VaultError(
        'undecryptable',
        `The stored key of "${p.name}" could not be decrypted (the system key store changed?); enter it again`,
      );
    }
    const key = opened.plain;
    registerSecret(key);
    this.plain.set(p.id, key);
    if (opened.reEncrypt) await this.reEncrypt(p, key);
    return key;
  }

  /**
   * The OS rotated its key (safeStorage's shouldReEncrypt): store the key encrypted anew, so it
   * stays readable after the old OS key is retired. A failure only costs a later retry.
   */
  private async reEncrypt(p: Profile, key: string): Promise<void> {
    try {
      const ciphertext = await this.o.cipher!.encrypt(key);
      const current = this.profiles.get(p.id);
      if (current?.ciphertext !== p.ciphertext) return; // changed meanwhile: leave it
      const r = await this.commit({ ...current, ciphertext });
      if (!r.ok) this.log.warn(`profile ${p.id}: re-encrypting the key failed; ${r.message}`);
    } catch {
      this.log.warn(`profile ${p.id}: re-encrypting the key failed; it is tried again next start`);
    }
  }

  private async verify(
    baseUrl: string,
    key: string,
    signal?: AbortSignal,
  ): Promise<
    | { result: 'valid' }
    | { result: 'invalid'; message: string }
    | { result: 'unverified'; message: string }
  > {
    const client = new RenderioClient({
      baseUrl,
      withKey: (fn) => fn(key),
      fetch: this.o.fetch,
      clock: this.o.clock,
      timeoutMs: this.o.verifyTimeoutMs ?? 10_000,
      retry: { attempts: 1, rateLimitAttempts: 1 },
    });
    try {
      const r = await client.checkKey({ signal });
      if (r.result === 'unverified') return { result: 'unverified', message: r.message };
      return r;
    } catch (error) {
      if (error instanceof RenderioError) return { result: 'unverified', message: error.message };
      throw error;
    }
  }

  private async storage(): Promise<VaultStatus['storage']> {
    const cipher = this.o.cipher;
    if (cipher === null) return { backend: 'none', secure: false, persistAllowed: false };
    let backend = 'unknown';
    let secure = false;
    try {
      backend = await cipher.backend();
      secure = (await cipher.isSecure()) && !INSECURE_BACKENDS.has(backend);
    } catch {
      // A cipher that cannot even report itself is treated as absent-but-weak.
    }
    return { backend, secure, persistAllowed: secure || this.allowInsecure };
  }

  private describe(
    p: Profile,
    storage: VaultStatus['storage'],
    active: string | null,
  ): ProfileStatus {
    const inMemory = p.memoryKey !== null;
    const stored = p.ciphertext !== null;
    const backend = inMemory
      ? 'memory'
      : stored
        ? (p.cipherBackend ?? storage.backend)
        : storage.backend;
    return {
      profileId: p.id,
      name: p.name,
      baseUrl: p.baseUrl,
      kind: p.kind,
      active: p.id === active,
      configured: inMemory || stored,
      hint: inMemory || stored ? p.hint : null,
      verified: p.verified,
      backend,
      secure: inMemory
        ? true
        : stored
          ? !INSECURE_BACKENDS.has(backend) && storage.secure
          : storage.secure,
      sessionOnly: p.kind !== 'cloud' || inMemory,
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function checkName(name: string): string {
  const n = name.trim();
  if (n.length === 0 || n.length > 80)
    throw new VaultError('invalid-profile', 'A profile name has 1 to 80 characters');
  return n;
}

function checkBaseUrl(url: string): string {
  try {
    return normalizeBaseUrl(url);
  } catch (error) {
    throw new VaultError(
      'invalid-profile',
      error instanceof Error ? error.message : 'Unusable address',
    );
  }
}

function insecureMessage(backend: string, hasCipher: boolean): string {
  if (!hasCipher || backend === 'none') {
    return 'This system offers no encrypted key store, so the key cannot be saved. You can keep it for this session only.';
  }
  return (
    `The system key store is not secure here (${backend}: the key would be encrypted with a fixed, publicly known password, ` +
    'so anyone who can read your files could recover it). Keep the key for this session only, or choose to store it anyway.'
  );
}
