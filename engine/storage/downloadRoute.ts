/**
 * GET|HEAD /storage/:fileId/:filename?expires&signature: the file's bytes, no key needed.
 * Streams from disk with Content-Length; honours one `Range` (206 / 416) so a client resumes.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { EngineContext } from '../engineContext';
import { FILE_NOT_FOUND } from '../files/fileRoutes';
import type { FileService } from '../files/fileService';
import { forbidden, HttpError, notFound } from '../http/errors';
import { abortConnection } from '../http/respond';
import type { RequestContext } from '../http/context';
import type { Router } from '../http/router';
import { contentTypeForName } from '../../shared/mediaTypes';
import { parseRange } from './range';
import { STORAGE_PREFIX } from './signing';
import { DOWNLOAD_CHUNK_BYTES } from './streamChunk';

export function registerStorageRoutes(
  router: Router,
  ctx: EngineContext,
  files: FileService,
): void {
  router.add('GET', `${STORAGE_PREFIX}:fileId/:filename`, (c) => serveStoredFile(c, ctx, files), {
    auth: false,
  });
}

async function serveStoredFile(c: RequestContext, ctx: EngineContext, files: FileService) {
  const fileId = c.params.fileId ?? '';
  const filename = c.params.filename ?? '';
  const verdict = ctx.signer.check(
    fileId,
    filename,
    c.query.get('expires'),
    c.query.get('signature'),
  );
  if (verdict === 'expired') throw forbidden('This storage URL has expired');
  if (verdict === 'invalid') throw forbidden('Invalid storage URL signature');
  const record = files.get(fileId);
  if (!record || record.is_deleted || record.status !== 'STORED' || record.filename !== filename)
    throw notFound(FILE_NOT_FOUND);
  const path = files.pathOf(record);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw notFound(FILE_NOT_FOUND);
  }

  const { res } = c;
  const range = parseRange(c.req.headers.range, size);
  if (range.kind === 'unsatisfiable')
    throw new HttpError(416, 'Requested range not satisfiable', {
      'Content-Range': `bytes */${size}`,
    });
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : size - 1;
  const length = size === 0 ? 0 : end - start + 1;

  res.statusCode = range.kind === 'partial' ? 206 : 200;
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', record.mime_type ?? contentTypeForName(filename));
  res.setHeader('Content-Length', length);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
  );
  res.setHeader('Cache-Control', 'private, no-store');
  if (range.kind === 'partial') res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  if (c.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }

  const cut = c.fault.cut;
  const source = createReadStream(path, { start, end, highWaterMark: DOWNLOAD_CHUNK_BYTES });
  if (cut === null) {
    await pipeline(source, res).catch(() => {
      // The client went away mid-download: nothing to answer any more.
    });
    return;
  }
  // Fault injection: send half of the promised bytes, then reset or close quietly.
  res.shouldKeepAlive = false;
  const half = Math.floor(length / 2);
  let sent = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const part = chunk.subarray(0, half - sent);
    sent += part.length;
    await new Promise<void>((resolve) => res.write(part, () => resolve()));
    if (sent >= half || res.destroyed) break;
  }
  source.destroy();
  abortConnection(c, cut);
}
