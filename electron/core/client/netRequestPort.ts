/**
 * The part of Electron's `net.request` (ClientRequest / IncomingMessage) the app's transport
 * uses, as a port: the core never imports 'electron'. Shapes follow electron.d.ts (45.x) and
 * lib/common/api/net-client-request.ts; electron/adapters/appTransport.ts passes `net.request`.
 */

/** ClientRequestConstructorOptions, only the fields the transport sets. */
export interface NetRequestOptions {
  method: string;
  url: string;
  /** 'manual': each redirect is reported by the 'redirect' event and followed only on request. */
  redirect: 'manual';
  /** No cookies are sent or stored for API calls. */
  credentials: 'omit';
  /** Chromium's HTTP cache stays out of API calls and of gigabyte downloads. */
  cache: 'no-store';
}

/** IncomingMessage: a Readable (docs/api/incoming-message.md "implements the Readable Stream"). */
export interface NetIncomingMessageLike {
  readonly statusCode: number;
  readonly statusMessage: string;
  /** Lower-case names; repeated headers joined with ', ', set-cookie as an array. */
  readonly headers: Record<string, string | string[]>;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'aborted', listener: () => void): unknown;
  /** Readable's flow control; electron.d.ts leaves them out of the class, the docs promise them. */
  pause?(): unknown;
  resume?(): unknown;
}

export type RedirectListener = (
  statusCode: number,
  method: string,
  redirectUrl: string,
  responseHeaders: Record<string, string[]>,
) => void;

export interface NetClientRequestLike {
  /** Set before the first write: the body is then streamed instead of collected whole. */
  chunkedEncoding: boolean;
  setHeader(name: string, value: string): void;
  /** `callback` runs once the chunk is handed to Chromium's network layer (electron.d.ts). */
  write(chunk: Buffer, encoding?: string, callback?: () => void): void;
  end(chunk?: Buffer): unknown;
  abort(): void;
  followRedirect(): void;
  on(event: 'response', listener: (response: NetIncomingMessageLike) => void): unknown;
  on(event: 'redirect', listener: RedirectListener): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type NetRequest = (options: NetRequestOptions) => NetClientRequestLike;
