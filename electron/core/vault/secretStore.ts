/**
 * The secret store: API keys by profile id, as VS Code's secret storage keeps secrets by key.
 * A stored key is on disk only as the SecretCipher's output (keys.json, secretsFile.ts); a
 * session-only key (the environment's, the local engine's, or one the person chose to keep
 * for this session) only in memory. Keys decrypted once are cached for the session, so the
 * OS store is not asked on every call; a key the OS asks to re-encrypt (safeStorage's
 * shouldReEncrypt, after it rotated its own key) is encrypted anew and written back.
 *
 * The weak-store rules apply here (storagePolicy.ts): nothing is written to disk unless the
 * cipher is secure or the person chose weak storage. Listeners hear of every change by id,
 * never the key.
 */
import { maskApiKey } from '../../../shared/apiKey';
import type { VaultStorageStatus } from '../../../shared/profileTypes';
import { createLogger, registerSecret, type Logger } from '../../../shared/redact';
import { errnoCode } from '../../../shared/node/errnoCode';
import { forgetGate } from '../client/rateGate';
import { CipherUnavailableError, type SecretCipher } from '../ports';
import { SECRETS_FILE_VERSION, writeSecretsFile, type SecretsFileData } from './secretsFile';
import { insecureStorageMessage, readStorageStatus } from './storagePolicy';
import { VaultError } from './vaultErrors';

export interface SecretStoreOptions {
  /** keys.json; read by the vault (vaultFile.ts), written here. */
  file: string;
  /** null: no usable OS encryption at all (keys can only be held for the session). */
  cipher: SecretCipher | null;
  logger?: Logger;
}

/** What may be known about a key without holding it. */
export interface SecretInfo {
  id: string;
  /** `ffsk_…a1b2`. */
  hint: string | null;
  verified: boolean | null;
  /** 'memory': for this session only; 'disk': ciphertext in keys.json. */
  location: 'memory' | 'disk';
  /** The cipher backend that encrypted a key on disk. */
  backend: string | null;
  updatedAt: string;
}

export interface SecretChange {
  id: string;
  /** 'set': a key was given (new or the same again); 'verified': only its check changed. */
  change: 'set' | 'deleted' | 'verified';
}

interface Secret {
  ciphertext: Buffer | null;
  backend: string | null;
  /** A key held only in memory. */
  memoryKey: string | null;
  hint: string | null;
  verified: boolean | null;
  updatedAt: string;
}

export class SecretStore {
  private secrets: Map<string, Secret>;
  /** Keys decrypted this session. */
  private readonly plain = new Map<string, string>();
  private allowInsecure: boolean;
  private readonly listeners = new Set<(change: SecretChange) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  /** `data`: the file as loadVaultFiles read it; `allowInsecurePersistence` also counts the app's option. */
  constructor(
    private readonly o: SecretStoreOptions,
    data: SecretsFileData,
    allowInsecurePersistence = false,
  ) {
    this.log = o.logger ?? createLogger('vault', () => undefined);
    this.allowInsecure = data.allowInsecurePersistence || allowInsecurePersistence;
    this.secrets = new Map(
      Object.entries(data.secrets).map(([id, s]) => [
        id,
        {
          ciphertext: Buffer.from(s.ciphertext, 'base64'),
          backend: s.backend,
          memoryKey: null,
          hint: s.hint,
          verified: s.verified,
          updatedAt: s.updatedAt,
        },
      ]),
    );
  }

  // ---- reading -------------------------------------------------------------------------

  hasCipher(): boolean {
    return this.o.cipher !== null;
  }

  storage(): Promise<VaultStorageStatus> {
    return readStorageStatus(this.o.cipher, this.allowInsecure);
  }

  has(id: string): boolean {
    return this.secrets.has(id);
  }

  info(id: string): SecretInfo | undefined {
    const s = this.secrets.get(id);
    return s === undefined ? undefined : describe(id, s);
  }

  list(): SecretInfo[] {
    return [...this.secrets].map(([id, s]) => describe(id, s));
  }

  /**
   * The key of `id`, or null when there is none. For the vault's key lending (keyAccess.ts)
   * and nothing else: code that needs a key borrows it with withKey. `name` is how the
   * errors call the profile. Throws VaultError 'undecryptable' or 'store-unavailable'.
   */
  async get(id: string, name = 'this profile'): Promise<string | null> {
    const s = this.secrets.get(id);
    if (s === undefined) return null;
    if (s.memoryKey !== null) return s.memoryKey;
    const cached = this.plain.get(id);
    if (cached !== undefined) return cached;
    const opened = await this.decrypt(s, name);
    this.plain.set(id, opened.plain);
    if (opened.reEncrypt) await this.serial(() => this.reEncrypt(id, s, opened.plain));
    return opened.plain;
  }

  /** Whether `id` has a key that can be read now (a replacement needs no check when not). */
  async hasReadable(id: string): Promise<boolean> {
    return (await this.get(id).catch(() => null)) !== null;
  }

  onDidChange(listener: (change: SecretChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- writing -------------------------------------------------------------------------

  /**
   * Stores `key` for `id`: in memory when `sessionOnly`, else encrypted on disk (refused with
   * 'insecure-storage' where the weak-store rules forbid it). Only a key that reached the
   * disk (or memory) replaces the previous one; a failure keeps the previous state and
   * throws VaultError 'storage'.
   */
  set(
    id: string,
    key: string,
    options: { sessionOnly: boolean; verified: boolean | null },
  ): Promise<SecretInfo> {
    registerSecret(key);
    return this.serial(async () => {
      const next: Secret = {
        ciphertext: null,
        backend: null,
        memoryKey: key,
        hint: maskApiKey(key),
        verified: options.verified,
        updatedAt: new Date().toISOString(),
      };
      if (!options.sessionOnly) {
        const storage = await this.storage();
        if (!storage.persistAllowed)
          throw new VaultError(
            'insecure-storage',
            insecureStorageMessage(storage.backend, this.hasCipher()),
          );
        try {
          next.ciphertext = await this.o.cipher!.encrypt(key);
        } catch {
          throw new VaultError(
            'storage',
            `The key could not be encrypted by the system key store (${storage.backend}). Nothing was saved.`,
          );
        }
        next.backend = storage.backend;
        next.memoryKey = null;
      }
      const old = this.plain.get(id) ?? this.secrets.get(id)?.memoryKey ?? null;
      await this.commit((secrets) => secrets.set(id, next));
      this.plain.set(id, key);
      if (old !== null && old !== key) forgetGate(old);
      this.emit({ id, change: 'set' });
      return describe(id, next);
    });
  }

  /** Removes the key of `id` from memory and disk; false when there was none. */
  delete(id: string): Promise<boolean> {
    return this.serial(async () => {
      const s = this.secrets.get(id);
      if (s === undefined) return false;
      const old = this.plain.get(id) ?? s.memoryKey;
      await this.commit((secrets) => secrets.delete(id));
      this.plain.delete(id);
      if (old !== null) forgetGate(old);
      this.emit({ id, change: 'deleted' });
      return true;
    });
  }

  /** Records whether the API accepted the key of `id` (a later 401 makes it false). */
  setVerified(id: string, verified: boolean): Promise<void> {
    return this.serial(async () => {
      const s = this.secrets.get(id);
      if (s === undefined || s.verified === verified) return;
      await this.commit((secrets) => secrets.set(id, { ...s, verified }));
      this.emit({ id, change: 'verified' });
    });
  }

  /**
   * The explicit choice to store keys although the OS store is weak (Linux basic_text).
   * Turning it off moves weakly stored keys to memory (kept for this session) and off the disk.
   */
  setAllowInsecurePersistence(allow: boolean): Promise<void> {
    return this.serial(async () => {
      const before = this.allowInsecure;
      this.allowInsecure = allow;
      const storage = await this.storage();
      const moved = new Map<string, Secret | null>();
      if (!allow && !storage.secure) {
        for (const [id, s] of this.secrets) {
          if (s.ciphertext === null) continue;
          const key =
            this.plain.get(id) ?? (await this.decrypt(s, 'a profile').catch(() => null))?.plain;
          // A key that cannot be read any more cannot be kept either.
          moved.set(id, key ? { ...s, ciphertext: null, backend: null, memoryKey: key } : null);
        }
      }
      try {
        await this.commit((secrets) => {
          for (const [id, s] of moved) {
            if (s === null) secrets.delete(id);
            else secrets.set(id, s);
          }
        }, true);
      } catch (error) {
        this.allowInsecure = before;
        throw error;
      }
    });
  }

  // ---- internals -----------------------------------------------------------------------

  private async decrypt(s: Secret, name: string): Promise<{ plain: string; reEncrypt: boolean }> {
    if (s.ciphertext === null) throw new VaultError('undecryptable', 'No stored key');
    if (this.o.cipher === null)
      throw new VaultError(
        'undecryptable',
        `The key of ${name} cannot be read: no system key store is available`,
      );
    let opened: { plain: string; reEncrypt: boolean };
    try {
      opened = await this.o.cipher.decrypt(s.ciphertext);
    } catch (error) {
      if (error instanceof CipherUnavailableError)
        throw new VaultError('store-unavailable', error.message);
      throw new VaultError(
        'undecryptable',
        `The stored key of ${name} could not be decrypted (the system key store changed?); enter it again`,
      );
    }
    registerSecret(opened.plain);
    return opened;
  }

  /**
   * The OS rotated its key: store the key encrypted anew, so it stays readable after the old
   * OS key is retired. A failure only costs a later retry.
   */
  private async reEncrypt(id: string, seen: Secret, key: string): Promise<void> {
    try {
      const ciphertext = await this.o.cipher!.encrypt(key);
      const current = this.secrets.get(id);
      if (current?.ciphertext !== seen.ciphertext) return; // changed meanwhile: leave it
      await this.commit((secrets) => secrets.set(id, { ...current, ciphertext }));
    } catch (error) {
      this.log.warn(
        `profile ${id}: re-encrypting the key failed (${errnoCode(error) ?? 'error'}); it is tried again next start`,
      );
    }
  }

  /**
   * Applies a change to a copy, writes the copy when anything on disk changes (or `always`),
   * and only then makes it current: a failed write leaves the previous state.
   */
  private async commit(
    change: (secrets: Map<string, Secret>) => void,
    always = false,
  ): Promise<void> {
    const next = new Map(this.secrets);
    change(next);
    const touchesDisk =
      always ||
      [...new Set([...this.secrets.keys(), ...next.keys()])].some(
        (id) =>
          (this.secrets.get(id)?.ciphertext ?? null) !== null ||
          (next.get(id)?.ciphertext ?? null) !== null,
      );
    if (touchesDisk) {
      try {
        await writeSecretsFile(this.o.file, this.fileData(next));
      } catch (error) {
        throw new VaultError(
          'storage',
          `The key store could not be written (${errnoCode(error) ?? 'error'}); the previous state is kept.`,
        );
      }
    }
    this.secrets = next;
  }

  private fileData(secrets: Map<string, Secret>): SecretsFileData {
    const data: SecretsFileData = {
      version: SECRETS_FILE_VERSION,
      allowInsecurePersistence: this.allowInsecure,
      secrets: {},
    };
    for (const [id, s] of secrets) {
      // A session-only key leaves no trace on disk, not even its hint.
      if (s.ciphertext === null) continue;
      data.secrets[id] = {
        ciphertext: s.ciphertext.toString('base64'),
        backend: s.backend,
        hint: s.hint,
        verified: s.verified,
        updatedAt: s.updatedAt,
      };
    }
    return data;
  }

  private emit(change: SecretChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.log.error(`a listener of key changes failed: ${String(error)}`);
      }
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function describe(id: string, s: Secret): SecretInfo {
  return {
    id,
    hint: s.hint,
    verified: s.verified,
    location: s.ciphertext === null ? 'memory' : 'disk',
    backend: s.backend,
    updatedAt: s.updatedAt,
  };
}
