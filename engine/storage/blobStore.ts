/**
 * Where file bytes live: `<dataDir>/blobs/<file_id>/<filename>`. One directory per file, so
 * two uploads with the same name never collide.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { removeFolder } from './removeFolder';

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
 * path segment, control and reserved characters replaced, never empty, never `..`.
 */
export function safeFileName(raw: string | undefined | null, fallback = 'file.bin'): string {
  let name = basename((raw ?? '').replace(/\\/g, '/'));
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  name = name.replace(/[\0-\x1f<>:"/\\|?*]/g, '_').trim();
  name = name.replace(/^\.+/, '');
  if (name.length > 150) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 150 - ext.length) + ext;
  }
  return name === '' ? fallback : name;
}
