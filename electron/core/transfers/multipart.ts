/**
 * A multipart/form-data body with one `file` part, streamed from disk: the file is read in
 * fixed-size chunks only as fast as the connection takes them, so memory stays flat
 * whatever the size. Built by hand (not FormData) so the length is known up front: a
 * transport that may frame the body by length (undici, for the CLI) sends it as
 * Content-Length; the app's (Electron's net) may not set that header and sends it chunked.
 */
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Read (and send) size of the file's chunks unless the transport prefers another. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

export interface MultipartFile {
  path: string;
  /** The name announced in the part (the file's base name by default). */
  fileName: string;
  contentType: string;
  /** The file's size when the upload started; a file that changes meanwhile fails the upload. */
  size: number;
  /** Bytes per chunk read and sent (the transport's preference; UPLOAD_CHUNK_BYTES by default). */
  chunkBytes?: number;
}

export interface MultipartBody {
  contentType: string;
  contentLength: number;
  /** A fresh stream of the whole body (called again when a 307/308 or a 429 needs a resend). */
  stream(
    onBytes?: (fileBytesSent: number) => void,
    /** The file could not be read (removed, shortened, unreadable): the upload fails with it. */
    onFileError?: (error: unknown) => void,
  ): ReadableStream<Uint8Array>;
}

/** Quotes a file name the way browsers do (WHATWG multipart): UTF-8, with ", CR and LF escaped. */
export function quoteFileName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * The filename parameters. A non-ASCII name also gets RFC 5987 `filename*`: parsers that
 * read headers as latin1 by default (busboy, so the engine) take that one, the others the
 * raw UTF-8 `filename` as a browser sends it.
 */
export function fileNameParams(name: string): string {
  const plain = `filename="${quoteFileName(name)}"`;
  if (/^[\x20-\x7e]*$/.test(name)) return plain;
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${plain}; filename*=UTF-8''${encoded}`;
}

export function multipartFileBody(file: MultipartFile, field = 'file'): MultipartBody {
  const boundary = `----RenderioDesktop${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${field}"; ${fileNameParams(file.fileName)}\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + file.size + tail.length,
    stream: (onBytes, onFileError) => fileStream(file, head, tail, onBytes, onFileError),
  };
}

/** One piece of the body, and the file's bytes sent once it is handed over (for file chunks). */
interface Piece {
  bytes: Uint8Array;
  fileBytes?: number;
}

/**
 * The body as a stream that hands a piece over only when its reader asks (highWaterMark 0): the
 * bytes reported through onBytes are bytes the transport took, never bytes read ahead while it
 * was still connecting (a refused connection moved nothing, and progress must not say it did).
 * The disk is still read one chunk ahead of the reader.
 */
function fileStream(
  file: MultipartFile,
  head: Buffer,
  tail: Buffer,
  onBytes?: (fileBytesSent: number) => void,
  onFileError?: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let position = 0;
  let stage: 'head' | 'file' | 'tail' | 'done' = 'head';
  let closed = false;
  const close = async (): Promise<void> => {
    const h = handle;
    handle = undefined;
    await h?.close().catch(() => undefined);
  };
  /** The next piece, or null after the tail. */
  const next = async (): Promise<Piece | null> => {
    if (stage === 'head') {
      handle = await open(file.path, 'r');
      stage = file.size > 0 ? 'file' : 'tail';
      return { bytes: head };
    }
    if (stage === 'file') {
      const want = Math.min(file.chunkBytes ?? UPLOAD_CHUNK_BYTES, file.size - position);
      // A fresh buffer per chunk: the transport may still hold the previous one.
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle!.read(buffer, 0, want, position);
      if (bytesRead === 0)
        throw new Error(`${file.fileName} got shorter while it was being uploaded`);
      position += bytesRead;
      if (position >= file.size) {
        await close();
        stage = 'tail';
      }
      return {
        bytes: bytesRead === want ? buffer : buffer.subarray(0, bytesRead),
        fileBytes: position,
      };
    }
    if (stage === 'tail') {
      stage = 'done';
      return { bytes: tail };
    }
    return null;
  };
  let ahead: Promise<Piece | null> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const piece = await (ahead ?? next());
          ahead = undefined;
          if (piece === null) {
            controller.close();
            return;
          }
          controller.enqueue(piece.bytes);
          if (piece.fileBytes !== undefined) onBytes?.(piece.fileBytes);
          if (!closed && stage !== 'done') {
            ahead = next();
            // A failure is reported by the pull that takes this piece.
            ahead.catch(() => undefined);
          }
        } catch (error) {
          await close();
          onFileError?.(error);
          controller.error(error);
        }
      },
      async cancel() {
        closed = true;
        await ahead?.catch(() => undefined);
        await close();
      },
    },
    { highWaterMark: 0 },
  );
}
