/**
 * Finding an upload whose answer was lost. Each upload's file name carries a tag of its job
 * and attempt ("clip~rdj-3f2a9c1b0.mp4": the extension stays last, so the server still knows
 * the format); the server names the file in its storage URL, so a later try lists the recent
 * files and finds it. One of the right size, STORED or still being probed, is used; any other
 * (broken, a second copy) is handed back to be deleted.
 */
import type { StoredFile } from '../../../../shared/renderioApi';
import type { CallOptions, QueueClient } from '../ports';

const MARK = '~rdj-';
/** Recent files looked through for a lost upload (two pages). */
const PAGES = 2;
const PAGE = 100;

export function uploadNameFor(sourceName: string, tag: string): string {
  const dot = sourceName.lastIndexOf('.');
  if (dot <= 0) return `${sourceName}${MARK}${tag}`;
  return `${sourceName.slice(0, dot)}${MARK}${tag}${sourceName.slice(dot)}`;
}

function carriesTag(file: StoredFile, tag: string): boolean {
  const needle = `${MARK}${tag}`;
  for (const url of [file.storage_url, file.original_file_url]) {
    if (!url) continue;
    try {
      if (decodeURIComponent(new URL(url).pathname).includes(needle)) return true;
    } catch {
      // Not a URL the server should send: not ours.
    }
  }
  return false;
}

/** The file to use (if any) and the other copies of this upload to delete. */
export async function findTaggedUpload(
  client: QueueClient,
  tag: string,
  options: CallOptions & { sourceSize?: number },
): Promise<{ fileId: string | null; extra: string[] }> {
  const tagged: StoredFile[] = [];
  for (let page = 0; page < PAGES; page++) {
    const { files } = await client.listFiles({ limit: PAGE, offset: page * PAGE }, options);
    tagged.push(...files.filter((f) => !f.is_deleted && carriesTag(f, tag)));
    if (files.length < PAGE) break;
  }
  const sizeFits = (f: StoredFile): boolean =>
    options.sourceSize === undefined ||
    f.size_mbytes === null ||
    Math.abs(f.size_mbytes * 1e6 - options.sourceSize) <= options.sourceSize * 0.01 + 10_000;
  // STORED, or still being probed (PROCESSING): a whole upload whose answer was lost. One that
  // turns out FAILED is dropped by the upload phase and the file sent again.
  const usable =
    tagged.find((f) => f.status === 'STORED' && f.storage_url && sizeFits(f)) ??
    tagged.find((f) => f.status === 'PROCESSING' && sizeFits(f));
  return {
    fileId: usable?.file_id ?? null,
    extra: tagged.filter((f) => f !== usable).map((f) => f.file_id),
  };
}
