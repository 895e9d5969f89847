/**
 * The IPC router: plain Node, no `electron` import. It registers one handler per row of the
 * contract on anything shaped like `ipcMain`, checks that every call comes from the app's
 * own page, validates the argument with the row's schema, calls the core, and turns every
 * error into a redacted envelope. Queue patches are coalesced and pushed a few times a second.
 */
import type { z } from 'zod';
import {
  listChannels,
  ENGINE_STATUS_CHANNEL,
  QUEUE_UPDATE_CHANNEL,
  type IpcEnvelope,
  type IpcErrorInfo,
} from '../../../shared/ipc/contract';
import type { QueuePatch } from '../../../shared/jobs';
import { redact } from '../../../shared/redact';
import { batchDelay } from '../batchDelay';
import type { IpcCore } from './ports';
import { createHandlers, type Handler } from './handlers';
import { IpcFailure } from './errors';

export { IpcFailure };

/** The part of an IpcMainInvokeEvent the router reads. */
export interface IpcInvokeEventLike {
  senderFrame?: { url: string } | null;
}

/** The part of Electron's ipcMain the router uses; the e2e harness has its own. */
export interface IpcMainLike {
  handle(
    channel: string,
    handler: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/** Where pushed messages go: the window's webContents in the app, SSE clients in the harness. */
export interface PushTarget {
  send(channel: string, payload: unknown): void;
}

export interface RouterOptions {
  ipcMain: IpcMainLike;
  core: IpcCore;
  /** Origins the page may be served from, such as `app://renderer`. */
  allowedOrigins: readonly string[];
  push: PushTarget;
  /** How often coalesced queue patches are pushed (default 100 ms). */
  pushIntervalMs?: number;
  /** Called with a redacted line when a handler fails unexpectedly. */
  onError?: (line: string) => void;
}

export interface IpcRouter {
  channels: readonly string[];
  /** Pushes whatever patches are pending now (used on shutdown and by tests). */
  flush(): void;
  dispose(): void;
}

/** `protocol//host` of a URL; WHATWG gives custom schemes an opaque 'null' origin, so build it. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!parsed.host) return null;
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function isAllowedSender(
  event: IpcInvokeEventLike | null | undefined,
  allowed: readonly string[],
): boolean {
  const url = event?.senderFrame?.url;
  if (typeof url !== 'string') return false;
  const origin = originOf(url);
  return origin !== null && allowed.includes(origin);
}

function describeZodError(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'argument';
    return `${where}: ${issue.message}`;
  });
  return `Invalid request (${parts.join('; ')}).`;
}

/** Turns anything thrown into what may cross to the renderer: a code and a redacted sentence. */
export function toErrorInfo(error: unknown): IpcErrorInfo {
  if (error instanceof IpcFailure) return { code: error.code, message: redact(error.message) };
  if (error instanceof Error) {
    const rawCode = (error as { code?: unknown }).code;
    const code =
      typeof rawCode === 'string' && /^[a-z][a-z0-9-]{0,40}$/.test(rawCode) ? rawCode : 'internal';
    return { code, message: redact(error.message || 'Something went wrong.') };
  }
  return { code: 'internal', message: 'Something went wrong.' };
}

export function createIpcRouter(options: RouterOptions): IpcRouter {
  const { ipcMain, core, allowedOrigins, push } = options;
  const handlers = createHandlers(core);
  const rows = listChannels();
  const registered: string[] = [];

  for (const row of rows) {
    const handler = (handlers as Record<string, Record<string, Handler>>)[row.group]?.[row.method];
    if (!handler) throw new Error(`No handler for IPC channel ${row.channel}.`);
    ipcMain.handle(row.channel, async (event, ...args): Promise<IpcEnvelope<unknown>> => {
      if (!isAllowedSender(event, allowedOrigins)) {
        return {
          ok: false,
          error: { code: 'forbidden-sender', message: 'This page may not call the app.' },
        };
      }
      if (args.length > 1) {
        return {
          ok: false,
          error: { code: 'invalid-argument', message: 'Invalid request (too many arguments).' },
        };
      }
      const parsed = row.args.safeParse(args[0]);
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'invalid-argument', message: redact(describeZodError(parsed.error)) },
        };
      }
      try {
        const value = await (handler as (arg: unknown) => unknown)(parsed.data);
        return { ok: true, value: value === undefined ? null : value };
      } catch (error) {
        const info = toErrorInfo(error);
        if (info.code === 'internal')
          options.onError?.(`[ipc] ${row.channel} failed: ${info.message}`);
        return { ok: false, error: info };
      }
    });
    registered.push(row.channel);
  }

  // Coalesce patches so a burst of progress ticks becomes one message per interval, by the
  // stream's own rule (batchDelay): the queue's stream already sends at most every 250 ms, so
  // its batches reach the window as they come, not an interval later.
  const interval = options.pushIntervalMs ?? 100;
  let pending: QueuePatch[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastPushAt = -Infinity;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    lastPushAt = Date.now();
    push.send(QUEUE_UPDATE_CHANNEL, batch);
  };
  const unsubscribe = core.queue.subscribe((patches) => {
    pending.push(...patches);
    timer ??= setTimeout(flush, batchDelay(lastPushAt, interval));
  });
  // Rare, and each one matters on its own: pushed as it comes.
  const unsubscribeEngine = core.engine.subscribe((status) =>
    push.send(ENGINE_STATUS_CHANNEL, status),
  );

  return {
    channels: registered,
    flush,
    dispose() {
      unsubscribe();
      unsubscribeEngine();
      flush();
      for (const channel of registered) ipcMain.removeHandler(channel);
    },
  };
}
