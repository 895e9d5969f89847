/**
 * Ports: the small interfaces through which Electron (or a test) enters electron/core.
 * The core never imports 'electron'; main.ts wires adapters to these, tests pass real Node
 * implementations. Keep this file additive: other modules add their ports below.
 */

/**
 * Encrypts secrets at rest. The Electron adapter wraps safeStorage's async API; tests use a
 * real AES-256-GCM cipher keyed per test (tests/support/testCipher.ts).
 */
export interface SecretCipher {
  encrypt(plain: string): Promise<Buffer>;
  /**
   * `reEncrypt`: the OS rotated its key (safeStorage's shouldReEncrypt); the plain text should
   * be encrypted again and the new ciphertext stored. Rejects with CipherUnavailableError when
   * the store is only temporarily unavailable (try again later; the key is not lost).
   */
  decrypt(data: Buffer): Promise<{ plain: string; reEncrypt: boolean }>;
  /**
   * The OS store behind the cipher: 'keychain' | 'dpapi' | 'gnome_libsecret' | 'kwallet*' |
   * 'basic_text' | 'unknown' | 'aes-gcm-test' | ...
   */
  backend(): Promise<string>;
  /** false for 'basic_text' / 'unknown' (a hard-coded password) or when encryption is unavailable. */
  isSecure(): Promise<boolean>;
}

/** The OS key store cannot answer right now (locked, still starting); the data is not lost. */
export class CipherUnavailableError extends Error {
  override readonly name = 'CipherUnavailableError';
}

/**
 * The fetch the core uses for every HTTP request, a required port: the core has no transport of
 * its own. The app passes its transport over Electron's net.request (client/netRequestFetch.ts:
 * system proxies and certificates); the CLI, tests and benchmarks pass undici's
 * (client/undiciFetch.ts). Either keeps the contract of client/transportContract.ts: redirects
 * are never followed (client/http.ts follows them by hand), failures take fetch's shapes.
 */
export type FetchLike = ((input: string, init?: RequestInit) => Promise<Response>) & {
  /** The upload chunk size this transport sends fastest; 1 MiB when it does not say. */
  readonly uploadChunkBytes?: number;
  /**
   * The transport's variant for downloads, when it has one: its answers may offer their body
   * as a pump (client/bodyPump.ts). Downloads use the transport itself otherwise.
   */
  readonly downloadFetch?: FetchLike;
};

/** A request body fetch accepts (string, bytes or a ReadableStream sent with duplex: 'half'). */
export type RequestBody = NonNullable<RequestInit['body']>;

/** Time, so schedulers and back-off can be driven by a test clock where that is useful. */
export interface Clock {
  now(): number;
  /** Resolves after ms; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls fn after about ms (Node's timers may fire a little early or late by now()); returns
   * the function that cancels it. The queue's scheduler arms its one wake-up timer here.
   */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
