/**
 * Finding an upload whose answer was lost. Each upload's file name carries a tag of its job
 * and attempt ("clip~rdj-3f2a9c1b0.mp4": the extension stays last, so the server still knows
 * the format); the server names the file in its storage URL, so a later try lists the recent
 * files and finds it. One of the right size, STORED, is used; any other (broken, a second copy)
 * is handed back to be deleted.
 *
 * An upload still being probed (PROCESSING) has no storage URL yet (renderio-api.md: "null
 * until STORED") and no other field names it, so it cannot be told apart from anyone else's.
 * The count of such uploads is handed back: while there are some, the lost one may be among
 * them, and the caller waits for them to settle rather than send the file a second time.
 */
import {
  cutToUtf8Bytes,
  splitShortExtension,
  utf8Length,
} from '../../../../shared/fileNameTemplate';
import type { StoredFile } from '../../../../shared/renderioApi';
import type { CallOptions, QueueClient } from '../ports';

const MARK = '~rdj-';
/**
 * A tag inside a name the server echoes back in a message ("clip~rdj-3f2a9c1b0.mp4"). The
 * trailing x's are tags of queues saved by earlier versions, which marked a re-sent upload so.
 */
export const UPLOAD_TAG_IN_TEXT = /~rdj-[0-9a-f]+x*/g;
/** Recent files looked through for a lost upload (two pages). */
const PAGES = 2;
const PAGE = 100;

/**
 * The longest upload name, in UTF-8 bytes. A server that cuts a longer name (this computer's
 * engine keeps 200 bytes: engine/storage/blobStore.ts) would cut the tag off with it, and a
 * 244-byte Japanese name plus the tag is more than a disk takes (255 bytes).
 */
export const UPLOAD_NAME_MAX_BYTES = 180;

/** `clip.mp4` → `clip~rdj-3f2a9c1b0.mp4`; a long name loses the end of its stem, never the tag. */
export function uploadNameFor(sourceName: string, tag: string): string {
  const mark = `${MARK}${tag}`;
  const { stem, ext } = splitShortExtension(sourceName);
  const stemRoom = UPLOAD_NAME_MAX_BYTES - utf8Length(mark + ext);
  return `${cutToUtf8Bytes(stem, stemRoom)}${mark}${ext}`;
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

export interface TaggedUploadLookup {
  /** The whole upload to use, if one was found. */
  fileId: string | null;
  /** Other copies of this upload, to delete. */
  extra: string[];
  /** Uploads of a fitting size still being probed: any of them may be the lost one. */
  probing: number;
}

/** The file to use (if any), the other copies of this upload, and the uploads not yet named. */
export async function findTaggedUpload(
  client: QueueClient,
  tag: string,
  options: CallOptions & { sourceSize?: number },
): Promise<TaggedUploadLookup> {
  const tagged: StoredFile[] = [];
  let probing = 0;
  const sizeFits = (f: StoredFile): boolean =>
    options.sourceSize === undefined ||
    f.size_mbytes === null ||
    Math.abs(f.size_mbytes * 1e6 - options.sourceSize) <= options.sourceSize * 0.01 + 10_000;
  for (let page = 0; page < PAGES; page++) {
    const { files } = await client.listFiles({ limit: PAGE, offset: page * PAGE }, options);
    for (const f of files) {
      if (f.is_deleted) continue;
      if (carriesTag(f, tag)) tagged.push(f);
      else if (f.status === 'PROCESSING' && f.rendi_store_type === 'UPLOAD' && sizeFits(f))
        probing += 1;
    }
    if (files.length < PAGE) break;
  }
  // Named, so STORED: a whole upload whose answer was lost. A FAILED one is deleted with the
  // other copies, and the file sent again.
  const usable = tagged.find((f) => f.status === 'STORED' && f.storage_url && sizeFits(f));
  return {
    fileId: usable?.file_id ?? null,
    extra: tagged.filter((f) => f !== usable).map((f) => f.file_id),
    probing,
  };
}
