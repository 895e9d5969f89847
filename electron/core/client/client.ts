/**
 * The RenderIO client: one typed method per endpoint the app uses. The key comes from a
 * provider (the vault's withKey) for the length of one call and goes only to the API's own
 * origin. Idempotent calls retry network, timeout and 5xx failures with jittered back-off;
 * every call retries 429 after the wait, through the one rate-limit gate of its key.
 */
import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
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
import type { Logger } from '../../../shared/redact';
import { nodeFetch, systemClock, type Clock, type FetchLike, type RequestBody } from '../ports';
import { contentTypeForName } from '../../../shared/mediaTypes';
import { multipartFileBody } from '../transfers/multipart';
import { errnoCode } from '../../../shared/node/errnoCode';
import { fileProblemWords } from '../../../shared/fileProblemWords';
import { LocalFileError } from '../transfers/errors';
import { downloadToFile, type DownloadOptions, type DownloadResult } from '../transfers/download';
import { RenderioError, describeEndpoint } from './errors';
import {
  Deadline,
  MAX_JSON_BODY_BYTES,
  backoffDelay,
  errorFromResponse,
  originOf,
  readBounded,
  sendWithRedirects,
  toRenderioError,
} from './http';
import { gateForKey } from './rateGate';

/** Lends the key for the length of fn; the vault's withKey is the only implementation in the app. */
export type KeyProvider = <T>(fn: (key: string) => Promise<T>) => Promise<T>;

export interface RetryPolicy {
  /** Attempts in all for network/timeout/5xx failures of idempotent calls (1 = no retry). */
  attempts: number;
  /** Attempts in all when the answer is 429 (any call). */
  rateLimitAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 asking for a longer wait than this is not slept through: the error goes to the caller. */
  maxRateLimitWaitMs: number;
  /** The wait after a 429 that has no readable Retry-After. */
  defaultRateLimitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  rateLimitAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRateLimitWaitMs: 120_000,
  defaultRateLimitMs: 5_000,
};

export interface ClientOptions {
  /** The API's base URL, e.g. https://renderio.dev (the key goes to this origin only). */
  baseUrl: string;
  withKey: KeyProvider;
  fetch?: FetchLike;
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

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
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

interface CallSpec<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  /**
   * A streamed body: called afresh for every attempt, with `touch` to call as its bytes move
   * (with `idle`, the attempt times out only after idleTimeoutMs without one).
   */
  body?: (touch: () => void) => {
    body: RequestBody;
    headers: Record<string, string>;
    length?: number;
  };
  /** Safe to send twice: network, timeout and 5xx failures are retried. */
  idempotent: boolean;
  ok: readonly number[];
  parse: (json: unknown) => T | undefined;
  /** What the answer should have been, for the protocol error. */
  expected: string;
  /** Time the attempt by idleness (idleTimeoutMs), not by its total length. */
  idle?: boolean;
}

export class RenderioClient {
  readonly baseUrl: string;
  readonly origin: string;
  private readonly fetchImpl: FetchLike;
  private readonly clock: Clock;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly random: () => number;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.origin = new URL(this.baseUrl).origin;
    this.fetchImpl = options.fetch ?? nodeFetch;
    this.clock = options.clock ?? systemClock;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  // ---- files -------------------------------------------------------------------------

  /** Streams a local file to POST /files/upload as the multipart part `file`. */
  async uploadFile(path: string, o: UploadOptions = {}): Promise<{ file_id: string }> {
    const info = await stat(path).catch((error: unknown) => {
      throw new LocalFileError(
        'io',
        `Cannot read ${basename(path)}: ${fileProblemWords(errnoCode(error))}`,
        {
          code: errnoCode(error),
          cause: error,
        },
      );
    });
    if (!info.isFile()) throw new LocalFileError('invalid-name', `${basename(path)} is not a file`);
    let fileError: unknown;
    const fileName = o.fileName ?? basename(path);
    const multipart = multipartFileBody({
      path,
      fileName,
      contentType: o.contentType ?? contentTypeForName(fileName),
      size: info.size,
      ...(this.fetchImpl.uploadChunkBytes === undefined
        ? {}
        : { chunkBytes: this.fetchImpl.uploadChunkBytes }),
    });
    const spec: CallSpec<{ file_id: string }> = {
      method: 'POST',
      path: '/files/upload',
      idempotent: false,
      ok: [200, 201, 202],
      expected: 'a file_id',
      parse: (j) => (hasString(j, 'file_id') ? { file_id: j.file_id } : undefined),
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
        // with net::ERR_INVALID_ARGUMENT. The length goes beside it for transports that may use it.
        headers: { 'content-type': multipart.contentType },
        length: multipart.contentLength,
      }),
      idle: true,
    };
    try {
      return await this.call(spec, o);
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
          {
            code,
            cause: fileError,
          },
        );
      }
      throw error;
    }
  }

  getFile(fileId: string, o: CallOptions = {}): Promise<StoredFile> {
    return this.call(
      {
        method: 'GET',
        path: `/files/${seg(fileId)}`,
        idempotent: true,
        ok: [200],
        expected: 'a file object',
        parse: (j) =>
          hasString(j, 'file_id') && hasString(j, 'status')
            ? (j as unknown as StoredFile)
            : undefined,
      },
      o,
    );
  }

  /** GET /files: the account's files, newest first (the engine; the cloud's order is not documented). */
  listFiles(q: { limit?: number; offset?: number } & CallOptions = {}): Promise<{
    files: StoredFile[];
  }> {
    return this.call(
      {
        method: 'GET',
        path: '/files',
        query: { limit: q.limit, offset: q.offset },
        idempotent: true,
        ok: [200],
        expected: 'a list of files',
        parse: (j) => {
          const list = (j as { files?: unknown } | null)?.files;
          if (!Array.isArray(list)) return undefined;
          return {
            files: list.filter(
              (f) => hasString(f, 'file_id') && hasString(f, 'status'),
            ) as unknown as StoredFile[],
          };
        },
      },
      q,
    );
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
      await this.sleep(interval, o.signal);
      interval = Math.min(o.maxIntervalMs ?? 2_000, interval * 1.5);
    }
  }

  storeFile(fileUrl: string, o: CallOptions = {}): Promise<{ file_id: string }> {
    return this.call(
      {
        method: 'POST',
        path: '/files/store-file',
        json: { file_url: fileUrl },
        idempotent: false,
        ok: [200, 201, 202],
        expected: 'a file_id',
        parse: (j) => (hasString(j, 'file_id') ? { file_id: j.file_id } : undefined),
      },
      o,
    );
  }

  deleteFile(fileId: string, o: CallOptions = {}): Promise<{ deleted: boolean; file_id: string }> {
    return this.call(
      {
        method: 'DELETE',
        path: `/files/${seg(fileId)}`,
        idempotent: true,
        ok: [200, 202, 204],
        expected: 'a deletion answer',
        parse: (j) => ({
          deleted: j === null || (j as { deleted?: unknown }).deleted !== false,
          file_id: hasString(j, 'file_id') ? j.file_id : fileId,
        }),
      },
      o,
    );
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
    return this.call(
      {
        method: 'POST',
        path: '/run-multiple-ffmpeg-commands',
        json: request,
        idempotent: false,
        ok: [200, 201, 202],
        expected: 'command ids',
        parse: (j) => {
          const o2 = j as { command_ids?: unknown; commands?: unknown };
          const list = Array.isArray(o2?.command_ids)
            ? o2.command_ids
            : Array.isArray(o2?.commands)
              ? o2.commands
              : undefined;
          if (list === undefined) return undefined;
          const ids = list.map((x: unknown) =>
            typeof x === 'string' ? x : hasString(x, 'command_id') ? x.command_id : null,
          );
          return ids.every((x): x is string => typeof x === 'string')
            ? { command_ids: ids }
            : undefined;
        },
      },
      o,
    );
  }

  getCommand(commandId: string, o: CallOptions = {}): Promise<CommandObject> {
    return this.call(
      {
        method: 'GET',
        path: `/commands/${seg(commandId)}`,
        idempotent: true,
        ok: [200],
        expected: 'a command object',
        parse: (j) =>
          hasString(j, 'command_id') && hasString(j, 'status') ? normalizeCommand(j) : undefined,
      },
      o,
    );
  }

  listCommands(q: ListCommandsQuery = {}): Promise<CommandList> {
    return this.call(
      {
        method: 'GET',
        path: '/commands',
        query: { limit: q.limit, offset: q.offset, status: q.status },
        idempotent: true,
        ok: [200],
        expected: 'a list of commands',
        parse: (j) => {
          const list = (j as { commands?: unknown } | null)?.commands;
          if (!Array.isArray(list)) return undefined;
          const o2 = j as { limit?: unknown; offset?: unknown };
          return {
            commands: list
              .filter((c) => hasString(c, 'command_id'))
              .map((c) => normalizeCommand(c)),
            limit: typeof o2.limit === 'number' ? o2.limit : (q.limit ?? list.length),
            offset: typeof o2.offset === 'number' ? o2.offset : (q.offset ?? 0),
          };
        },
      },
      q,
    );
  }

  deleteCommandFiles(
    commandId: string,
    o: CallOptions = {},
  ): Promise<{ deleted: boolean; files_deleted: number }> {
    return this.call(
      {
        method: 'DELETE',
        path: `/commands/${seg(commandId)}/files`,
        idempotent: true,
        ok: [200, 202, 204],
        expected: 'a deletion answer',
        parse: (j) => {
          const o2 = (j ?? {}) as { deleted?: unknown; files_deleted?: unknown };
          return {
            deleted: o2.deleted !== false,
            files_deleted: typeof o2.files_deleted === 'number' ? o2.files_deleted : 0,
          };
        },
      },
      o,
    );
  }

  // ---- presets -----------------------------------------------------------------------

  listPresets(o: CallOptions = {}): Promise<{ presets: PresetObject[] }> {
    return this.call(
      {
        method: 'GET',
        path: '/presets',
        idempotent: true,
        ok: [200],
        expected: 'a list of presets',
        parse: (j) => {
          const list = (j as { presets?: unknown } | null)?.presets;
          return Array.isArray(list)
            ? { presets: list.filter((p) => hasString(p, 'preset_id')) as PresetObject[] }
            : undefined;
        },
      },
      o,
    );
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
        fetch: this.fetchImpl,
        clock: this.clock,
        auth: key === undefined ? undefined : { origin: this.origin, key },
      });
    // Only borrow the key when it could be needed at all.
    return sameOrigin || options.refreshUrl !== undefined
      ? this.options.withKey((key) => run(key))
      : run(undefined);
  }

  // ---- the one request path ----------------------------------------------------------

  private submit(path: string, json: unknown, o: CallOptions): Promise<SubmitResponse> {
    return this.call(
      {
        method: 'POST',
        path,
        json,
        idempotent: false,
        ok: [200, 201, 202],
        expected: 'a command_id',
        parse: (j) => (hasString(j, 'command_id') ? { command_id: j.command_id } : undefined),
      },
      o,
    );
  }

  private url(path: string, query?: Record<string, string | number | undefined>): string {
    const u = new URL(`${this.baseUrl}${API_PREFIX}${path}`);
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private call<T>(spec: CallSpec<T>, o: CallOptions): Promise<T> {
    const url = this.url(spec.path, spec.query);
    const endpoint = describeEndpoint(url);
    // Serialized once for all attempts; a streamed body is made afresh for each.
    const json = spec.json === undefined ? undefined : JSON.stringify(spec.json);
    const idle = spec.idle === true;
    const timeoutMs = idle ? this.idleTimeoutMs : (o.timeoutMs ?? this.timeoutMs);
    return this.options.withKey(async (key) => {
      const gate = gateForKey(key, this.clock);
      // Counted apart: a run of 429s does not use up the retries for failures, and back-off
      // grows with each kind's own count.
      let failures = 0;
      let limited = 0;
      for (;;) {
        let deadline: Deadline | undefined;
        try {
          if (o.signal?.aborted)
            throw new RenderioError('aborted', `${spec.method} ${endpoint} was cancelled`);
          await gate.wait(o.signal).catch(() => {
            throw new RenderioError(
              'aborted',
              `${spec.method} ${endpoint} was cancelled while waiting out a rate limit`,
            );
          });
          const d = new Deadline(timeoutMs, o.signal, idle ? 'idle' : 'total');
          deadline = d;
          const streamed = spec.body;
          const body =
            json !== undefined
              ? () => ({ body: json, headers: { 'content-type': 'application/json' } })
              : streamed === undefined
                ? undefined
                : () => streamed(() => d.touch());
          const { response, url: finalUrl } = await sendWithRedirects(this.fetchImpl, url, {
            method: spec.method,
            headers: { accept: 'application/json' },
            body,
            auth: { origin: this.origin, key },
            signal: deadline.signal,
          });
          if (!spec.ok.includes(response.status)) {
            throw await errorFromResponse(
              response,
              spec.method,
              finalUrl,
              this.clock,
              this.rateLimitDefault(limited + 1),
            );
          }
          return await this.parseBody(response, spec, finalUrl);
        } catch (error) {
          const e = toRenderioError(error, {
            method: spec.method,
            url,
            outer: o.signal,
            deadline,
            timeoutMs,
          });
          if (e.kind === 'rate-limited') {
            const wait = e.retryAfterMs ?? this.retry.defaultRateLimitMs;
            gate.block(wait);
            limited++;
            if (limited < this.retry.rateLimitAttempts && wait <= this.retry.maxRateLimitWaitMs) {
              this.options.logger?.info(
                `${spec.method} ${endpoint}: rate limited, waiting ${wait} ms`,
              );
              continue; // gate.wait at the top of the loop sleeps it out
            }
            throw e;
          }
          const transient = e.kind === 'network' || e.kind === 'timeout' || e.kind === 'server';
          if (transient) failures++;
          if (spec.idempotent && transient && failures < this.retry.attempts) {
            const delay = Math.max(
              backoffDelay(failures, this.retry.baseDelayMs, this.retry.maxDelayMs, this.random),
              Math.min(e.retryAfterMs ?? 0, this.retry.maxDelayMs),
            );
            this.options.logger?.info(
              `${spec.method} ${endpoint}: ${e.kind}, retry ${failures} in ${delay} ms`,
            );
            await this.sleep(delay, o.signal, spec.method, endpoint);
            continue;
          }
          throw e;
        } finally {
          deadline?.dispose();
        }
      }
    });
  }

  private rateLimitDefault(attempt: number): number {
    // No Retry-After: grow the wait with each consecutive 429.
    return Math.min(this.retry.maxDelayMs, this.retry.defaultRateLimitMs * 2 ** (attempt - 1));
  }

  private async parseBody<T>(response: Response, spec: CallSpec<T>, url: string): Promise<T> {
    const endpoint = describeEndpoint(url);
    const init = { status: response.status, method: spec.method, endpoint };
    const { bytes, truncated } = await readBounded(response, MAX_JSON_BODY_BYTES);
    if (truncated) {
      throw new RenderioError(
        'protocol',
        `The answer from ${spec.method} ${endpoint} is larger than ${MAX_JSON_BODY_BYTES} bytes`,
        init,
      );
    }
    let json: unknown = null;
    if (bytes.length > 0) {
      try {
        json = JSON.parse(bytes.toString('utf8')) as unknown;
      } catch {
        const type = response.headers.get('content-type') ?? 'no content type';
        const what = /^\s*</.test(bytes.subarray(0, 64).toString('utf8'))
          ? 'an HTML page'
          : `${bytes.length} bytes of ${type}`;
        throw new RenderioError(
          'protocol',
          `${spec.method} ${endpoint} answered ${what}, not JSON (a proxy or captive portal?)`,
          init,
        );
      }
    }
    const value = spec.parse(json);
    if (value === undefined) {
      throw new RenderioError(
        'protocol',
        `${spec.method} ${endpoint} answered ${response.status} without ${spec.expected}`,
        init,
      );
    }
    return value;
  }

  private async sleep(ms: number, signal?: AbortSignal, method = '', endpoint = ''): Promise<void> {
    try {
      await this.clock.sleep(ms, signal);
    } catch {
      throw new RenderioError('aborted', `${method} ${endpoint} was cancelled`.trim());
    }
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

function hasString<K extends string>(value: unknown, key: K): value is Record<K, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[key] === 'string'
  );
}

/** Fills the fields the app reads so a sparse (cloud or older) object does not crash it. */
function normalizeCommand(raw: unknown): CommandObject {
  const c = raw as Partial<CommandObject> & { command_id: string; status: CommandObject['status'] };
  return {
    ...c,
    command_type: c.command_type ?? 'FFMPEG_COMMAND',
    total_processing_seconds: c.total_processing_seconds ?? null,
    ffmpeg_command_run_seconds: c.ffmpeg_command_run_seconds ?? null,
    metadata: c.metadata ?? null,
    error_status: c.error_status ?? null,
    error_message: c.error_message ?? null,
    original_request: c.original_request ?? { input_files: {}, output_files: {} },
    output_files:
      typeof c.output_files === 'object' && c.output_files !== null ? c.output_files : {},
  };
}
