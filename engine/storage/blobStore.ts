/**
 * Where file bytes live: `<dataDir>/blobs/<file_id>/<filename>`. One directory per file, so
 * two uploads with the same name never collide.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  fitFileNameToBytes,
  MAX_FILE_NAME_BYTES,
  splitShortExtension,
  utf8Length,
} from '../../shared/fileNameTemplate';
import { errnoCode } from '../../shared/node/errnoCode';
import { issue, unprocessable, type HttpError } from '../http/errors';
import { removeFolder } from './removeFolder';

/**
 * The longest blob name, in UTF-8 bytes: well under the 255 bytes most disks allow a name
 * (ext4, APFS; NTFS's 255 UTF-16 units are never more than this), whatever a client sends.
 * The cloud accepts longer names, so a longer one is cut (its extension kept), never refused.
 */
export const BLOB_NAME_MAX_BYTES = MAX_FILE_NAME_BYTES;
/**
 * Shorter names tried when the disk still refuses one as too long (eCryptfs allows 143
 * bytes), the last one no more than `file` and the extension.
 */
const SHORTER_BLOB_NAMES = [140, 100] as const;

export class BlobStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'blobs');
  }

  dirOf(fileId: string): string {
    return join(this.root, fileId);
  }

  pathOf(fileId: string, filename: string): string {
    return join(this.root, fileId, filename);
  }

  async prepare(fileId: string): Promise<string> {
    const dir = this.dirOf(fileId);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Removes a file's folder; `filename`, when known, spares the walk of it. */
  async remove(fileId: string, filename?: string): Promise<void> {
    await removeFolder(this.dirOf(fileId), filename === undefined ? [] : [filename]);
  }
}

/**
 * A safe on-disk name from whatever a client sent (multipart filename, URL path): the last
 * path segment, control and reserved characters replaced, never empty, never `..`, at most
 * BLOB_NAME_MAX_BYTES of UTF-8 (cut between characters, the extension kept).
 */
export function safeFileName(raw: string | undefined | null, fallback = 'file.bin'): string {
  let name = basename((raw ?? '').replace(/\\/g, '/'));
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  name = name.replace(/[\0-\x1f<>:"/\\|?*]/g, '_').trim();
  name = name.replace(/^\.+/, '');
  name = fitFileNameToBytes(name, BLOB_NAME_MAX_BYTES);
  return name === '' ? fallback : name;
}

/**
 * The next shorter name to try after the disk answered ENAMETOOLONG for `name`, or null when
 * there is none left: cut to each of SHORTER_BLOB_NAMES, then `file` with the extension.
 */
export function shorterFileName(name: string): string | null {
  for (const bytes of SHORTER_BLOB_NAMES) {
    const cut = fitFileNameToBytes(name, bytes);
    if (cut !== name && cut !== '') return cut;
  }
  const last = `file${splitShortExtension(name).ext}`;
  // In bytes, as every step above: "日本.mp4" is 6 UTF-16 units but 10 bytes.
  return utf8Length(last) < utf8Length(name) ? last : null;
}

/** A name (or a path) longer than the disk takes. */
export function isNameTooLongError(error: unknown): boolean {
  return errnoCode(error) === 'ENAMETOOLONG';
}

/**
 * The answer when the disk refused a path as too long even with the shortest name: the data
 * folder's own path is too long. Not a 500: trying again fails alike, and the client retries
 * a 500; a 422 ends the job with this reason.
 */
export function nameTooLong(dataDir: string): HttpError {
  return unprocessable([
    issue(
      ['file'],
      `The file name is too long for the disk this converter keeps its files on (${dataDir}).`,
    ),
  ]);
}
