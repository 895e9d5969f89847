/**
 * Whether an upload was stored whole. Three counts of the `file` part must be one number: the
 * bytes busboy delivered, the bytes the write stream says it wrote, and the size of the file on
 * disk once the write is over. Before this the engine stored `bytesWritten` and trusted it, so a
 * part cut short (or a write that lost bytes) could be answered 200 and probed as if whole: a
 * half video that ffprobe reads is a shorter video, and the person learns it from the output.
 *
 * What else is held elsewhere: a declared Content-Length by Node's HTTP parser (a body that
 * stops short of it is a closed connection, files/upload.ts answers nobody and keeps nothing),
 * the size limit by busboy (`truncated`, answered 413). A part's own Content-Length would be
 * the one length left to compare, but RFC 7578 §4.8 says it must be ignored, and busboy does.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { HttpError, issue, unprocessable } from '../http/errors';

/**
 * A pass-through that counts the bytes of the file part as busboy hands them over. A stage of
 * the pipeline rather than a second 'data' listener on busboy's stream: one such listener once
 * changed how that stream flowed, and a 6 MB upload was answered 200 with 3.4 MB stored
 * (storage/diskSpace.ts, whileRoomLasts).
 */
export class ByteCounter extends Transform {
  bytes = 0;

  constructor(highWaterMark: number) {
    super({ highWaterMark });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

export interface UploadTally {
  /** Bytes of the file part busboy delivered. */
  delivered: number;
  /** Bytes the write stream reports written. */
  written: number;
  /** Size of the stored file on disk after the write. */
  onDisk: number;
}

/**
 * Null when the three counts agree; otherwise the refusal. A 500 (renderio-api.md §3,
 * "internal"): the client sent what it sent, the engine failed to keep it, and the same upload
 * sent again may well succeed (the app retries a 5xx).
 */
export function refusalUnlessWhole(tally: UploadTally): HttpError | null {
  const { delivered, written, onDisk } = tally;
  if (delivered === written && written === onDisk) return null;
  return new HttpError(
    500,
    `The upload was not stored whole: ${delivered} bytes of the file arrived, ${written} were ` +
      `written and ${onDisk} are on disk. Nothing was kept; upload it again.`,
  );
}

/**
 * The refusal of a body that ended (properly framed: a chunked body's last chunk, or all of its
 * Content-Length) inside the file part, before the boundary that closes it: the file is cut
 * short, whoever cut it. A 422 like the other multipart bodies the engine cannot take
 * (renderio-api.md §2, "Upload a local file"), located at the part.
 */
export function fileCutShort(arrivedBytes: number): HttpError {
  return unprocessable([
    issue(
      ['file'],
      `the upload ended inside the file, after ${arrivedBytes} bytes of it, without the ` +
        'boundary that closes the part: the file is incomplete and was not kept',
    ),
  ]);
}
