/**
 * The double of Electron's IncomingMessage (docs/api/incoming-message.md; behaviour modelled on
 * lib/common/api/net-client-request.ts, written here from its description, not copied):
 * - a Readable: data arrives from the network only as fast as the reader takes it; each batch
 *   comes with a `resume` callback that lets the network send more (Chromium's flow control);
 * - `headers`: lower-case names; for the names Node keeps one of (content-type, content-length,
 *   location, ...) the FIRST value, for others all values joined with ', '; set-cookie an array;
 * - `trailers` / `rawTrailers` throw ("HTTP trailers are not supported").
 */
import { Readable } from 'node:stream';

/** Node's list of headers whose duplicates are discarded (http.IncomingMessage.headers). */
const FIRST_VALUE_ONLY = new Set([
  'content-type',
  'content-length',
  'user-agent',
  'referer',
  'host',
  'authorization',
  'proxy-authorization',
  'if-modified-since',
  'if-unmodified-since',
  'from',
  'location',
  'max-forwards',
  'retry-after',
  'etag',
  'last-modified',
  'server',
  'age',
  'expires',
]);

export interface ResponseHead {
  statusCode: number;
  statusMessage: string;
  /** name (lower case) → every value received, in order. */
  headers: Map<string, string[]>;
  rawHeaders: { key: string; value: string }[];
  httpVersion: { major: number; minor: number };
}

export class IncomingMessageDouble extends Readable {
  private readonly pending: (Buffer | null)[] = [];
  private wanted = false;
  private resumeNetwork: (() => void) | null = null;

  constructor(private readonly head: ResponseHead) {
    super();
  }

  get statusCode(): number {
    return this.head.statusCode;
  }
  get statusMessage(): string {
    return this.head.statusMessage;
  }
  get headers(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, values] of this.head.headers) {
      if (name === 'set-cookie') out[name] = [...values];
      else out[name] = FIRST_VALUE_ONLY.has(name) ? values[0]! : values.join(', ');
    }
    return out;
  }
  get rawHeaders(): string[] {
    return this.head.rawHeaders.flatMap(({ key, value }) => [key, value]);
  }
  get httpVersion(): string {
    return `${this.head.httpVersion.major}.${this.head.httpVersion.minor}`;
  }
  get httpVersionMajor(): number {
    return this.head.httpVersion.major;
  }
  get httpVersionMinor(): number {
    return this.head.httpVersion.minor;
  }
  get trailers(): never {
    throw new Error('HTTP trailers are not supported');
  }
  get rawTrailers(): never {
    throw new Error('HTTP trailers are not supported');
  }

  /** From the loader: one chunk (null: the end) and how to ask the network for more. */
  deliver(chunk: Buffer | null, resume: (() => void) | null): void {
    this.resumeNetwork = resume;
    this.pending.push(chunk);
    this.flushPending();
  }

  override _read(): void {
    this.wanted = true;
    this.flushPending();
  }

  private flushPending(): void {
    while (this.wanted && this.pending.length > 0) this.wanted = this.push(this.pending.shift()!);
    if (this.wanted && this.resumeNetwork) {
      const resume = this.resumeNetwork;
      this.resumeNetwork = null;
      resume();
    }
  }
}
