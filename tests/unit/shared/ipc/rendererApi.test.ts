import { describe, expect, it } from 'vitest';
import {
  ipcChannels,
  MENU_COMMAND_CHANNEL,
  PUSH_CHANNELS,
  QUEUE_UPDATE_CHANNEL,
} from '../../../../shared/ipc/channels';
import { ipcContract, listChannels } from '../../../../shared/ipc/contract';
import {
  createBridgeApi,
  createRendererApi,
  RenderioIpcError,
  type RendererTransport,
} from '../../../../shared/ipc/rendererApi';
import { passAcrossBridge } from '../../../support/electron/contextBridge';

/** A transport that records what the API sends and answers from a table. */
function tableTransport(answers: Record<string, unknown>) {
  const sent: { channel: string; arg: unknown }[] = [];
  const subscribers = new Map<string, (payload: unknown) => void>();
  const transport: RendererTransport = {
    invoke: async (channel, arg) => {
      sent.push({ channel, arg });
      return answers[channel] ?? { ok: true, value: null };
    },
    subscribe: (channel, listener) => {
      subscribers.set(channel, listener);
      return () => subscribers.delete(channel);
    },
  };
  return { transport, sent, subscribers };
}

describe('the contract', () => {
  it('names each channel once and agrees with the name table', () => {
    const rows = listChannels();
    const names = rows.map((r) => r.channel);
    expect(new Set(names).size).toBe(names.length);
    for (const row of rows) {
      expect((ipcChannels as Record<string, Record<string, string>>)[row.group]?.[row.method]).toBe(
        row.channel,
      );
    }
    const tableCount = Object.values(ipcChannels).reduce((n, g) => n + Object.keys(g).length, 0);
    expect(rows).toHaveLength(tableCount);
    expect(names).not.toContain(QUEUE_UPDATE_CHANNEL);
  });

  it('validates add requests strictly', () => {
    const schema = ipcContract.queue.add.args;
    expect(
      schema.safeParse({ paths: ['/a.mp4'], presetId: 'webm-vp9', collision: 'skip' }).success,
    ).toBe(true);
    expect(
      schema.safeParse({ paths: ['/a.mp4'], presetId: 'webm-vp9', collision: 'explode' }).success,
    ).toBe(false);
    expect(schema.safeParse({ paths: ['/a.mp4'], presetId: '' }).success).toBe(false);
    expect(schema.safeParse({ paths: Array(10_001).fill('/a'), presetId: 'x' }).success).toBe(
      false,
    );
  });

  it('takes no argument where none is expected', () => {
    expect(ipcContract.queue.snapshot.args.safeParse(undefined).success).toBe(true);
    expect(ipcContract.queue.snapshot.args.safeParse({}).success).toBe(false);
  });
});

/** The page's API as in the app: the bridge built in the preload, copied across contextBridge. */
function pageApi(transport: RendererTransport) {
  return createRendererApi(
    passAcrossBridge(createBridgeApi(transport)) as ReturnType<typeof createBridgeApi>,
  );
}

describe('createRendererApi over createBridgeApi, across contextBridge', () => {
  it('exposes one function per contract row and nothing generic', () => {
    const { transport } = tableTransport({});
    const api = pageApi(transport) as unknown as Record<string, Record<string, unknown>>;
    for (const row of listChannels()) expect(typeof api[row.group]?.[row.method]).toBe('function');
    expect(Object.keys(api).sort()).toEqual([...Object.keys(ipcChannels), 'events'].sort());
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends the argument on the row channel and unwraps the value', async () => {
    const { transport, sent } = tableTransport({
      'queue:add': { ok: true, value: { added: ['x'], rejected: [] } },
    });
    const api = pageApi(transport);
    await expect(api.queue.add({ paths: ['/a.mp4'], presetId: 'mp3' })).resolves.toEqual({
      added: ['x'],
      rejected: [],
    });
    await api.queue.pauseAll();
    expect(sent).toEqual([
      { channel: 'queue:add', arg: { paths: ['/a.mp4'], presetId: 'mp3' } },
      { channel: 'queue:pause-all', arg: undefined },
    ]);
  });

  it('turns an error envelope into a RenderioIpcError with its code', async () => {
    const { transport } = tableTransport({
      'job:retry': { ok: false, error: { code: 'not-found', message: 'No such job.' } },
    });
    const api = pageApi(transport);
    const error = await api.jobs.retry({ id: 'j' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderioIpcError);
    expect(error).toMatchObject({ code: 'not-found', message: 'No such job.' });
  });

  it('refuses an answer that is not an envelope', async () => {
    const { transport } = tableTransport({ 'presets:list': [{ id: 'x' }] });
    await expect(pageApi(transport).presets.list()).rejects.toMatchObject({
      code: 'protocol',
    });
  });

  it('delivers queue patches to listeners until they unsubscribe', () => {
    const { transport, subscribers } = tableTransport({});
    const api = pageApi(transport);
    const got: unknown[] = [];
    const stop = api.events.onQueueUpdate((patches) => got.push(patches));
    const push = subscribers.get(QUEUE_UPDATE_CHANNEL);
    push?.([{ type: 'remove', ids: ['a'] }]);
    push?.('not a list');
    expect(got).toEqual([[{ type: 'remove', ids: ['a'] }]]);
    stop();
    expect(subscribers.has(QUEUE_UPDATE_CHANNEL)).toBe(false);
  });

  it('delivers app-menu commands (a string id only) on a channel the preload allows', () => {
    expect(PUSH_CHANNELS).toContain(MENU_COMMAND_CHANNEL);
    const { transport, subscribers } = tableTransport({});
    const api = pageApi(transport);
    const got: string[] = [];
    const stop = api.events.onMenuCommand((command) => got.push(command));
    const push = subscribers.get(MENU_COMMAND_CHANNEL);
    push?.({ command: 'settings' });
    push?.({ command: 42 });
    push?.(null);
    expect(got).toEqual(['settings']);
    stop();
    expect(subscribers.has(MENU_COMMAND_CHANNEL)).toBe(false);
  });
});

describe('createBridgeApi', () => {
  it('answers with envelopes and never rejects, even when the invoke itself fails', async () => {
    const bridge = createBridgeApi({
      invoke: async (channel) => {
        if (channel === 'queue:snapshot')
          throw new Error("No handler registered for 'queue:snapshot'");
        return 'not an envelope';
      },
      subscribe: () => () => undefined,
    });
    await expect(bridge.queue.snapshot()).resolves.toEqual({
      ok: false,
      error: { code: 'ipc', message: expect.stringContaining('No handler registered') },
    });
    await expect(bridge.presets.list()).resolves.toMatchObject({
      ok: false,
      error: { code: 'protocol' },
    });
  });

  it('is what keeps the code: a RenderioIpcError thrown in the preload loses it across the bridge', async () => {
    // What the app did before envelopes: throw in the preload's world.
    const thrower = passAcrossBridge({
      call: async () => {
        throw new RenderioIpcError('key-insecure-storage', 'The key store is weak.');
      },
    }) as { call(): Promise<void> };
    const lost = await thrower.call().catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(Error);
    expect(lost).not.toBeInstanceOf(RenderioIpcError);
    expect((lost as { code?: string }).code).toBeUndefined();
    expect((lost as Error).message).toBe('The key store is weak.');

    const { transport } = tableTransport({
      'vault:paste-from-clipboard': {
        ok: false,
        error: { code: 'key-insecure-storage', message: 'The key store is weak.' },
      },
    });
    const kept = await pageApi(transport)
      .vault.pasteFromClipboard()
      .catch((e: unknown) => e);
    expect(kept).toBeInstanceOf(RenderioIpcError);
    expect((kept as RenderioIpcError).code).toBe('key-insecure-storage');
  });
});
