/**
 * Files: records, probing (PROCESSING → STORED | FAILED), deletion, and the lookup of the
 * engine's own storage URLs so commands read them from disk without a network hop.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, constants, rename, stat } from 'node:fs/promises';
import { redact } from '../../shared/redact';
import type { MediaFields, StoreType } from '../../shared/renderioApi';
import { probeMedia } from '../ffmpeg/probe';
import type { EngineContext } from '../engineContext';
import { EMPTY_MEDIA, type FileRecord } from '../state/records';
import { isNameTooLongError, shorterFileName } from '../storage/blobStore';
import { STORAGE_PREFIX } from '../storage/signing';

export type StorageLookup =
  | { kind: 'not-ours' }
  | { kind: 'ok'; record: FileRecord; path: string }
  | { kind: 'refused'; reason: string };

const MIB = 1024 * 1024;

/** What ffprobe does when it cannot start or finish, rather than what it found in the file. */
const PROBE_DID_NOT_RUN = /^(ffprobe could not be started|ffprobe did not finish|probe aborted)/;

/**
 * Why a file could not be read, the plain words first: a half-copied video is as unreadable as
 * a text file renamed .mp4, and ffprobe says the same of both ("Invalid data found when
 * processing input"), so the words name both; ffprobe's own follow for the details.
 */
function unreadableMessage(reason: string): string {
  if (PROBE_DID_NOT_RUN.test(reason)) return `The file was not read: ${reason}.`;
  return `It is not a video or audio file, or it is damaged or incomplete. ffmpeg's reason: ${reason}`;
}

export class FileService {
  /** Probes in flight, so close() can wait for them. */
  private probes = new Set<Promise<unknown>>();
  private closing = new AbortController();

  constructor(private readonly ctx: EngineContext) {}

  get(fileId: string): FileRecord | undefined {
    return this.ctx.store.state.files[fileId];
  }

  /** Non-deleted files, newest first. State keeps insertion order, which is creation order. */
  list(limit: number, offset: number): FileRecord[] {
    return Object.values(this.ctx.store.state.files)
      .reverse()
      .filter((f) => !f.is_deleted)
      .slice(offset, offset + limit);
  }

  /** A new record in PROCESSING, its blob directory created. */
  async create(
    type: StoreType,
    filename: string,
    extra: Partial<FileRecord> = {},
  ): Promise<FileRecord> {
    const fileId = randomUUID();
    await this.ctx.blobs.prepare(fileId);
    const record: FileRecord = {
      file_id: fileId,
      status: 'PROCESSING',
      rendi_store_type: type,
      is_deleted: false,
      original_file_url: null,
      error_status: null,
      error_message: null,
      created_at: new Date().toISOString(),
      filename,
      received: false,
      size_bytes: null,
      command_id: null,
      ...EMPTY_MEDIA,
      ...extra,
    };
    this.ctx.store.state.files[fileId] = record;
    this.ctx.store.changed();
    return record;
  }

  pathOf(record: FileRecord): string {
    return this.ctx.blobs.pathOf(record.file_id, record.filename);
  }

  /**
   * The first write of a record's bytes, to `pathOf(record)`. A disk that takes shorter names
   * than safeFileName keeps (eCryptfs: 143 bytes) answers ENAMETOOLONG: the record is given a
   * shorter name and `write` runs again, so a client's name never fails a file. Costs nothing
   * when the name fits. What is left (the data folder's own path too long) is thrown.
   */
  async writeUnderItsName<T>(record: FileRecord, write: (path: string) => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await write(this.pathOf(record));
      } catch (error) {
        const shorter = isNameTooLongError(error) ? shorterFileName(record.filename) : null;
        if (shorter === null) throw error;
        this.ctx.logger.warn(
          `file ${record.file_id}: the disk refused its name as too long; stored as "${shorter}"`,
        );
        record.filename = shorter;
        this.ctx.store.changed();
      }
    }
  }

  /**
   * The file ends FAILED, its reason kept; its bytes go first, whatever of them arrived: a
   * FAILED file has no storage URL, so they could only take room (a broken import's on a full
   * disk most of all), and whoever sees FAILED finds them gone. The record stays until it is
   * deleted or forgotten, for the client polling it.
   */
  async fail(record: FileRecord, status: string, message: string): Promise<void> {
    await this.ctx.blobs.remove(record.file_id, record.filename).catch(() => undefined);
    record.status = 'FAILED';
    record.error_status = status;
    record.error_message = redact(message);
    this.ctx.store.changed();
  }

  /** All bytes are on disk: note the size and probe in the background. */
  received(record: FileRecord, sizeBytes: number): void {
    record.received = true;
    record.size_bytes = sizeBytes;
    this.ctx.store.changed();
    this.track(this.probe(record));
  }

  /** Work that outlives the request (a store-file download); close() aborts and awaits it. */
  background(work: (signal: AbortSignal) => Promise<void>): void {
    this.track(work(this.closing.signal));
  }

  private track(p: Promise<unknown>): void {
    this.probes.add(p);
    void p.finally(() => this.probes.delete(p));
  }

  /** Fills the media fields; a file ffprobe cannot read ends FAILED with its reason. */
  async probe(record: FileRecord): Promise<MediaFields | null> {
    const local = this.ctx.ffmpeg;
    if (!local.available) {
      // No usable ffprobe on this computer: say that, not what spawning it would have said.
      await this.fail(record, 'PROBE_FAILED', `The file was not read: ${local.problem.message}`);
      return null;
    }
    const outcome = await probeMedia(this.pathOf(record), {
      ffprobePath: local.ffprobe.path,
      signal: this.closing.signal,
    }).catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
    if (this.closing.signal.aborted) return null;
    if (!outcome.ok) {
      await this.fail(record, 'PROBE_FAILED', unreadableMessage(outcome.reason));
      return null;
    }
    Object.assign(record, outcome.media);
    if (record.size_mbytes === null && record.size_bytes !== null)
      record.size_mbytes = Math.round((record.size_bytes / MIB) * 1000) / 1000;
    record.status = 'STORED';
    this.ctx.store.changed();
    return outcome.media;
  }

  /**
   * Moves a command's output into storage as an OUTPUT file and probes it; with `probe: false`
   * it is STORED at once with its size and null media fields (EngineOptions.probeOutputs).
   */
  async adoptOutput(
    commandId: string,
    sourcePath: string,
    filename: string,
    { probe = true }: { probe?: boolean } = {},
  ): Promise<FileRecord> {
    const record = await this.create('OUTPUT', filename, { command_id: commandId });
    const target = await this.writeUnderItsName(record, async (path) => {
      try {
        await rename(sourcePath, path);
      } catch (error) {
        if (isNameTooLongError(error)) throw error;
        await copyFile(sourcePath, path);
      }
      return path;
    });
    record.received = true;
    record.size_bytes = (await stat(target)).size;
    if (!probe) {
      record.size_mbytes = Math.round((record.size_bytes / MIB) * 1e6) / 1e6;
      record.status = 'STORED';
      this.ctx.store.changed();
      return record;
    }
    this.ctx.store.changed();
    await this.probe(record);
    return record;
  }

  /** Forgets a record that never became a file (a refused upload) and its bytes. */
  async discard(fileId: string): Promise<void> {
    const filename = this.ctx.store.state.files[fileId]?.filename;
    delete this.ctx.store.state.files[fileId];
    this.ctx.store.changed();
    await this.ctx.blobs.remove(fileId, filename);
  }

  /** Marks deleted and removes the bytes. False when unknown or already deleted. */
  async delete(fileId: string): Promise<boolean> {
    const record = this.get(fileId);
    if (!record || record.is_deleted) return false;
    record.is_deleted = true;
    record.deleted_at = new Date().toISOString();
    this.ctx.store.changed();
    await this.ctx.blobs.remove(fileId, record.filename);
    return true;
  }

  /**
   * Whether a URL is one of this engine's storage URLs, and if so the file behind it. The
   * origin must be the engine's own (any loopback spelling with the same port counts).
   */
  lookupStorageUrl(raw: string): StorageLookup {
    let url: URL;
    let own: URL;
    try {
      url = new URL(raw);
      own = new URL(this.ctx.origin());
    } catch {
      return { kind: 'not-ours' };
    }
    const loopback = (h: string) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(h);
    const sameHost =
      url.hostname === own.hostname || (loopback(url.hostname) && loopback(own.hostname));
    if (url.protocol !== own.protocol || !sameHost || url.port !== own.port)
      return { kind: 'not-ours' };
    if (!url.pathname.startsWith(STORAGE_PREFIX)) return { kind: 'not-ours' };
    const parts = url.pathname.slice(STORAGE_PREFIX.length).split('/');
    if (parts.length !== 2) return { kind: 'refused', reason: 'is not a valid storage URL' };
    let fileId: string;
    let filename: string;
    try {
      fileId = decodeURIComponent(parts[0] ?? '');
      filename = decodeURIComponent(parts[1] ?? '');
    } catch {
      return { kind: 'refused', reason: 'is not a valid storage URL' };
    }
    const verdict = this.ctx.signer.check(
      fileId,
      filename,
      url.searchParams.get('expires'),
      url.searchParams.get('signature'),
    );
    if (verdict === 'expired')
      return { kind: 'refused', reason: 'is a storage URL that has expired' };
    if (verdict === 'invalid')
      return { kind: 'refused', reason: 'is a storage URL with an invalid signature' };
    const record = this.get(fileId);
    if (!record || record.filename !== filename || record.is_deleted)
      return { kind: 'refused', reason: 'names a stored file that does not exist or was deleted' };
    if (record.status !== 'STORED')
      return {
        kind: 'refused',
        reason: `names a file whose status is ${record.status}, not STORED`,
      };
    return { kind: 'ok', record, path: this.pathOf(record) };
  }

  /** Copies a stored file (a reflink where the file system offers one). */
  async copyStored(record: FileRecord, target: string): Promise<void> {
    await copyFile(this.pathOf(record), target, constants.COPYFILE_FICLONE);
  }

  /** After a restart: re-probe files whose bytes all arrived; fail the rest. */
  recover(): void {
    for (const record of Object.values(this.ctx.store.state.files)) {
      if (record.status !== 'PROCESSING' || record.is_deleted) continue;
      if (record.received) this.track(this.probe(record));
      else
        this.track(
          this.fail(
            record,
            'ENGINE_RESTARTED',
            'The engine stopped before the whole file was received; upload it again.',
          ),
        );
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.probes]);
  }
}
