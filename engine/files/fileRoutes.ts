/** /api/v1/files: upload, store-file, get, list, delete. */
import { API_PREFIX, DISK_FULL_STATUS } from '../../shared/renderioApi';
import type { EngineContext } from '../engineContext';
import { readJsonObject } from '../http/body';
import { heldObject } from '../http/heldAnswer';
import { issue, notFound, unprocessable } from '../http/errors';
import { parsePaging } from '../http/pagination';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { safeFileName } from '../storage/blobStore';
import { diskFullMessage, isDiskFullError } from '../storage/diskSpace';
import { describeUrl, fetchToFile } from './fetchToFile';
import type { FileService } from './fileService';
import { toStoredFile } from './fileView';
import { describeInputUrlProblem } from './inputUrl';
import { receiveUpload } from './upload';

export const FILE_NOT_FOUND = 'File not found';

export function registerFileRoutes(router: Router, ctx: EngineContext, files: FileService): void {
  router.add(
    'POST',
    `${API_PREFIX}/files/upload`,
    async (c) => {
      const record = await receiveUpload(c.req, files, ctx.config.uploadLimitBytes, {
        dataDir: ctx.config.dataDir,
        keepFreeBytes: ctx.config.keepFreeBytes,
      });
      // On disk before the client learns the id (a crash right after must not lose the file).
      await ctx.store.flush();
      sendJson(c, 200, { file_id: record.file_id });
    },
    { body: 'upload' },
  );

  router.add('POST', `${API_PREFIX}/files/store-file`, async (c) => {
    const body = await readJsonObject(c.req, ctx.config.jsonLimitBytes);
    const url = body.file_url;
    const problem = url === undefined ? 'field required' : describeInputUrlProblem(url);
    if (problem)
      throw unprocessable([
        issue(['file_url'], `file_url ${problem}`, url === undefined ? 'missing' : 'value_error'),
      ]);
    const fileUrl = url as string;
    const local = files.lookupStorageUrl(fileUrl);
    if (local.kind === 'refused')
      throw unprocessable([issue(['file_url'], `file_url ${local.reason}`)]);
    const name = safeFileName(decodeSafe(new URL(fileUrl).pathname), 'file.bin');
    const record = await files.create('STORED_FILE', name, {
      original_file_url: describeUrl(fileUrl),
    });
    await ctx.store.flush();
    sendJson(c, 200, { file_id: record.file_id });
    // Fetch after answering: the client polls the file like an upload.
    files.background(async (signal) => {
      try {
        const size = await files.writeUnderItsName(record, async (target) => {
          if (local.kind !== 'ok') return fetchToFile(fileUrl, target, signal);
          await files.copyStored(local.record, target);
          return local.record.size_bytes ?? 0;
        });
        if (size === 0) await files.fail(record, 'EMPTY_FILE', 'The downloaded file is empty');
        else files.received(record, size);
      } catch (error) {
        if (signal.aborted) return;
        if (isDiskFullError(error))
          await files.fail(record, DISK_FULL_STATUS, diskFullMessage(ctx.config.dataDir));
        else await files.fail(record, 'DOWNLOAD_FAILED', (error as Error).message);
      }
    });
  });

  router.add('GET', `${API_PREFIX}/files`, (c) => {
    const { limit, offset } = parsePaging(c.query);
    sendJson(c, 200, { files: files.list(limit, offset).map((f) => toStoredFile(ctx, f)) });
  });

  router.add('GET', `${API_PREFIX}/files/:fileId`, async (c) => {
    const id = c.params.fileId ?? '';
    const record = await heldObject(
      c,
      ctx.store,
      () => files.get(id),
      () => notFound(FILE_NOT_FOUND),
    );
    sendJson(c, 200, toStoredFile(ctx, record));
  });

  router.add('DELETE', `${API_PREFIX}/files/:fileId`, async (c) => {
    const fileId = c.params.fileId ?? '';
    if (!(await files.delete(fileId))) throw notFound(FILE_NOT_FOUND);
    sendJson(c, 200, { deleted: true, file_id: fileId });
  });
}

function decodeSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
