/**
 * Multipart upload, streamed straight to disk with busboy: the part named `file` goes to
 * `<blobs>/<file_id>/<name>`; nothing is held in memory beyond stream buffers. A request that
 * is not multipart, or declares more than the limit, was already refused by the dispatcher
 * (http/bodyGate.ts); this counts what actually arrives, and what the disk can hold
 * (storage/diskSpace.ts). A file is accepted only once what arrived, what was written and what
 * is on disk are the same bytes (files/uploadIntegrity.ts); any refusal keeps no record and no
 * bytes.
 */
import busboy from 'busboy';
import { createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { declaredLength, notMultipart, uploadTooLarge } from '../http/bodyGate';
import { ClientAbortedError, watchForClientAbort } from '../http/clientAborted';
import { HttpError, issue, unprocessable } from '../http/errors';
import { safeFileName } from '../storage/blobStore';
import { whileRoomLasts } from '../storage/diskSpace';
import type { FileRecord } from '../state/records';
import type { FileService } from './fileService';
import { STREAM_CHUNK_BYTES, UPLOAD_WRITE_BUFFER_BYTES } from '../storage/streamChunk';
import { ByteCounter, fileCutShort, refusalUnlessWhole, type UploadTally } from './uploadIntegrity';

const HWM = STREAM_CHUNK_BYTES;

/** A part's stream as busboy hands it over: `truncated` once the size limit was reached. */
type PartStream = Readable & { truncated?: boolean };

/** The disk the upload lands on, and what it must leave free (storage/diskSpace.ts). */
export interface UploadRoom {
  dataDir: string;
  keepFreeBytes: number;
}

export async function receiveUpload(
  req: IncomingMessage,
  files: FileService,
  limitBytes: number,
  room: UploadRoom,
): Promise<FileRecord> {
  // Room on the disk: a declared length was checked from the head by the dispatcher (before
  // any go-ahead); without one, it is looked at while the file is written (whileRoomLasts).
  const declared = declaredLength(req.headers);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      highWaterMark: HWM,
      fileHwm: HWM,
      // A browser (and fetch's FormData) sends a non-ASCII name as raw UTF-8 in `filename`;
      // busboy's default, latin1, made "日本語.mp4" mojibake three times as long. The app's
      // own uploads also send RFC 5987 `filename*`, which busboy reads as UTF-8 either way.
      defParamCharset: 'utf8',
      // One byte over the limit: busboy flags a part `truncated` as soon as it has delivered
      // `fileSize` bytes, so with the limit itself a file of exactly the limit was refused 413
      // ("larger than the limit") although nothing of it had been cut.
      limits: { fileSize: limitBytes + 1, files: 1, fields: 20, parts: 30 },
    });
  } catch {
    req.resume();
    throw notMultipart();
  }

  return new Promise<FileRecord>((resolve, reject) => {
    let record: FileRecord | null = null;
    /** The disk write of the file part; resolves to its three counts once it is over. */
    let writing: Promise<UploadTally | null> | null = null;
    let tooBig = false;
    /**
     * Busboy's own error on the file part: the body stopped while the part was still open.
     * Either of two events may come first, the parser's 'error' or the write's failure; both
     * answer the same refusal.
     */
    let cutShort: unknown = null;
    /** The disk write failed: an error pipeline then passes back to the part is not busboy's. */
    let writeFailed = false;
    let settled = false;
    let fileStream: PartStream | null = null;
    const counter = new ByteCounter(HWM);

    const finish = (error: HttpError | Error | null, value?: FileRecord) => {
      if (settled) return;
      settled = true;
      if (error) {
        req.unpipe(parser);
        req.resume();
        // Ends the disk write, so the clean-up below can run.
        fileStream?.destroy();
        if (record) {
          const failed = record;
          // A refused upload leaves no trace: no record, no bytes.
          void (writing ?? Promise.resolve())
            .catch(() => undefined)
            .then(() => files.discard(failed.file_id));
        }
        reject(error);
      } else if (value) resolve(value);
    };

    parser.on('file', (name: string, stream: PartStream, info: busboy.FileInfo) => {
      if (name !== 'file' || record !== null || settled) {
        stream.resume();
        return;
      }
      fileStream = stream;
      stream.on('limit', () => {
        tooBig = true;
      });
      // Busboy destroys the part's stream with an error of its own only while the part is still
      // open ("Unexpected end of file"). The same stream also gets our refusals (HttpError, from
      // whileRoomLasts) and, from pipeline, the disk write's error: those are not a cut.
      stream.once('error', (error) => {
        if (!(error instanceof HttpError) && !writeFailed) cutShort = error;
      });
      writing = (async (): Promise<UploadTally | null> => {
        record = await files.create('UPLOAD', safeFileName(info.filename, 'upload.bin'));
        if (settled) {
          // Refused while the record was being made: drop it here, nobody else will.
          stream.resume();
          await files.discard(record.file_id);
          return null;
        }
        // Opened before the stream so a name the disk refuses as too long can be shortened
        // (FileService.writeUnderItsName) before a byte is read.
        const handle = await files.writeUnderItsName(record, (path) => open(path, 'w'));
        if (settled) {
          stream.resume();
          await handle.close();
          return null;
        }
        const out = createWriteStream('', {
          fd: handle,
          highWaterMark: UPLOAD_WRITE_BUFFER_BYTES,
        });
        // Before pipeline's own listener: its error reaches the part's stream only after this.
        out.once('error', () => {
          writeFailed = true;
        });
        const stopLooking =
          declared === null
            ? whileRoomLasts(room.dataDir, room.keepFreeBytes, (refusal) => stream.destroy(refusal))
            : () => undefined;
        try {
          await pipeline(stream, counter, out);
        } finally {
          stopLooking();
        }
        // One stat an upload: the size the disk reports, not the one the stream believes.
        const onDisk = (await stat(files.pathOf(record))).size;
        return { delivered: counter.bytes, written: out.bytesWritten, onDisk };
      })();
      writing.catch((error: unknown) => {
        finish(
          error !== null && error === cutShort ? fileCutShort(counter.bytes) : (error as Error),
        );
      });
    });
    parser.on('error', () =>
      finish(
        cutShort !== null
          ? fileCutShort(counter.bytes)
          : unprocessable([issue(['body'], 'malformed multipart body')]),
      ),
    );
    parser.on('close', () => {
      void (async () => {
        try {
          if (!writing) throw notMultipart();
          const tally = await writing;
          if (!record || !tally) throw notMultipart();
          if (tooBig || fileStream?.truncated) throw uploadTooLarge(limitBytes);
          const notWhole = refusalUnlessWhole(tally);
          if (notWhole) throw notWhole;
          if (tally.onDisk === 0)
            throw unprocessable([issue(['file'], 'the uploaded file is empty')]);
          files.received(record, tally.onDisk);
          finish(null, record);
        } catch (error) {
          finish(error as Error);
        }
      })();
    });
    // A client that goes away mid-body: nobody is left to answer, the dispatcher logs it.
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    watchForClientAbort(req, () =>
      finish(new ClientAbortedError(received + req.readableLength, declared)),
    );
    req.pipe(parser);
  });
}
