/**
 * The HTTP layer under the client and the transfers: one request with redirects followed by
 * hand (so the key never follows a redirect to another origin), deadlines, bounded body
 * reads and the mapping of any answer to a RenderioError.
 */
import { API_KEY_HEADER } from '../../../shared/renderioApi';
import { redact } from '../../../shared/redact';
import { errnoCode } from '../../../shared/node/errnoCode';
import type { Clock, FetchLike, RequestBody } from '../ports';
import { RenderioError, describeDetail, describeEndpoint, type ErrorDetail } from './errors';
import { describeNetworkFailure } from './networkFailure';
import { REDIRECT_STATUSES, type TransportInit } from './transportContract';

/** Error bodies are read up to this many bytes; the rest is discarded unread. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** JSON answers larger than this are refused (a list of 100 commands is well under 1 MiB). */
export const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

/** Who may receive the key: only the configured API origin. */
export interface KeyBinding {
  /** The API origin (scheme://host:port) the key belongs to. */
  origin: string;
  key: string;
}

export interface SendInit {
  method: string;
  headers?: Record<string, string>;
  /**
   * Called again for each redirect that keeps the body (307/308): streams cannot be replayed.
   * Its headers (the content type) go with the body and are dropped with it; `length` is a
   * streamed body's size, never sent as a header here (see TransportInit.bodyLength).
   */
  body?: () => { body: RequestBody; headers?: Record<string, string>; length?: number };
  /** Attach the key when (and only when) a request goes to its origin. */
  auth?: KeyBinding;
  signal: AbortSignal;
}

export interface SendResult {
  response: Response;
  /** The URL that answered (after redirects). */
  url: string;
}

/**
 * fetch with redirect: 'manual' and the redirects followed here: the key is sent only to
 * requests whose origin is the API's own, so a redirect to another host loses it, and a
 * 303 (or a 301/302 after a POST) turns into a GET without a body, as browsers do.
 */
export async function sendWithRedirects(
  fetchImpl: FetchLike,
  url: string,
  init: SendInit,
): Promise<SendResult> {
  let current = url;
  let method = init.method;
  let bodyFactory = init.body;
  for (let hop = 0; ; hop++) {
    const made = bodyFactory?.();
    const body = made?.body ?? null;
    const headers: Record<string, string> = { ...init.headers, ...made?.headers };
    if (init.auth !== undefined && originOf(current) === init.auth.origin)
      headers[API_KEY_HEADER] = init.auth.key;
    const streamed = body !== null && isStreamBody(body);
    const requestInit: TransportInit = {
      method,
      headers,
      body,
      // Node's fetch tees a request body when it may follow or expose a redirect, and the
      // unread branch keeps every chunk: a 1 GiB upload would sit in memory. A streamed body
      // is therefore sent with redirect 'error': an upload is never redirected.
      redirect: streamed ? 'error' : 'manual',
      signal: init.signal,
    };
    if (streamed) requestInit.duplex = 'half';
    if (made?.length !== undefined) requestInit.bodyLength = made.length;
    let response: Response;
    try {
      response = await fetchImpl(current, requestInit);
    } catch (error) {
      if (streamed && !init.signal.aborted && /redirect/i.test(causeText(error))) {
        throw new RenderioError(
          'protocol',
          `${describeEndpoint(current)} redirected an upload; uploads do not follow redirects`,
          {
            method,
            endpoint: describeEndpoint(current),
          },
        );
      }
      throw error;
    }
    if (response.type === 'opaqueredirect') {
      throw new RenderioError(
        'protocol',
        `${describeEndpoint(current)} redirected, and the redirect cannot be followed safely`,
        {
          method,
          endpoint: describeEndpoint(current),
        },
      );
    }
    if (!REDIRECT_STATUSES.has(response.status)) return { response, url: current };
    const location = response.headers.get('location');
    await discard(response);
    if (location === null) {
      throw new RenderioError(
        'protocol',
        `${describeEndpoint(current)} answered ${response.status} without a Location`,
        {
          status: response.status,
          method,
          endpoint: describeEndpoint(current),
        },
      );
    }
    if (hop >= MAX_REDIRECTS) {
      throw new RenderioError('protocol', `Too many redirects from ${describeEndpoint(url)}`, {
        status: response.status,
        method,
        endpoint: describeEndpoint(url),
      });
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new RenderioError(
        'protocol',
        `${describeEndpoint(current)} redirected to an invalid URL`,
        { method },
      );
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw new RenderioError(
        'protocol',
        `${describeEndpoint(current)} redirected to a ${next.protocol} URL`,
        { method },
      );
    }
    // An https page must not send us (and maybe the key, on the same host) over plain http.
    if (new URL(current).protocol === 'https:' && next.protocol === 'http:') {
      throw new RenderioError(
        'protocol',
        `${describeEndpoint(current)} redirected from https to http`,
        { method },
      );
    }
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      bodyFactory = undefined;
    }
    current = next.toString();
  }
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  return `${error instanceof Error ? error.message : ''} ${typeof cause?.message === 'string' ? cause.message : ''}`;
}

function isStreamBody(body: RequestBody): boolean {
  return typeof (body as ReadableStream).getReader === 'function';
}

/** Drops a body we do not need, without waiting for the rest of it. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already closed or broken: nothing to release.
  }
}

/**
 * Reads at most `limit` bytes of a body and cancels the rest: a proxy's 50 MB error page or a
 * body that never ends cannot exhaust memory. `truncated` says the limit was hit.
 */
export async function readBounded(
  response: Response,
  limit: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const body = response.body;
  if (body === null) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = body.getReader();
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(parts, size), truncated: false };
      const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (size + chunk.length > limit) {
        parts.push(chunk.subarray(0, limit - size));
        size = limit;
        await reader.cancel().catch(() => undefined);
        return { bytes: Buffer.concat(parts, size), truncated: true };
      }
      parts.push(chunk);
      size += chunk.length;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its month (and day); Date.parse alone would take "-3" as a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Full-jitter exponential back-off: random in [cap/2, cap] where cap = base * 2^(attempt-1). */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Turns a non-success answer into a typed error, reading at most a bounded prefix of its body. */
export async function errorFromResponse(
  response: Response,
  method: string,
  url: string,
  clock: Clock,
  defaultRetryMs: number,
): Promise<RenderioError> {
  const status = response.status;
  const endpoint = describeEndpoint(url);
  let detail: ErrorDetail | undefined;
  let bodyNote: string;
  try {
    const { bytes, truncated } = await readBounded(response, MAX_ERROR_BODY_BYTES);
    const parsed = parseDetail(bytes, truncated);
    detail = parsed.detail;
    bodyNote = parsed.note;
  } catch {
    bodyNote = ' (the error body broke off)';
  }
  const where = `${method} ${endpoint}`;
  const said = detail !== undefined ? `: ${describeDetail(detail)}` : bodyNote;
  const init = { status, detail, method, endpoint };
  if (status === 401 || status === 403) {
    return new RenderioError(
      'auth',
      `The API key was refused (${status}) by ${where}${said}`,
      init,
    );
  }
  if (status === 429) {
    const retryAfterMs =
      parseRetryAfter(response.headers.get('retry-after'), clock.now()) ?? defaultRetryMs;
    return new RenderioError(
      'rate-limited',
      `Rate limited by ${where}; retry in ${Math.ceil(retryAfterMs / 1000)} s${said}`,
      { ...init, retryAfterMs },
    );
  }
  if (status === 408)
    return new RenderioError('timeout', `The server timed out waiting for ${where}${said}`, init);
  if (status === 411)
    return new RenderioError(
      'validation',
      `${where} needs the upload's length up front (411); this app streams uploads without it${said}`,
      init,
    );
  if (status === 404 || status === 410)
    return new RenderioError('not-found', `Not found: ${where}${said}`, init);
  if (status === 400 || status === 413 || status === 422) {
    const what = status === 413 ? 'too large' : 'refused';
    return new RenderioError(
      'validation',
      `The request was ${what} (${status}) by ${where}${said}`,
      init,
    );
  }
  if (status === 507)
    return new RenderioError('storage-full', `${where} has no room to store it (507)${said}`, init);
  if (status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    return new RenderioError('server', `Server error ${status} from ${where}${said}`, {
      ...init,
      retryAfterMs,
    });
  }
  return new RenderioError('protocol', `Unexpected answer ${status} from ${where}${said}`, init);
}

function parseDetail(bytes: Buffer, truncated: boolean): { detail?: ErrorDetail; note: string } {
  if (bytes.length === 0) return { note: ' (empty body)' };
  const text = bytes.toString('utf8');
  if (!truncated) {
    try {
      const json = JSON.parse(text) as unknown;
      const detail = pickDetail(json);
      if (detail !== undefined) return { detail, note: '' };
    } catch {
      // Not JSON: described below.
    }
  }
  if (/^\s*</.test(text))
    return { note: ` (an HTML page${truncated ? ', cut short' : ''}, probably from a proxy)` };
  const oneLine = redact(text.replace(/\s+/g, ' ').trim()).slice(0, 200);
  return { note: `: ${oneLine}${truncated || text.length > 200 ? '…' : ''}` };
}

function pickDetail(json: unknown): ErrorDetail | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const d = (json as { detail?: unknown }).detail;
  if (typeof d === 'string') return d.slice(0, 2000);
  if (Array.isArray(d)) {
    return d.slice(0, 50).map((item: unknown) => {
      const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      return {
        loc: Array.isArray(o.loc)
          ? o.loc.filter(
              (l): l is string | number => typeof l === 'string' || typeof l === 'number',
            )
          : [],
        msg: typeof o.msg === 'string' ? o.msg.slice(0, 500) : JSON.stringify(item).slice(0, 500),
        type: typeof o.type === 'string' ? o.type : 'unknown',
      };
    });
  }
  const m =
    (json as { message?: unknown; error?: unknown }).message ?? (json as { error?: unknown }).error;
  return typeof m === 'string' ? m.slice(0, 2000) : undefined;
}

/**
 * A deadline for one attempt: 'total' fires after ms whatever happens; 'idle' fires after ms
 * without touch() (transfers: time without progress, not the length of a 1 GiB upload).
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fired = false;
  private lastActivity = performance.now();
  private disposed = false;

  constructor(
    private readonly ms: number,
    outer: AbortSignal | undefined,
    private readonly mode: 'total' | 'idle' = 'total',
  ) {
    this.signal =
      outer === undefined
        ? this.controller.signal
        : AbortSignal.any([outer, this.controller.signal]);
    this.arm(ms);
  }

  get timedOut(): boolean {
    return this.fired;
  }

  /** Progress: cheap (called per chunk), the timer is only moved when it fires. */
  touch(): void {
    if (this.mode === 'idle') this.lastActivity = performance.now();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private arm(delay: number): void {
    if (!Number.isFinite(this.ms) || this.ms <= 0 || this.disposed) return;
    this.timer = setTimeout(() => {
      const idleFor = performance.now() - this.lastActivity;
      if (this.mode === 'idle' && idleFor < this.ms) {
        this.arm(this.ms - idleFor);
        return;
      }
      this.fired = true;
      this.controller.abort(new Error('timeout'));
    }, delay);
    this.timer.unref?.();
  }
}

/** Maps whatever fetch or a body read threw to a RenderioError. */
export function toRenderioError(
  error: unknown,
  ctx: {
    method: string;
    url: string;
    outer?: AbortSignal;
    deadline?: Deadline;
    timeoutMs?: number;
  },
): RenderioError {
  if (error instanceof RenderioError) return error;
  const endpoint = describeEndpoint(ctx.url);
  const init = { method: ctx.method, endpoint, cause: error };
  if (ctx.outer?.aborted)
    return new RenderioError('aborted', `${ctx.method} ${endpoint} was cancelled`, init);
  if (ctx.deadline?.timedOut) {
    const secs = ctx.timeoutMs === undefined ? '' : ` within ${Math.round(ctx.timeoutMs / 1000)} s`;
    return new RenderioError('timeout', `${ctx.method} ${endpoint} got no answer${secs}`, init);
  }
  const where = originOf(ctx.url) || endpoint;
  const failure = describeNetworkFailure(error);
  if (failure !== null) {
    const withCode = { ...init, code: failure.code };
    if (failure.class === 'tls')
      return new RenderioError(
        'tls',
        `Could not connect securely to ${where}: ${failure.words}`,
        withCode,
      );
    if (failure.class === 'not-sent')
      return new RenderioError(
        'not-sent',
        `A request to ${where} could not be sent: ${failure.words}`,
        withCode,
      );
    return new RenderioError('network', `Could not reach ${where}: ${failure.words}`, withCode);
  }
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  const text =
    errnoCode(cause) ??
    (typeof cause?.message === 'string'
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error));
  return new RenderioError('network', `Could not reach ${where} (${text})`, init);
}
