/**
 * The RenderIO client: one typed method per endpoint the app uses, each naming its path, the
 * statuses it accepts and the schema of its answer (shared/renderioSchemas.ts). Every call goes
 * through retryingCall.ts: the key borrowed from a provider (the vault's withKey) for the length
 * of one call and sent only to the API's own origin, retries of idempotent calls with jittered
 * back-off, 429s waited out through the one rate-limit gate of its key.
 */
import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import { API_PREFIX } from '../../../shared/renderioApi';
import type {
  CommandList,
  CommandObject,
  CommandStatus,
  Metadata,
  PresetObject,
  RunChainedRequest,
  RunCommandRequest,
  RunMultipleRequest,
  StoredFile,
  SubmitResponse,
} from '../../../shared/renderioApi';
import {
  commandListSchema,
  commandSchema,
  deletionAnswerSchema,
  fileIdAnswerSchema,
  fileListSchema,
  presetListSchema,
  runMultipleAnswerSchema,
  storedFileSchema,
  submitAnswerSchema,
} from '../../../shared/renderioSchemas';
import type { Logger } from '../../../shared/redact';
import { systemClock, type Clock, type FetchLike } from '../ports';
import { contentTypeForName } from '../../../shared/mediaTypes';
import { multipartFileBody } from '../transfers/multipart';
import { errnoCode } from '../../../shared/node/errnoCode';
import { fileProblemWords } from '../../../shared/fileProblemWords';
import { LocalFileError } from '../transfers/errors';
import { downloadToFile, type DownloadOptions, type DownloadResult } from '../transfers/download';
import { RenderioError } from './errors';
import { originOf, toRenderioError } from './http';
import {
  DEFAULT_RETRY,
  callApi,
  type CallContext,
  type CallOptions,
  type CallSpec,
  type KeyProvider,
  type RetryPolicy,
} from './retryingCall';

export { DEFAULT_RETRY, type CallOptions, type KeyProvider, type RetryPolicy };

export interface ClientOptions {
  /** The API's base URL, e.g. https://renderio.dev (the key goes to this origin only). */
  baseUrl: string;
  withKey: KeyProvider;
  /** The transport (a required port: the app's over net.request, undiciFetch in plain Node). */
  fetch: FetchLike;
  clock?: Clock;
  /** Per-attempt limit for JSON calls (default 30 s). */
  timeoutMs?: number;
  /** For uploads: the longest time without a byte moving (default 60 s). */
  idleTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** Jitter source (tests may pin it). */
  random?: () => number;
}

export interface UploadOptions extends CallOptions {
  /** Bytes of the file handed to the connection so far, and the file's size. */
  onProgress?: (sent: number, total: number) => void;
  fileName?: string;
  contentType?: string;
}

export interface ListCommandsQuery extends CallOptions {
  limit?: number;
  offset?: number;
  status?: CommandStatus;
}

export interface ExecutePresetRequest {
  input_files: Record<string, string>;
  metadata?: Metadata;
  webhook_url?: string;
}

export type KeyCheck =
  | { result: 'valid' }
  /** The API refused the key (401/403). */
  | { result: 'invalid'; message: string }
  /** The key could not be checked (offline, timeout, server error, rate limit...). */
  | { result: 'unverified'; kind: RenderioError['kind']; message: string };

/** The longest hold a client asks for: a held answer stays far inside the 30 s attempt limit. */
export const MAX_HOLD_MS = 5_000;

function holdQuery(o: { holdMs?: number }): Record<string, number> | undefined {
  if (o.holdMs === undefined || o.holdMs <= 0) return undefined;
  return { wait_ms: Math.round(Math.min(MAX_HOLD_MS, o.holdMs)) };
}

export class RenderioClient {
  readonly baseUrl: string;
  readonly origin: string;
  private readonly ctx: CallContext;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.origin = new URL(this.baseUrl).origin;
    this.ctx = {
      fetch: options.fetch,
      clock: options.clock ?? systemClock,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      origin: this.origin,
      withKey: options.withKey,
      timeoutMs: options.timeoutMs ?? 30_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      random: options.random ?? Math.random,
      logger: options.logger,
    };
  }

  // ---- files -------------------------------------------------------------------------

  /** Streams a local file to POST /files/upload as the multipart part `file`. */
  async uploadFile(path: string, o: UploadOptions = {}): Promise<{ file_id: string }> {
    const info = await stat(path).catch((error: unknown) => {
      throw new LocalFileError(
        'io',
        `Cannot read ${basename(path)}: ${fileProblemWords(errnoCode(error))}`,
        { code: errnoCode(error), cause: error },
      );
    });
    if (!info.isFile()) throw new LocalFileError('invalid-name', `${basename(path)} is not a file`);
    let fileError: unknown;
    const fileName = o.fileName ?? basename(path);
    const chunkBytes = this.ctx.fetch.uploadChunkBytes;
    const multipart = multipartFileBody({
      path,
      fileName,
      contentType: o.contentType ?? contentTypeForName(fileName),
      size: info.size,
      ...(chunkBytes === undefined ? {} : { chunkBytes }),
    });
    try {
      const { file_id } = await this.call(
        {
          method: 'POST',
          url: this.url('/files/upload'),
          idempotent: false,
          ok: [200, 201, 202],
          answer: fileIdAnswerSchema,
          expected: 'a file_id',
          body: (touch) => ({
            body: multipart.stream(
              (sent) => {
                touch();
                o.onProgress?.(sent, info.size);
              },
              (error) => {
                fileError = error;
              },
            ),
            // Never a Content-Length header: Chromium (the app's transport) refuses the request
            // with net::ERR_INVALID_ARGUMENT. The length goes beside it for transports that use it.
            headers: { 'content-type': multipart.contentType },
            length: multipart.contentLength,
          }),
        },
        o,
      );
      return { file_id };
    } catch (error) {
      // fetch reports a failing body as a network error: say what really happened.
      if (
        fileError !== undefined &&
        !(error instanceof RenderioError && error.kind === 'aborted')
      ) {
        const code = errnoCode(fileError);
        const what = fileError instanceof Error ? fileError.message : String(fileError);
        throw new LocalFileError(
          'io',
          `Reading ${basename(path)} failed during the upload: ${fileProblemWords(code, what)}`,
          { code, cause: fileError },
        );
      }
      throw error;
    }
  }

  /**
   * `holdMs`: ask the server to hold the answer while the status stays as it is, at most that
   * long (the local engine's `wait_ms`; the cloud answers at once). Never more than
   * MAX_HOLD_MS, well inside the per-attempt time limit.
   */
  getFile(fileId: string, o: CallOptions & { holdMs?: number } = {}): Promise<StoredFile> {
    return this.get(`/files/${seg(fileId)}`, storedFileSchema, 'a file object', o, holdQuery(o));
  }

  /** GET /files: the account's files, newest first (the engine; the cloud's order is not documented). */
  listFiles(
    q: { limit?: number; offset?: number } & CallOptions = {},
  ): Promise<{ files: StoredFile[] }> {
    const query = { limit: q.limit, offset: q.offset };
    return this.get('/files', fileListSchema, 'a list of files', q, query);
  }

  /** Polls a file until it is STORED (returns it) or FAILED (throws 'validation' with its error). */
  async waitForStoredFile(
    fileId: string,
    o: CallOptions & { intervalMs?: number; maxIntervalMs?: number } = {},
  ): Promise<StoredFile> {
    let interval = o.intervalMs ?? 250;
    for (;;) {
      const file = await this.getFile(fileId, o);
      if (file.status === 'STORED' && file.storage_url !== null) return file;
      if (file.status === 'FAILED') {
        throw new RenderioError(
          'validation',
          `The file was refused: ${file.error_message ?? file.error_status ?? 'no reason given'}`,
          { detail: file.error_message ?? undefined },
        );
      }
      try {
        await this.ctx.clock.sleep(interval, o.signal);
      } catch {
        throw new RenderioError('aborted', 'Waiting for the file to be stored was cancelled');
      }
      interval = Math.min(o.maxIntervalMs ?? 2_000, interval * 1.5);
    }
  }

  async storeFile(fileUrl: string, o: CallOptions = {}): Promise<{ file_id: string }> {
    const { file_id } = await this.post(
      '/files/store-file',
      { file_url: fileUrl },
      fileIdAnswerSchema,
      'a file_id',
      o,
    );
    return { file_id };
  }

  async deleteFile(
    fileId: string,
    o: CallOptions = {},
  ): Promise<{ deleted: boolean; file_id: string }> {
    const a = await this.delete(`/files/${seg(fileId)}`, o);
    return { deleted: a?.deleted !== false, file_id: a?.file_id ?? fileId };
  }

  // ---- commands ----------------------------------------------------------------------

  runCommand(request: RunCommandRequest, o: CallOptions = {}): Promise<SubmitResponse> {
    return this.submit('/run-ffmpeg-command', request, o);
  }

  runChained(request: RunChainedRequest, o: CallOptions = {}): Promise<SubmitResponse> {
    return this.submit('/run-chained-ffmpeg-commands', request, o);
  }

  /** The answer's key is undocumented: `command_ids` (the engine) or a list of submit objects. */
  runMultiple(
    request: RunMultipleRequest,
    o: CallOptions = {},
  ): Promise<{ command_ids: string[] }> {
    return this.post(
      '/run-multiple-ffmpeg-commands',
      request,
      runMultipleAnswerSchema,
      'command ids',
      o,
    );
  }

  /** `holdMs`: as for getFile. */
  getCommand(commandId: string, o: CallOptions & { holdMs?: number } = {}): Promise<CommandObject> {
    return this.get(
      `/commands/${seg(commandId)}`,
      commandSchema,
      'a command object',
      o,
      holdQuery(o),
    );
  }

  listCommands(q: ListCommandsQuery = {}): Promise<CommandList> {
    const query = { limit: q.limit, offset: q.offset, status: q.status };
    return this.get('/commands', commandListSchema(q), 'a list of commands', q, query);
  }

  async deleteCommandFiles(
    commandId: string,
    o: CallOptions = {},
  ): Promise<{ deleted: boolean; files_deleted: number }> {
    const a = await this.delete(`/commands/${seg(commandId)}/files`, o);
    return { deleted: a?.deleted !== false, files_deleted: a?.files_deleted ?? 0 };
  }

  // ---- presets -----------------------------------------------------------------------

  listPresets(o: CallOptions = {}): Promise<{ presets: PresetObject[] }> {
    return this.get('/presets', presetListSchema, 'a list of presets', o);
  }

  executePreset(
    presetId: string,
    request: ExecutePresetRequest,
    o: CallOptions = {},
  ): Promise<SubmitResponse> {
    return this.submit(`/presets/${seg(presetId)}/execute`, request, o);
  }

  // ---- key and downloads -------------------------------------------------------------

  /** The cheap authenticated call RenderIO's own integrations use: GET /commands?limit=1. */
  async checkKey(o: CallOptions = {}): Promise<KeyCheck> {
    try {
      await this.listCommands({ ...o, limit: 1 });
      return { result: 'valid' };
    } catch (error) {
      const e = toRenderioError(error, { method: 'GET', url: this.baseUrl });
      if (e.kind === 'aborted') throw e;
      if (e.kind === 'auth') return { result: 'invalid', message: e.message };
      return { result: 'unverified', kind: e.kind, message: e.message };
    }
  }

  /**
   * Downloads a storage URL to a file (see transfers/download). The key is attached only if the
   * URL (or a redirect) is on the API's own origin; signed storage URLs elsewhere get none.
   */
  download(options: Omit<DownloadOptions, 'fetch' | 'auth'>): Promise<DownloadResult> {
    const sameOrigin = originOf(options.url) === this.origin;
    const run = (key: string | undefined): Promise<DownloadResult> =>
      downloadToFile({
        ...options,
        fetch: this.ctx.fetch,
        clock: this.ctx.clock,
        auth: key === undefined ? undefined : { origin: this.origin, key },
      });
    // Only borrow the key when it could be needed at all.
    return sameOrigin || options.refreshUrl !== undefined
      ? this.options.withKey((key) => run(key))
      : run(undefined);
  }

  // ---- the calls under the endpoints -------------------------------------------------

  private get<S extends z.ZodType>(
    path: string,
    answer: S,
    expected: string,
    o: CallOptions,
    query?: Record<string, string | number | undefined>,
  ): Promise<z.output<S>> {
    const url = this.url(path, query);
    return this.call({ method: 'GET', url, idempotent: true, ok: [200], answer, expected }, o);
  }

  private post<S extends z.ZodType>(
    path: string,
    json: unknown,
    answer: S,
    expected: string,
    o: CallOptions,
  ): Promise<z.output<S>> {
    const url = this.url(path);
    const ok = [200, 201, 202];
    return this.call({ method: 'POST', url, json, idempotent: false, ok, answer, expected }, o);
  }

  private delete(path: string, o: CallOptions): Promise<z.output<typeof deletionAnswerSchema>> {
    return this.call(
      {
        method: 'DELETE',
        url: this.url(path),
        idempotent: true,
        ok: [200, 202, 204],
        answer: deletionAnswerSchema,
        expected: 'a deletion answer',
      },
      o,
    );
  }

  private async submit(path: string, json: unknown, o: CallOptions): Promise<SubmitResponse> {
    const { command_id } = await this.post(path, json, submitAnswerSchema, 'a command_id', o);
    return { command_id };
  }

  private call<S extends z.ZodType>(spec: CallSpec<S>, o: CallOptions): Promise<z.output<S>> {
    return callApi(this.ctx, spec, o);
  }

  private url(path: string, query?: Record<string, string | number | undefined>): string {
    const u = new URL(`${this.baseUrl}${API_PREFIX}${path}`);
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }
}

/**
 * A base URL the key may be sent to: http(s), no credentials, query or fragment; plain http
 * only for this computer (the local engine), so a key never crosses a network in clear.
 */
export function normalizeBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new RenderioError('validation', 'The API address is not a valid URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new RenderioError('validation', 'The API address must start with https://');
  }
  if (u.username !== '' || u.password !== '')
    throw new RenderioError(
      'validation',
      'The API address must not contain a user name or password',
    );
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    throw new RenderioError(
      'validation',
      'The API address must use https:// (plain http is allowed only for this computer)',
    );
  }
  const path = u.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${u.origin}${path}`;
}

export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function seg(id: string): string {
  if (id.length === 0) throw new RenderioError('validation', 'An empty id was given');
  return encodeURIComponent(id);
}
