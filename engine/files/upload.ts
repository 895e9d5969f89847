/**
 * Multipart upload, streamed straight to disk with busboy: the part named `file` goes to
 * `<blobs>/<file_id>/<name>`; nothing is held in memory beyond stream buffers. A request that
 * is not multipart, or declares more than the limit, was already refused by the dispatcher
 * (http/bodyGate.ts); this counts what actually arrives, and what the disk can hold
 * (storage/diskSpace.ts).
 */
import busboy from 'busboy';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { declaredLength, notMultipart, uploadTooLarge } from '../http/bodyGate';
import { ClientAbortedError, watchForClientAbort } from '../http/clientAborted';
import type { HttpError } from '../http/errors';
import { issue, unprocessable } from '../http/errors';
import { safeFileName } from '../storage/blobStore';
import { whileRoomLasts } from '../storage/diskSpace';
import type { FileRecord } from '../state/records';
import type { FileService } from './fileService';
import { STREAM_CHUNK_BYTES, UPLOAD_WRITE_BUFFER_BYTES } from '../storage/streamChunk';

const HWM = STREAM_CHUNK_BYTES;

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
      limits: { fileSize: limitBytes, files: 1, fields: 20, parts: 30 },
    });
  } catch {
    req.resume();
    throw notMultipart();
  }

  return new Promise<FileRecord>((resolve, reject) => {
    let record: FileRecord | null = null;
    let writing: Promise<void> | null = null;
    let tooBig = false;
    let written = 0;
    let settled = false;
    let fileStream: Readable | null = null;

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

    parser.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
      if (name !== 'file' || record !== null || settled) {
        stream.resume();
        return;
      }
      fileStream = stream;
      stream.on('limit', () => {
        tooBig = true;
      });
      writing = (async () => {
        record = await files.create('UPLOAD', safeFileName(info.filename, 'upload.bin'));
        if (settled) {
          // Refused while the record was being made: drop it here, nobody else will.
          stream.resume();
          await files.discard(record.file_id);
          return;
        }
        // Opened before the stream so a name the disk refuses as too long can be shortened
        // (FileService.writeUnderItsName) before a byte is read.
        const handle = await files.writeUnderItsName(record, (path) => open(path, 'w'));
        if (settled) {
          stream.resume();
          await handle.close();
          return;
        }
        const out = createWriteStream('', {
          fd: handle,
          highWaterMark: UPLOAD_WRITE_BUFFER_BYTES,
        });
        const stopLooking =
          declared === null
            ? whileRoomLasts(room.dataDir, room.keepFreeBytes, (refusal) => stream.destroy(refusal))
            : () => undefined;
        try {
          await pipeline(stream, out);
        } finally {
          stopLooking();
        }
        written = out.bytesWritten;
      })();
      writing.catch((error: unknown) => finish(error as Error));
    });
    parser.on('error', () => finish(unprocessable([issue(['body'], 'malformed multipart body')])));
    parser.on('close', () => {
      void (async () => {
        try {
          if (!writing) throw notMultipart();
          await writing;
          if (!record) throw notMultipart();
          if (tooBig) throw uploadTooLarge(limitBytes);
          if (written === 0) throw unprocessable([issue(['file'], 'the uploaded file is empty')]);
          files.received(record, written);
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
