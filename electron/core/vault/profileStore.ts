/**
 * The profile store: where jobs run. Cloud profiles (a name and an API address) are saved in
 * profiles.json (profilesFile.ts); the session-only ones live in memory: 'env' from
 * RENDERIO_API_KEY and 'local' for the engine the app starts. One profile is active: a
 * cloud profile chosen is saved, an env or local one is a choice for this session, and the
 * person's choice of this computer is remembered (`preferLocal`). No keys here: those are
 * in the secret store, by profile id.
 */
import { randomUUID } from 'node:crypto';
import type { ProfileKind } from '../../../shared/profileTypes';
import { createLogger, type Logger } from '../../../shared/redact';
import { errnoCode } from '../../../shared/node/errnoCode';
import { normalizeBaseUrl } from '../client/client';
import { PROFILES_FILE_VERSION, writeProfilesFile, type ProfilesFileData } from './profilesFile';
import { VaultError } from './vaultErrors';

export interface Profile {
  id: string;
  name: string;
  /** The API origin (and path) the profile's key is sent to, and nowhere else. */
  baseUrl: string;
  kind: ProfileKind;
  updatedAt: string;
}

export interface ProfileStoreOptions {
  /** profiles.json; read by the vault (vaultFile.ts), written here. */
  file: string;
  logger?: Logger;
}

export class ProfileStore {
  private profiles = new Map<string, Profile>();
  private persistedActiveId: string | null;
  /** An active env/local profile is a session choice, never written. */
  private sessionActiveId: string | null = null;
  /** The person chose the local engine to run jobs (remembered; see setActive). */
  private localChosen: boolean;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly o: ProfileStoreOptions,
    data: ProfilesFileData,
  ) {
    const log = o.logger ?? createLogger('vault', () => undefined);
    for (const s of data.profiles) {
      let baseUrl: string;
      try {
        baseUrl = normalizeBaseUrl(s.baseUrl);
      } catch {
        log.warn(`profile ${s.id} has an unusable address and was skipped`);
        continue;
      }
      this.profiles.set(s.id, { ...s, baseUrl, kind: 'cloud' });
    }
    this.persistedActiveId =
      data.activeProfileId !== null && this.profiles.has(data.activeProfileId)
        ? data.activeProfileId
        : null;
    this.localChosen = data.preferLocal === true;
  }

  // ---- reading -------------------------------------------------------------------------

  list(): Profile[] {
    return [...this.profiles.values()];
  }

  get(id: string): Profile | undefined {
    return this.profiles.get(id);
  }

  /** The profile new jobs run on: this session's choice, else the saved one. */
  activeId(): string | null {
    if (this.sessionActiveId !== null && this.profiles.has(this.sessionActiveId))
      return this.sessionActiveId;
    if (this.persistedActiveId !== null && this.profiles.has(this.persistedActiveId))
      return this.persistedActiveId;
    return null;
  }

  /** Whether an env or local profile was made active for this session. */
  hasSessionChoice(): boolean {
    return this.sessionActiveId !== null;
  }

  /** Whether the person chose the local engine to run jobs, rather than it being the default. */
  isLocalChosen(): boolean {
    return this.localChosen;
  }

  /** Where a key given without a profile goes: the active cloud profile, the saved one, the first. */
  defaultCloud(): Profile | undefined {
    const active = this.activeId();
    const p = active === null ? undefined : this.profiles.get(active);
    if (p?.kind === 'cloud') return p;
    const persisted =
      this.persistedActiveId === null ? undefined : this.profiles.get(this.persistedActiveId);
    return persisted?.kind === 'cloud' ? persisted : this.firstCloud();
  }

  // ---- saved (cloud) profiles ------------------------------------------------------------

  /** Adds a cloud profile; the first one becomes the saved active profile. */
  add(input: { name: string; baseUrl: string }): Promise<Profile> {
    return this.serial(async () => {
      const p: Profile = {
        id: randomUUID(),
        name: this.uniqueName(input.name),
        baseUrl: checkBaseUrl(input.baseUrl),
        kind: 'cloud',
        updatedAt: new Date().toISOString(),
      };
      this.profiles.set(p.id, p);
      const activeBefore = this.persistedActiveId;
      if (this.persistedActiveId === null) this.persistedActiveId = p.id;
      try {
        await this.persist();
      } catch (error) {
        this.profiles.delete(p.id);
        this.persistedActiveId = activeBefore;
        throw new VaultError(
          'storage',
          `The profile could not be saved (${errnoCode(error) ?? 'error'})`,
        );
      }
      return p;
    });
  }

  /**
   * Renames or moves a cloud profile. The vault drops the key before a move: a key is never
   * sent to an address it was not entered for.
   */
  update(id: string, input: { name?: string; baseUrl?: string }): Promise<Profile> {
    return this.serial(async () => {
      const p = this.profiles.get(id);
      if (p === undefined || p.kind !== 'cloud')
        throw new VaultError('unknown-profile', 'Only saved profiles can be edited');
      const next: Profile = { ...p, updatedAt: new Date().toISOString() };
      if (input.name !== undefined) next.name = this.uniqueName(input.name, id);
      if (input.baseUrl !== undefined) next.baseUrl = checkBaseUrl(input.baseUrl);
      this.profiles.set(id, next);
      try {
        await this.persist();
      } catch (error) {
        this.profiles.set(id, p);
        throw new VaultError(
          'storage',
          `The profile could not be saved (${errnoCode(error) ?? 'error'}); the previous state is kept.`,
        );
      }
      return next;
    });
  }

  /** Removes a profile (a saved one from the file too); the next cloud profile becomes the saved active one. */
  remove(id: string): Promise<void> {
    return this.serial(async () => {
      const p = this.profiles.get(id);
      if (p === undefined) return;
      this.profiles.delete(id);
      if (this.sessionActiveId === id) this.sessionActiveId = null;
      if (this.persistedActiveId === id) this.persistedActiveId = this.firstCloud()?.id ?? null;
      if (p.kind === 'cloud') await this.persist();
    });
  }

  /**
   * Makes a profile the one new jobs run on. Choosing the local engine is remembered, so the
   * next launch starts on it too; choosing a cloud profile forgets that choice.
   */
  setActive(id: string): Promise<void> {
    return this.serial(async () => {
      const p = this.profiles.get(id);
      if (p === undefined) throw new VaultError('unknown-profile', 'No such profile');
      if (p.kind === 'cloud') {
        this.sessionActiveId = null;
        this.persistedActiveId = p.id;
        this.localChosen = false;
        await this.persist();
        return;
      }
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
    });
  }

  /** Makes a profile active when none is (the first key given); a cloud profile is saved so. */
  activateIfNone(id: string): Promise<void> {
    return this.serial(async () => {
      const p = this.profiles.get(id);
      if (p === undefined || this.activeId() !== null) return;
      if (p.kind !== 'cloud') {
        this.sessionActiveId = id;
        return;
      }
      this.persistedActiveId = id;
      await this.persist();
    });
  }

  // ---- session-only (env, local) profiles ------------------------------------------------

  /** Puts an env or local profile in place for this session (never written). */
  putSession(input: { id: string; name: string; baseUrl: string; kind: 'env' | 'local' }): Profile {
    const p: Profile = {
      ...input,
      baseUrl: checkBaseUrl(input.baseUrl),
      updatedAt: new Date().toISOString(),
    };
    this.profiles.set(p.id, p);
    return p;
  }

  /** Makes a session-only profile the active one for this session (not a remembered choice). */
  activateForSession(id: string): void {
    if (this.profiles.get(id)?.kind === 'cloud')
      throw new VaultError('invalid-profile', 'Saved profiles are made active with setActive');
    this.sessionActiveId = id;
  }

  // ---- internals -----------------------------------------------------------------------

  private firstCloud(): Profile | undefined {
    return [...this.profiles.values()].find((p) => p.kind === 'cloud');
  }

  private async persist(): Promise<void> {
    const data: ProfilesFileData = {
      version: PROFILES_FILE_VERSION,
      activeProfileId: this.persistedActiveId,
      ...(this.localChosen ? { preferLocal: true as const } : {}),
      profiles: this.list()
        .filter((p) => p.kind === 'cloud')
        .map(({ id, name, baseUrl, updatedAt }) => ({ id, name, baseUrl, updatedAt })),
    };
    await writeProfilesFile(this.o.file, data);
  }

  /** A checked name no other profile has (letter case aside): two alike could not be told apart. */
  private uniqueName(name: string, ownId?: string): string {
    const checked = checkProfileName(name);
    const taken = [...this.profiles.values()].find(
      (p) => p.id !== ownId && p.name.toLowerCase() === checked.toLowerCase(),
    );
    if (taken)
      throw new VaultError(
        'invalid-profile',
        `A profile named "${taken.name}" already exists; give this one another name`,
      );
    return checked;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export function checkProfileName(name: string): string {
  const n = name.trim();
  if (n.length === 0 || n.length > 80)
    throw new VaultError('invalid-profile', 'A profile name has 1 to 80 characters');
  return n;
}

/** A base URL a key may be sent to (client.ts's rules), or VaultError 'invalid-profile'. */
export function checkBaseUrl(url: string): string {
  try {
    return normalizeBaseUrl(url);
  } catch (error) {
    throw new VaultError(
      'invalid-profile',
      error instanceof Error ? error.message : 'Unusable address',
    );
  }
}
