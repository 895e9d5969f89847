/**
 * Stored API keys (`<dataDir>/keys.json`, hashes only) plus memory-only keys given to
 * startEngine. The file is re-read when it changes on disk, so `npm run engine -- keys
 * revoke` takes effect in a running engine within a second.
 */
import { readFile, stat } from 'node:fs/promises';
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { isApiKey } from '../../shared/apiKey';
import { writeFileAtomic } from '../../shared/node/atomicWrite';
import { generateKey, hashKey, keyIdOf } from './keyHash';

export interface StoredKey {
  id: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
}

interface KeysFile {
  keys: StoredKey[];
}

export class KeyStore {
  readonly path: string;
  private keys: StoredKey[] = [];
  private memoryHashes = new Set<string>();
  private loadedMtimeMs = -1;
  private lastCheck = 0;

  constructor(dataDir: string, memoryKeys: string[] = []) {
    this.path = join(dataDir, 'keys.json');
    for (const key of memoryKeys) this.memoryHashes.add(hashKey(key));
  }

  async load(): Promise<void> {
    try {
      const info = await stat(this.path);
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as KeysFile;
      this.keys = Array.isArray(parsed.keys) ? parsed.keys : [];
      this.loadedMtimeMs = info.mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.keys = [];
      this.loadedMtimeMs = -1;
    }
    this.lastCheck = Date.now();
  }

  /** Re-reads the file if another process changed it (checked at most once a second). */
  private async refresh(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCheck < 1000) return;
    this.lastCheck = now;
    let mtime = -1;
    try {
      mtime = (await stat(this.path)).mtimeMs;
    } catch {
      // no file: no stored keys
    }
    if (mtime !== this.loadedMtimeMs) await this.load();
  }

  /** The key's id when it is valid (well-formed, known, not revoked), else null. */
  async verify(key: string | undefined): Promise<string | null> {
    if (key === undefined || !isApiKey(key)) return null;
    await this.refresh();
    const hash = hashKey(key);
    if (this.memoryHashes.has(hash)) return keyIdOf(hash);
    const wanted = Buffer.from(hash, 'hex');
    for (const stored of this.keys) {
      if (stored.revoked_at !== null) continue;
      const candidate = Buffer.from(stored.hash, 'hex');
      if (candidate.length === wanted.length && timingSafeEqual(candidate, wanted))
        return stored.id;
    }
    return null;
  }

  async create(): Promise<string> {
    await this.load();
    const key = generateKey();
    const hash = hashKey(key);
    this.keys.push({
      id: keyIdOf(hash),
      hash,
      created_at: new Date().toISOString(),
      revoked_at: null,
    });
    await this.save();
    return key;
  }

  /** Revokes by full key or by key id. Memory keys are simply forgotten. Returns whether one matched. */
  async revoke(keyOrId: string): Promise<boolean> {
    await this.load();
    const hash = isApiKey(keyOrId) ? hashKey(keyOrId) : null;
    let matched = false;
    if (hash && this.memoryHashes.delete(hash)) matched = true;
    for (const stored of this.keys) {
      if ((hash !== null && stored.hash === hash) || stored.id === keyOrId) {
        if (stored.revoked_at === null) stored.revoked_at = new Date().toISOString();
        matched = true;
      }
    }
    if (matched) await this.save();
    return matched;
  }

  async list(): Promise<StoredKey[]> {
    await this.load();
    return this.keys.map((k) => ({ ...k }));
  }

  private async save(): Promise<void> {
    await writeFileAtomic(
      this.path,
      JSON.stringify({ keys: this.keys } satisfies KeysFile, null, 2),
    );
    this.loadedMtimeMs = (await stat(this.path)).mtimeMs;
  }
}
