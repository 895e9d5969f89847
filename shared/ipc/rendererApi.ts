/**
 * Builds the object the renderer knows as `window.renderio` from the contract, over any
 * transport: the preload passes one over ipcRenderer, the end-to-end harness one over
 * HTTP + server-sent events. One function per operation; nothing generic leaks out.
 */
import type { QueuePatch } from '../jobs';
import { ipcChannels, QUEUE_UPDATE_CHANNEL } from './channels';
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

export type RendererApi = {
  readonly [G in keyof IpcContract]: {
    readonly [M in keyof IpcContract[G]]: Method<IpcContract[G][M]>;
  };
} & {
  readonly events: {
    /** Throttled queue patches, in order. Returns the unsubscribe function. */
    onQueueUpdate(listener: (patches: QueuePatch[]) => void): () => void;
  };
};

/** What the page sees: the contract plus the preload's path lookup for dropped files. */
export type RenderioWindowApi<F = unknown> = RendererApi & {
  /** Paths of dropped File objects ('' for a File not backed by disk is filtered out). */
  pathsForFiles(files: readonly F[]): string[];
};

function unwrap(channel: string, raw: unknown): unknown {
  const envelope = raw as IpcEnvelope<unknown> | null;
  if (envelope && typeof envelope === 'object' && 'ok' in envelope) {
    if (envelope.ok) return envelope.value;
    throw new RenderioIpcError(envelope.error.code, envelope.error.message);
  }
  throw new RenderioIpcError('protocol', `Unexpected answer on ${channel}.`);
}

export function createRendererApi(transport: RendererTransport): RendererApi {
  const api: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(ipcChannels)) {
    const bound: Record<string, (arg?: unknown) => Promise<unknown>> = {};
    for (const [method, channel] of Object.entries(methods as Record<string, string>)) {
      bound[method] = async (arg?: unknown) =>
        unwrap(channel, await transport.invoke(channel, arg));
    }
    api[group] = Object.freeze(bound);
  }
  api.events = Object.freeze({
    onQueueUpdate(listener: (patches: QueuePatch[]) => void): () => void {
      return transport.subscribe(QUEUE_UPDATE_CHANNEL, (payload) => {
        if (Array.isArray(payload)) listener(payload as QueuePatch[]);
      });
    },
  });
  return Object.freeze(api) as RendererApi;
}
