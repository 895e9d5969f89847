/**
 * Multipart upload, streamed straight to disk with busboy: the part named `file` goes to
 * `<blobs>/<file_id>/<name>`; nothing is held in memory beyond stream buffers.
 */
import busboy from 'busboy';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { HttpError } from '../http/errors';
import { badRequest, issue, tooLarge, unprocessable } from '../http/errors';
import { safeFileName } from '../storage/blobStore';
import type { FileRecord } from '../state/records';
import type { FileService } from './fileService';
import { STREAM_CHUNK_BYTES } from '../storage/streamChunk';

const HWM = STREAM_CHUNK_BYTES;
// Multipart framing around one file: boundaries, part headers, a few small fields.
const MULTIPART_SLACK = 64 * 1024;

const notMultipart = () =>
  unprocessable([
    issue(['file'], 'the upload must be multipart/form-data with one part named "file"', 'missing'),
  ]);

export async function receiveUpload(
  req: IncomingMessage,
  files: FileService,
  limitBytes: number,
): Promise<FileRecord> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    req.resume();
    throw notMultipart();
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes + MULTIPART_SLACK) {
    req.resume();
    throw tooLarge(`The upload is larger than the limit of ${limitBytes} bytes`);
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      highWaterMark: HWM,
      fileHwm: HWM,
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
        const out = createWriteStream(files.pathOf(record), { highWaterMark: HWM });
        await pipeline(stream, out);
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
          if (tooBig) throw tooLarge(`The upload is larger than the limit of ${limitBytes} bytes`);
          if (written === 0) throw unprocessable([issue(['file'], 'the uploaded file is empty')]);
          files.received(record, written);
          finish(null, record);
        } catch (error) {
          finish(error as Error);
        }
      })();
    });
    // A client that goes away mid-body: `close` before the request completed.
    req.on('close', () => {
      if (!req.complete) finish(badRequest('The upload was aborted by the client'));
    });
    req.pipe(parser);
  });
}
