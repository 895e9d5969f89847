/**
 * The request pipeline: fault injection (when configured) → route → API key → rate limit →
 * body check from the head → handler → error body. Every request lands in the request log
 * once its answer is done. It serves both the server's `request` and `checkContinue` events:
 * a client that sent `Expect: 100-continue` is told to send its body only once everything
 * before the handler has passed, and otherwise gets the refusal without sending it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../shared/redact';
import { API_KEY_HEADER } from '../../shared/renderioApi';
import { faultHtml, NO_FAULT, type FaultInjector } from '../faults';
import type { KeyStore } from '../keys/keyStore';
import type { RateLimiter } from '../rateLimit';
import { declaredLength, refuseBodyEarly, type BodyLimits } from './bodyGate';
import { ClientAbortedError } from './clientAborted';
import type { RequestContext } from './context';
import { HttpError, notFound, unauthorized } from './errors';
import { checkRoomFor, diskFull, isDiskFullError } from '../storage/diskSpace';
import { isNameTooLongError, nameTooLong } from '../storage/blobStore';
import type { RequestLog } from './requestLog';
import { sendError, sendJson } from './respond';
import type { Router } from './router';

export interface DispatchDeps {
  router: Router;
  keys: KeyStore;
  limiter: RateLimiter;
  faults: () => FaultInjector | null;
  log: RequestLog;
  logger: Logger;
  bodyLimits: BodyLimits;
  /** The data folder, named in the 507 a full disk answers (storage/diskSpace.ts). */
  dataDir: string;
  /** What an upload must leave free on that disk (EngineOptions.keepFreeBytes). */
  keepFreeBytes: number;
}

export function createDispatcher(deps: DispatchDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(deps, req, res);
  };
}

async function handle(deps: DispatchDeps, req: IncomingMessage, res: ServerResponse) {
  const at = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  let path = '/';
  let query = new URLSearchParams();
  try {
    const url = new URL(req.url ?? '/', 'http://engine.invalid');
    path = url.pathname;
    query = url.searchParams;
  } catch {
    // an unparsable target falls through to 404
  }
  const c: RequestContext = {
    req,
    res,
    method,
    path,
    query,
    params: {},
    keyId: null,
    headers: {},
    fault: NO_FAULT,
  };
  // The hold asked for (wait_ms) is a number the client chose, safe to keep; the rest of the
  // query is not kept (storage signatures).
  const waitMs = /^\d+$/.test(query.get('wait_ms') ?? '') ? Number(query.get('wait_ms')) : null;
  res.on('close', () =>
    deps.log.add({
      at,
      endedAt: Date.now(),
      method,
      path,
      waitMs,
      keyId: c.keyId,
      status: res.statusCode,
    }),
  );

  try {
    const injector = deps.faults();
    if (injector) {
      c.fault = injector.decide(method, path);
      if (c.fault.delayMs > 0) await delay(c.fault.delayMs);
      const action = c.fault.action;
      if (action.kind === 'status') {
        req.resume();
        const html = faultHtml(action.status);
        res.writeHead(action.status, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Length': Buffer.byteLength(html),
        });
        res.end(html);
        return;
      }
      if (action.kind === 'storm') {
        req.resume();
        throw new HttpError(429, 'Rate limit exceeded', {
          'Retry-After': String(action.retryAfterSeconds),
        });
      }
    }

    const match = deps.router.match(method, path);
    if (match.kind === 'not-found') throw notFound();
    if (match.kind === 'method-not-allowed')
      throw new HttpError(405, 'Method Not Allowed', {
        Allow: [...new Set(match.allow)].join(', '),
      });
    c.params = match.params;

    if (match.route.auth) {
      const sent = req.headers[API_KEY_HEADER.toLowerCase()];
      c.keyId = await deps.keys.verify(typeof sent === 'string' ? sent : undefined);
      if (c.keyId === null) throw unauthorized();
      const decision = deps.limiter.take(c.keyId);
      c.headers['X-RateLimit-Limit'] = String(decision.limit);
      c.headers['X-RateLimit-Remaining'] = String(decision.remaining);
      c.headers['X-RateLimit-Reset'] = String(decision.resetSeconds);
      if (!decision.allowed)
        throw new HttpError(
          429,
          `Rate limit exceeded; retry after ${decision.retryAfterSeconds} s`,
          {
            'Retry-After': String(decision.retryAfterSeconds),
          },
        );
    }
    const refusal = refuseBodyEarly(match.route.body, req.headers, deps.bodyLimits);
    if (refusal) throw refusal;
    // An upload whose declared length cannot fit is refused from its head too: before the
    // go-ahead a client that sent `Expect: 100-continue` waits for, and before a byte is
    // written. One without a length is watched while it is written (files/upload.ts).
    const declared = match.route.body === 'upload' ? declaredLength(req.headers) : null;
    if (declared !== null) await checkRoomFor(deps.dataDir, declared, deps.keepFreeBytes);
    if (expectsContinue(req)) res.writeContinue();
    await match.route.handler(c);
  } catch (error) {
    if (error instanceof ClientAbortedError) {
      // Nobody is left to answer; an ordinary event, so one line and no stack trace.
      deps.logger.warn(`request aborted: ${method} ${path} (${error.message})`);
      res.destroy();
      return;
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A write that found the disk full, wherever it was: the person is told that, not "500".
    // Likewise a path too long: client names are cut to fit (storage/blobStore.ts), so only
    // a data folder with too long a path is left, and a retried 500 would not change that.
    const answer = isDiskFullError(error)
      ? diskFull(deps.dataDir)
      : isNameTooLongError(error)
        ? nameTooLong(deps.dataDir)
        : error;
    if (answer instanceof HttpError) {
      if (answer.status >= 400 && !req.complete) lingerOverUnreadBody(req, res);
      if (answer !== error) deps.logger.warn(`${method} ${path}: ${(error as Error).message}`);
      sendError(c, answer);
    } else {
      deps.logger.error(`${method} ${path} failed:`, error);
      req.resume();
      sendJson(c, 500, { detail: 'Internal server error' });
    }
  }
}

/**
 * How long the rest of a refused body is read and thrown away after the answer, at most.
 * Beyond it the connection is cut: a client still sending after that long is not reading.
 */
export const LINGER_MS = 30_000;

/**
 * A refusal answered before its body was read (401 on an upload, 413 from the head) must
 * reach the client. Closing at once would not: the client is still sending, and bytes
 * arriving at a closed socket make the kernel answer RST, which throws away the refusal
 * unread on the client's side ("connection reset" instead of 401: the queue retried an
 * upload with a revoked key as a network fault). So the rest of the body is read and
 * dropped (Node's parser frames it by Content-Length or chunks: it is never taken for a
 * request) and the connection stays open, as nginx's lingering close does; a client that
 * asked for `Connection: close` gets that once its answer is sent, as before.
 */
function lingerOverUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.once('finish', () => {
    if (req.complete) return;
    const cut = setTimeout(() => req.socket.destroy(), LINGER_MS);
    cut.unref();
    req.once('end', () => clearTimeout(cut));
    req.once('close', () => clearTimeout(cut));
  });
}

/** Whether the client waits for `100 Continue` before it sends the body. */
function expectsContinue(req: IncomingMessage): boolean {
  return /^\s*100-continue\s*$/i.test(req.headers.expect ?? '');
}
