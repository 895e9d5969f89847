/**
 * `window.renderio` in two halves, because only plain data crosses contextBridge: an Error
 * thrown in the preload's world reaches the page with its message alone, no `code`, no class
 * (docs/api/context-bridge.md; electron/electron#25596).
 * - createBridgeApi(transport): what the preload exposes. One function per operation; each
 *   resolves to the envelope main answered with ({ ok, value } or { ok: false, error }) and
 *   never rejects: a failed invoke becomes an error envelope too. The e2e harness builds the
 *   same object over HTTP and hands it over with contextBridge's copy rules.
 * - createRendererApi(bridge): built in the page's own world from what the preload exposed;
 *   it unwraps envelopes and throws RenderioIpcError with the code, so `error.code` checks work.
 */
import type { QueuePatch } from '../jobs';
import {
  ENGINE_STATUS_CHANNEL,
  ipcChannels,
  MENU_COMMAND_CHANNEL,
  QUEUE_UPDATE_CHANNEL,
} from './channels';
import type { ShortcutId } from '../shortcuts';
import type { LocalEngineStatus } from '../localEngine';
import type { ArgsOf, IpcContract, IpcEnvelope, ResultOf } from './contract';

export interface RendererTransport {
  /** Sends one invoke and resolves to the envelope main answered with. */
  invoke(channel: string, arg: unknown): Promise<unknown>;
  /** Listens to a push channel; returns the function that stops listening. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/** An error main reported: its message is already redacted and fit to show. */
export class RenderioIpcError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RenderioIpcError';
    this.code = code;
  }
}

type Method<C> = [ArgsOf<C>] extends [undefined]
  ? () => Promise<ResultOf<C>>
  : undefined extends ArgsOf<C>
    ? (arg?: ArgsOf<C>) => Promise<ResultOf<C>>
    : (arg: ArgsOf<C>) => Promise<ResultOf<C>>;

type BridgeMethod<C> = [ArgsOf<C>] extends [undefined]
  ? () => Promise<IpcEnvelope<ResultOf<C>>>
  : undefined extends ArgsOf<C>
    ? (arg?: ArgsOf<C>) => Promise<IpcEnvelope<ResultOf<C>>>
    : (arg: ArgsOf<C>) => Promise<IpcEnvelope<ResultOf<C>>>;

interface QueueEvents {
  /** Throttled queue patches, in order. Returns the unsubscribe function. */
  onQueueUpdate(listener: (patches: QueuePatch[]) => void): () => void;
  /** This computer's engine, at each change. Returns the unsubscribe function. */
  onEngineStatus(listener: (status: LocalEngineStatus) => void): () => void;
  /**
   * An app-menu item for the page to carry out. The id is checked by the page (isShortcutId):
   * the preload stays free of the shortcut table. Returns the unsubscribe function.
   */
  onMenuCommand(listener: (command: ShortcutId) => void): () => void;
}

/** The page's API: typed results, failures thrown as RenderioIpcError. */
export type RendererApi = {
  readonly [G in keyof IpcContract]: {
    readonly [M in keyof IpcContract[G]]: Method<IpcContract[G][M]>;
  };
} & { readonly events: QueueEvents };

/** What the preload exposes: envelopes, plain data only. */
export type BridgeApi = {
  readonly [G in keyof IpcContract]: {
    readonly [M in keyof IpcContract[G]]: BridgeMethod<IpcContract[G][M]>;
  };
} & { readonly events: QueueEvents };

/** `window.renderio`: the bridge plus the preload's path lookup for dropped files. */
export type RenderioWindowApi<F = unknown> = BridgeApi & {
  /** Paths of dropped File objects ('' for a File not backed by disk is filtered out). */
  pathsForFiles(files: readonly F[]): string[];
};

function isEnvelope(raw: unknown): raw is IpcEnvelope<unknown> {
  if (typeof raw !== 'object' || raw === null || !('ok' in raw)) return false;
  const e = raw as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (e.ok === true) return true;
  return e.ok === false && typeof e.error?.code === 'string' && typeof e.error.message === 'string';
}

function failure(code: string, message: string): IpcEnvelope<never> {
  return { ok: false, error: { code, message } };
}

export function createBridgeApi(transport: RendererTransport): BridgeApi {
  const api: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(ipcChannels)) {
    const bound: Record<string, (arg?: unknown) => Promise<IpcEnvelope<unknown>>> = {};
    for (const [method, channel] of Object.entries(methods as Record<string, string>)) {
      bound[method] = async (arg?: unknown) => {
        try {
          const raw = await transport.invoke(channel, arg);
          return isEnvelope(raw) ? raw : failure('protocol', `Unexpected answer on ${channel}.`);
        } catch (error) {
          // ipcRenderer.invoke rejects only when main has no handler or the call could not be
          // cloned: say so as data, since an Error would lose its code on the way to the page.
          const message = error instanceof Error ? error.message : String(error);
          return failure('ipc', `The app could not reach its main process (${message}).`);
        }
      };
    }
    api[group] = Object.freeze(bound);
  }
  api.events = Object.freeze({
    onQueueUpdate(listener: (patches: QueuePatch[]) => void): () => void {
      return transport.subscribe(QUEUE_UPDATE_CHANNEL, (payload) => {
        if (Array.isArray(payload)) listener(payload as QueuePatch[]);
      });
    },
    onEngineStatus(listener: (status: LocalEngineStatus) => void): () => void {
      return transport.subscribe(ENGINE_STATUS_CHANNEL, (payload) => {
        if (payload && typeof payload === 'object') listener(payload as LocalEngineStatus);
      });
    },
    onMenuCommand(listener: (command: ShortcutId) => void): () => void {
      return transport.subscribe(MENU_COMMAND_CHANNEL, (payload) => {
        const command = (payload as { command?: unknown } | null)?.command;
        if (typeof command === 'string') listener(command as ShortcutId);
      });
    },
  });
  return Object.freeze(api) as BridgeApi;
}

export function createRendererApi(bridge: BridgeApi): RendererApi {
  const api: Record<string, unknown> = {};
  const source = bridge as unknown as Record<string, Record<string, (arg?: unknown) => unknown>>;
  for (const [group, methods] of Object.entries(ipcChannels)) {
    const bound: Record<string, (arg?: unknown) => Promise<unknown>> = {};
    for (const [method, channel] of Object.entries(methods as Record<string, string>)) {
      bound[method] = async (arg?: unknown) => {
        const call = source[group]?.[method];
        if (typeof call !== 'function')
          throw new RenderioIpcError('protocol', `The app bridge has no ${channel}.`);
        const envelope = await (arg === undefined ? call() : call(arg));
        if (!isEnvelope(envelope))
          throw new RenderioIpcError('protocol', `Unexpected answer on ${channel}.`);
        if (envelope.ok) return envelope.value;
        throw new RenderioIpcError(envelope.error.code, envelope.error.message);
      };
    }
    api[group] = Object.freeze(bound);
  }
  api.events = bridge.events;
  return Object.freeze(api) as RendererApi;
}
