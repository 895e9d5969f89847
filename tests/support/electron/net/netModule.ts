/**
 * The double of Electron's `net` module (docs/api/net.md; lib/browser/api/net.ts and
 * net-fetch.ts, behaviour restated here):
 * - `net.request` throws before the app is ready ("net module can only be used after app is
 *   ready"); `net.fetch` goes through `session.defaultSession`, which throws a TypeError before
 *   ready ("Session can only be received when app is ready").
 * - `net.fetch(input, init)` makes `new Request(input, init)`, then a ClientRequest WITHOUT
 *   chunkedEncoding, copies every header with setHeader (restricted ones fail the request with
 *   net::ERR_INVALID_ARGUMENT) and pipes the body in: a streamed body is collected whole before
 *   it is sent. It registers no 'redirect' listener, so redirect 'manual' rejects with
 *   Error('Redirect was cancelled') instead of returning the 3xx. Failures reject with the
 *   plain Error('net::ERR_…'), not TypeError('fetch failed'). The Response is built with
 *   `new Response(...)`, so `.type` is 'default' and `.url` is '' (electron.d.ts: "The .type and
 *   .url values of the returned Response object are incorrect"). Any scheme is allowed (file:).
 */
import { Readable, Writable } from 'node:stream';
import { ClientRequestDouble, type ClientRequestOptions } from './clientRequest';
import type { NetworkEnvironment } from './urlLoader';

const NULL_BODY = new Set([101, 204, 205, 304]);

export interface NetDouble {
  request(options: ClientRequestOptions | string): ClientRequestDouble;
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
  isOnline(): boolean;
  readonly online: boolean;
}

export function createNetDouble(
  network: NetworkEnvironment,
  requireReady: (message: string, error?: 'TypeError') => void,
): NetDouble {
  const fetchWithSession = (input: string | Request, init?: RequestInit): Promise<Response> => {
    let req: Request;
    try {
      req = new Request(input, init);
    } catch (error) {
      return Promise.reject(error);
    }
    const abortError = (): unknown =>
      (req.signal as AbortSignal & { reason?: unknown }).reason ??
      new DOMException('The operation was aborted.', 'AbortError');
    if (req.signal.aborted) {
      void req.body?.cancel(abortError()).catch(() => undefined);
      return Promise.reject(abortError());
    }
    return new Promise<Response>((resolve, reject) => {
      const origin = req.headers.get('origin') ?? undefined;
      const credentials =
        req.credentials === 'same-origin' && !origin ? 'include' : req.credentials;
      const r = new ClientRequestDouble(
        {
          method: req.method,
          url: req.url,
          origin,
          credentials,
          cache: req.cache,
          redirect: req.redirect,
        },
        network,
        true,
      );
      let locallyAborted = false;
      req.signal.addEventListener(
        'abort',
        () => {
          locallyAborted = true;
          reject(abortError());
          void req.body?.cancel(abortError()).catch(() => undefined);
          r.abort();
        },
        { once: true },
      );
      if (req.mode && (req.mode !== 'cors' || origin)) r.setHeader('Sec-Fetch-Mode', req.mode);
      for (const [name, value] of req.headers) r.setHeader(name, value);
      r.on(
        'response',
        (
          resp: Readable & {
            statusCode: number;
            statusMessage: string;
            headers: Record<string, string | string[]>;
          },
        ) => {
          if (locallyAborted) return;
          const headers = new Headers();
          for (const [name, value] of Object.entries(resp.headers))
            headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          const body =
            NULL_BODY.has(resp.statusCode) || req.method === 'HEAD'
              ? null
              : (Readable.toWeb(resp) as ReadableStream<Uint8Array>);
          resolve(
            new Response(body, {
              headers,
              status: resp.statusCode,
              statusText: resp.statusMessage,
            }),
          );
        },
      );
      r.on('error', (error) => reject(error));
      if (req.body) {
        void req.body
          .pipeTo(Writable.toWeb(r) as WritableStream<Uint8Array>)
          .catch(() => undefined);
      } else {
        r.end();
      }
    });
  };

  return {
    request(options) {
      requireReady('net module can only be used after app is ready');
      return new ClientRequestDouble(options, network);
    },
    fetch(input, init) {
      requireReady('Session can only be received when app is ready', 'TypeError');
      return fetchWithSession(input, init);
    },
    isOnline: () => true,
    get online() {
      return true;
    },
  };
}
