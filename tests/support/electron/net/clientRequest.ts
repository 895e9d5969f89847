/**
 * The double of Electron's ClientRequest (docs/api/client-request.md, electron.d.ts 45.x), its
 * JS layer modelled on lib/common/api/net-client-request.ts (rules restated here, code our own)
 * over urlLoader.ts (what Chromium does). What it refuses, as Electron does:
 * - a URL that is not http(s) ("ClientRequest only supports http: and https: protocols");
 *   net.fetch may use any scheme (file: here);
 * - a redirect mode other than follow / error / manual; `credentials: 'same-origin'` without
 *   an origin;
 * - setHeader / removeHeader after the first write or once started ("Can't set headers after
 *   they are sent"); an invalid header name or value (thrown at once); a RESTRICTED header
 *   (Content-Length, Host, Transfer-Encoding, ...) is accepted by setHeader and fails the
 *   request with net::ERR_INVALID_ARGUMENT when it starts (electron/electron#21091);
 * - `chunkedEncoding` set twice, or after the request started;
 * - followRedirect() outside a 'redirect' event; with redirect 'manual' a redirect that is not
 *   followed synchronously kills the request with Error('Redirect was cancelled').
 * And how it behaves:
 * - without chunkedEncoding the whole body is collected in memory and sent once end() is
 *   called (Electron's SlurpStream); with it, the first write starts the request and each write
 *   calls back once the chunk is handed on;
 * - failures are `new Error('net::ERR_…')` on 'error'; abort() emits 'abort' on the next tick
 *   and no error.
 */
import { Writable } from 'node:stream';
import { IncomingMessageDouble } from './incomingMessage';
import {
  startUrlLoader,
  type NetworkEnvironment,
  type RedirectPolicy,
  type UrlLoader,
} from './urlLoader';

export interface ClientRequestOptions {
  method?: string;
  url?: string;
  headers?: Record<string, string | string[]>;
  redirect?: string;
  credentials?: 'include' | 'omit' | 'same-origin';
  origin?: string;
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: number;
  path?: string;
  cache?: string;
  useSessionCookies?: boolean;
  session?: unknown;
  partition?: string;
}

/** RFC 7230 token, as net::HttpUtil::IsValidHeaderName. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function validateHeader(name: unknown, value: unknown): void {
  if (typeof name !== 'string')
    throw new TypeError('`name` should be a string in setHeader(name, value)');
  if (value === null || value === undefined)
    throw new Error(`\`value\` required in setHeader("${name}", value)`);
  if (!TOKEN.test(name)) throw new Error(`Invalid header name: '${name}'`);
  const text = String(value);
  if (/[\0\r\n]/.test(text)) throw new Error(`Invalid value for header '${name}': '${text}'`);
}

function urlOf(options: ClientRequestOptions | string): string {
  if (typeof options === 'string') return new URL(options).toString();
  if (options.url) return new URL(options.url).toString();
  if (options.path && / /.test(options.path))
    throw new TypeError('Request path contains unescaped characters');
  const protocol = options.protocol ?? 'http:';
  const host =
    options.host ?? `${options.hostname ?? 'localhost'}${options.port ? `:${options.port}` : ''}`;
  return new URL(options.path ?? '/', `${protocol}//${host}`).toString();
}

export class ClientRequestDouble extends Writable {
  private readonly url: string;
  private readonly method: string;
  private readonly redirectPolicy: RedirectPolicy;
  private readonly headerMap = new Map<string, [string, string]>();
  private started = false;
  private firstWrite = false;
  private aborted = false;
  private chunked: boolean | undefined;
  private readonly collected: Buffer[] = [];
  private collectedBytes = 0;
  private loader: UrlLoader | null = null;
  private response: IncomingMessageDouble | null = null;
  private followCallback: (() => void) | null = null;

  constructor(
    options: ClientRequestOptions | string,
    private readonly network: NetworkEnvironment,
    private readonly allowAnyProtocol = false,
  ) {
    super({ autoDestroy: true });
    const o: ClientRequestOptions = typeof options === 'string' ? {} : { ...options };
    this.url = urlOf(options);
    this.method = (o.method ?? 'GET').toUpperCase();
    const redirect = o.redirect ?? 'follow';
    if (redirect !== 'follow' && redirect !== 'error' && redirect !== 'manual')
      throw new Error('redirect mode should be one of follow, error or manual');
    this.redirectPolicy = redirect;
    if (o.headers != null && typeof o.headers !== 'object')
      throw new TypeError('headers must be an object');
    for (const [name, value] of Object.entries(o.headers ?? {})) {
      validateHeader(name, value);
      this.headerMap.set(name.toLowerCase(), [name, String(value)]);
    }
    const protocol = new URL(this.url).protocol;
    if (!this.allowAnyProtocol && protocol !== 'http:' && protocol !== 'https:')
      throw new Error('ClientRequest only supports http: and https: protocols');
    if (o.credentials === 'same-origin' && !o.origin)
      throw new Error('credentials: same-origin requires origin to be set');
  }

  get chunkedEncoding(): boolean {
    return this.chunked ?? false;
  }

  set chunkedEncoding(value: boolean) {
    if (this.started)
      throw new Error('chunkedEncoding can only be set before the request is started');
    if (this.chunked !== undefined) throw new Error('chunkedEncoding can only be set once');
    this.chunked = Boolean(value);
  }

  setHeader(name: string, value: string): void {
    if (this.started || this.firstWrite) throw new Error("Can't set headers after they are sent");
    validateHeader(name, value);
    this.headerMap.set(name.toLowerCase(), [name, String(value)]);
  }

  getHeader(name: string): string | undefined {
    if (name == null) throw new Error('`name` is required for getHeader(name)');
    return this.headerMap.get(name.toLowerCase())?.[1];
  }

  removeHeader(name: string): void {
    if (name == null) throw new Error('`name` is required for removeHeader(name)');
    if (this.started || this.firstWrite)
      throw new Error("Can't remove headers after they are sent");
    this.headerMap.delete(name.toLowerCase());
  }

  followRedirect(): void {
    if (!this.followCallback)
      throw new Error('followRedirect() called, but was not waiting for a redirect');
    this.followCallback();
  }

  abort(): void {
    if (!this.aborted) process.nextTick(() => this.emit('abort'));
    this.aborted = true;
    this.die();
  }

  getUploadProgress(): { active: boolean; started: boolean; current: number; total: number } {
    return { active: false, started: false, current: 0, total: 0 };
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (e?: Error) => void): void {
    this.firstWrite = true;
    if (this.chunked) {
      if (!this.started) this.start({ kind: 'chunked' });
      // After abort() Electron drops a pending write's callback (ChunkedBodyStream), so here too.
      void this.loader!.writeChunk(chunk).then(() => {
        if (!this.aborted) callback();
      });
      return;
    }
    // Electron's SlurpStream: the whole body is kept until end().
    this.collected.push(Buffer.from(chunk));
    this.collectedBytes += chunk.length;
    this.network.stats.peakBufferedUploadBytes = Math.max(
      this.network.stats.peakBufferedUploadBytes,
      this.collectedBytes,
    );
    callback();
  }

  override _final(callback: (e?: Error) => void): void {
    if (this.chunked) {
      if (!this.started) this.start({ kind: 'chunked' });
      this.loader!.endChunks();
    } else if (this.firstWrite) {
      this.start({ kind: 'bytes', data: Buffer.concat(this.collected, this.collectedBytes) });
      this.collected.length = 0;
    } else {
      this.start({ kind: 'none' });
    }
    callback();
  }

  private start(body: Parameters<typeof startUrlLoader>[0]['body']): void {
    this.started = true;
    this.loader = startUrlLoader(
      {
        method: this.method,
        url: this.url,
        headers: [...this.headerMap.values()],
        body,
        redirectPolicy: this.redirectPolicy,
        allowFileScheme: this.allowAnyProtocol,
      },
      {
        responseStarted: (_finalUrl, head) => {
          this.response = new IncomingMessageDouble(head);
          this.emit('response', this.response);
        },
        data: (chunk, resume) => this.response?.deliver(chunk, resume),
        complete: () => this.response?.deliver(null, null),
        error: (netError) => {
          const error = new Error(netError);
          this.response?.destroy(error);
          this.die(error);
        },
        redirect: (info, headers) => this.onRedirect(info, headers),
      },
      this.network,
    );
  }

  private onRedirect(
    info: { statusCode: number; newMethod: string; newUrl: string },
    headers: Record<string, string[]>,
  ): void {
    if (this.redirectPolicy === 'error') {
      this.die(new Error("Attempted to redirect, but redirect policy was 'error'"));
      return;
    }
    let followed = this.redirectPolicy === 'follow';
    this.followCallback = () => (followed = true);
    try {
      this.emit('redirect', info.statusCode, info.newMethod, info.newUrl, headers);
    } finally {
      this.followCallback = null;
      if (!followed && !this.aborted) this.die(new Error('Redirect was cancelled'));
    }
  }

  private die(error?: Error): void {
    // Electron emits 'error' itself when the stream is already destroyed (an ended request can
    // still fail), since destroy() would not emit again.
    if (this.destroyed && error) this.emit('error', error);
    this.destroy(error);
    if (this.loader) {
      this.loader.cancel();
      if (this.response) this.response.destroy(error);
    }
  }
}
