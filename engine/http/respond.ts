/** Writing answers. Every JSON body goes through here, so fault injection can cut it short. */
import type { RequestContext } from './context';
import type { HttpError } from './errors';

export function sendJson(ctx: RequestContext, status: number, body: unknown): void {
  const { res } = ctx;
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  for (const [k, v] of Object.entries(ctx.headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', data.length);
  if (ctx.method === 'HEAD') {
    res.end();
    return;
  }
  if (ctx.fault.cut === 'reset' && data.length > 1) {
    cutShort(ctx, data, 'reset');
    return;
  }
  res.end(data);
}

/** Writes the first half of `data`, then resets (RST) or quietly closes the connection. */
export function cutShort(ctx: RequestContext, data: Buffer, how: 'reset' | 'truncate'): void {
  const { res } = ctx;
  res.shouldKeepAlive = false;
  res.write(data.subarray(0, Math.floor(data.length / 2)), () => abortConnection(ctx, how));
}

export function abortConnection(ctx: RequestContext, how: 'reset' | 'truncate'): void {
  const socket = ctx.res.socket ?? ctx.req.socket;
  if (how === 'reset' && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else if (how === 'reset') socket.destroy();
  else socket.end();
}

export function sendError(ctx: RequestContext, error: HttpError): void {
  for (const [k, v] of Object.entries(error.headers)) ctx.headers[k] = v;
  sendJson(ctx, error.status, { detail: error.detail });
}
