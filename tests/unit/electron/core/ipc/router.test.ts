import { describe, expect, it } from 'vitest';
import {
  createIpcRouter,
  isAllowedSender,
  originOf,
  type IpcInvokeEventLike,
} from '../../../../../electron/core/ipc/router';
import type { IpcCore } from '../../../../../electron/core/ipc/ports';
import {
  listChannels,
  ENGINE_STATUS_CHANNEL,
  QUEUE_UPDATE_CHANNEL,
  type IpcEnvelope,
} from '../../../../../shared/ipc/contract';
import type { AddJobsRequest, QueuePatch, QueueSnapshot } from '../../../../../shared/jobs';
import type { VaultStatus } from '../../../../../shared/profileTypes';
import type { LocalEngineStatus } from '../../../../../shared/localEngine';
import { fakeIpcMain } from '../../../../support/fakeIpcMain';

const KEY = `ffsk_${'ab12'.repeat(16)}`;
const ORIGIN = 'app://renderer';
const fromApp: IpcInvokeEventLike = { senderFrame: { url: `${ORIGIN}/index.html` } };

const emptySnapshot: QueueSnapshot = {
  jobs: [],
  offline: null,
  paused: false,
  stopAfterRunning: false,
  aggregate: { total: 0, done: 0, failed: 0, active: 0, fraction: null },
};

/** Records what reached the core; the router under test is the real one. */
function recordingCore() {
  const calls: { method: string; arg?: unknown }[] = [];
  let listener: ((patches: QueuePatch[]) => void) | null = null;
  let storedKey: string | null = null;
  let clipboardText = '';
  let keyFile: string | null = null;
  const files = new Map<string, string>();
  // "Run jobs on": which profile is active, whether the person chose the local engine, and
  // what the next key check answers (true: accepted, null: RenderIO could not be reached).
  const vaultState = {
    activeId: 'cloud',
    localChosen: false,
    nextVerified: null as boolean | null,
    verified: null as boolean | null,
  };
  const status = (): VaultStatus => ({
    activeProfileId: vaultState.activeId,
    storage: { backend: 'gnome_libsecret', secure: true, persistAllowed: true },
    profiles: [
      {
        profileId: 'local',
        name: 'This computer',
        baseUrl: 'http://127.0.0.1:8787',
        kind: 'local',
        active: vaultState.activeId === 'local',
        configured: true,
        hint: 'ffsk_…0000',
        verified: null,
        backend: 'memory',
        secure: true,
        sessionOnly: true,
      },
      {
        profileId: 'cloud',
        name: 'Cloud',
        baseUrl: 'https://renderio.dev',
        kind: 'cloud',
        active: vaultState.activeId === 'cloud',
        configured: storedKey !== null,
        hint: storedKey ? `ffsk_…${storedKey.slice(-4)}` : null,
        verified: storedKey ? vaultState.verified : null,
        backend: 'gnome_libsecret',
        secure: true,
        sessionOnly: false,
      },
    ],
  });
  let engineStatus: LocalEngineStatus = {
    state: 'starting',
    summary: null,
    problem: null,
    unavailablePresets: {},
  };
  let engineListener: ((status: LocalEngineStatus) => void) | null = null;
  const core: IpcCore = {
    queue: {
      add: async (request: AddJobsRequest) => {
        calls.push({ method: 'add', arg: request });
        return { added: ['j1'], rejected: [], alreadyDone: [] };
      },
      pauseAll: () => void calls.push({ method: 'pauseAll' }),
      resumeAll: () => void calls.push({ method: 'resumeAll' }),
      stopAfterRunning: () => void calls.push({ method: 'stopAfterRunning' }),
      cancel: async (id) => void calls.push({ method: 'cancel', arg: id }),
      retry: (id) => void calls.push({ method: 'retry', arg: id }),
      retryAllFailed: () => void calls.push({ method: 'retryAllFailed' }),
      retryNow: () => void calls.push({ method: 'retryNow' }),
      remove: async (ids) => void calls.push({ method: 'remove', arg: ids }),
      move: (id, direction) => void calls.push({ method: 'move', arg: [id, direction] }),
      clearFinished: () => void calls.push({ method: 'clearFinished' }),
      change: (ids, change) => {
        calls.push({ method: 'change', arg: [ids, change] });
        return { done: [...ids], skipped: [] };
      },
      cancelMany: async (ids) => {
        calls.push({ method: 'cancelMany', arg: ids });
        return { done: [...ids], skipped: [] };
      },
      retryMany: (ids) => {
        calls.push({ method: 'retryMany', arg: ids });
        return { done: [], skipped: ids.map((id) => ({ id, reason: 'not failed' })) };
      },
      removeMany: async (ids) => {
        calls.push({ method: 'removeMany', arg: ids });
        return { done: [...ids], skipped: [] };
      },
      briefs: () => [],
      locateSource: async (id, path) => {
        calls.push({ method: 'locateSource', arg: [id, path] });
        return { located: true, path };
      },
      snapshot: () => emptySnapshot,
      get: () => undefined,
      window: (offset) => ({ ...emptySnapshot, jobs: [], total: 0, offset }),
      ids: () => [],
      subscribe: (l) => {
        listener = l;
        return () => {
          listener = null;
        };
      },
    },
    presets: {
      list: () => [],
      refreshAccount: () => Promise.resolve({ presets: [], accountError: null }),
    },
    settings: {
      get: () => ({
        defaultPresetId: 'webm-vp9',
        outputDir: null,
        nameTemplate: '{name}',
        collision: 'rename',
        mirrorTree: true,
        kindDefaults: { video: 'mp4-h264', audio: 'mp3', image: 'image-jpg' },
      }),
      update: (patch) => ({
        defaultPresetId: 'webm-vp9',
        outputDir: null,
        nameTemplate: '{name}',
        collision: 'rename',
        mirrorTree: true,
        ...patch,
        kindDefaults: {
          video: 'mp4-h264',
          audio: 'mp3',
          image: 'image-jpg',
          ...patch.kindDefaults,
        },
      }),
    },
    vault: {
      status: async () => status(),
      setKey: async (key) => {
        if (!/^ffsk_[0-9a-f]{64}$/.test(key)) throw new Error(`Refused key ${key}: bad format`);
        storedKey = key;
        vaultState.verified = vaultState.nextVerified;
        return {
          status: status(),
          message: 'Key stored.',
          profileId: 'cloud',
          verified: vaultState.verified,
        };
      },
      clear: async () => {
        storedKey = null;
        return status();
      },
      setActive: async (profileId) => {
        calls.push({ method: 'setActive', arg: profileId });
        vaultState.activeId = profileId;
        if (profileId === 'local') vaultState.localChosen = true;
        return status();
      },
      isLocalChosen: () => vaultState.localChosen,
    },
    dialogs: {
      pickSources: async () => ['/tmp/a.mp4'],
      pickOutputDir: async () => null,
      pickKeyFile: async () => keyFile,
      locateSource: async (name) => `/moved/${name}`,
    },
    clipboard: { readText: () => clipboardText },
    shell: {
      showItemInFolder: (path) => void calls.push({ method: 'showItemInFolder', arg: path }),
      openExternal: async (url) => void calls.push({ method: 'openExternal', arg: url }),
      openPath: async (path) => (calls.push({ method: 'openPath', arg: path }), ''),
      startDrag: (path) => void calls.push({ method: 'startDrag', arg: path }),
    },
    jobDetails: async (id) => {
      calls.push({ method: 'jobDetails', arg: id });
      throw new Error('no such job');
    },
    readTextFile: async (path) => files.get(path) ?? '',
    engine: {
      status: () => engineStatus,
      subscribe: (l) => {
        engineListener = l;
        return () => (engineListener = null);
      },
      restart: async () => {
        calls.push({ method: 'engineRestart' });
        return { outcome: 'started', status: engineStatus };
      },
    },
  };
  return {
    core,
    calls,
    emit: (patches: QueuePatch[]) => listener?.(patches),
    emitEngine: (status: LocalEngineStatus) => {
      engineStatus = status;
      engineListener?.(status);
    },
    hasEngineListener: () => engineListener !== null,
    hasListener: () => listener !== null,
    setClipboard: (text: string) => (clipboardText = text),
    setKeyFile: (path: string | null, text = '') => {
      keyFile = path;
      if (path) files.set(path, text);
    },
    storedKey: () => storedKey,
    vaultState,
  };
}

function fakeIpc() {
  const { ipcMain, handlers } = fakeIpcMain();
  const invoke = async (channel: string, event: IpcInvokeEventLike, ...args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return (await handler(event, ...args)) as IpcEnvelope<unknown>;
  };
  return { ipcMain, handlers, invoke };
}

function setup() {
  const rec = recordingCore();
  const ipc = fakeIpc();
  const pushed: { channel: string; payload: unknown }[] = [];
  const router = createIpcRouter({
    ipcMain: ipc.ipcMain,
    core: rec.core,
    allowedOrigins: [ORIGIN],
    push: { send: (channel, payload) => void pushed.push({ channel, payload }) },
    pushIntervalMs: 20,
  });
  return { rec, ipc, pushed, router };
}

describe('sender checks', () => {
  it('builds origins for custom schemes, which WHATWG leaves opaque', () => {
    expect(originOf('app://renderer/index.html')).toBe('app://renderer');
    expect(originOf('http://127.0.0.1:5173/x')).toBe('http://127.0.0.1:5173');
    expect(originOf('not a url')).toBeNull();
    expect(originOf('file:///etc/passwd')).toBeNull();
  });

  it('accepts only frames from the app origin', () => {
    expect(isAllowedSender(fromApp, [ORIGIN])).toBe(true);
    expect(isAllowedSender({ senderFrame: { url: 'https://evil.example/app' } }, [ORIGIN])).toBe(
      false,
    );
    expect(
      isAllowedSender({ senderFrame: { url: 'app://renderer.evil/index.html' } }, [ORIGIN]),
    ).toBe(false);
    expect(isAllowedSender({ senderFrame: null }, [ORIGIN])).toBe(false);
    expect(isAllowedSender({}, [ORIGIN])).toBe(false);
  });

  it('refuses a call from another origin without reaching the core', async () => {
    const { ipc, rec } = setup();
    const answer = await ipc.invoke('queue:pause-all', {
      senderFrame: { url: 'https://evil.example/' },
    });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'forbidden-sender', message: expect.any(String) },
    });
    expect(rec.calls).toEqual([]);
  });
});

describe('sender checks on every channel', () => {
  // Each channel with an argument main would accept, so only the sender can be the reason.
  const validArgs: Record<string, unknown> = {
    'queue:add': { paths: ['/media/clip.mp4'], presetId: 'webm-vp9' },
    'job:cancel': { id: 'j1' },
    'job:retry': { id: 'j1' },
    'job:remove': { ids: ['j1'] },
    'job:move': { id: 'j1', direction: 'up' },
    'job:apply-preset': { ids: ['j1'], presetId: 'webm-vp9' },
    'job:reveal': { id: 'j1' },
    'job:locate-source': { id: 'j1' },
    'queue:window': { offset: 0, limit: 50 },
    'job:open': { id: 'j1' },
    'job:start-drag': { id: 'j1' },
    'job:details': { id: 'j1' },
    'settings:update': { collision: 'skip' },
    'vault:set-active': { profileId: 'local' },
    'dialog:pick-sources': { kind: 'files' },
    'shell:open-external': { url: 'https://renderio.dev/' },
  };
  const foreign: IpcInvokeEventLike[] = [
    { senderFrame: { url: 'https://evil.example/index.html' } },
    { senderFrame: { url: 'file:///tmp/page.html' } },
    { senderFrame: null },
    {},
  ];

  it.each(listChannels().map((row) => row.channel))(
    '%s refuses foreign, gone or missing frames without reaching the core',
    async (channel) => {
      const { ipc, rec } = setup();
      for (const event of foreign) {
        const answer = await ipc.invoke(channel, event, validArgs[channel]);
        expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
      }
      expect(rec.calls).toEqual([]);
      // The same call from the app's page does reach it: the refusal was the sender's.
      const fromPage = await ipc.invoke(channel, fromApp, validArgs[channel]);
      expect(fromPage).not.toMatchObject({ error: { code: 'forbidden-sender' } });
    },
  );
});

describe('registration and validation', () => {
  it('registers a handler for every channel of the contract', () => {
    const { ipc, router } = setup();
    const expected = listChannels()
      .map((row) => row.channel)
      .sort();
    expect([...ipc.handlers.keys()].sort()).toEqual(expected);
    expect([...router.channels].sort()).toEqual(expected);
    router.dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes a valid request to the queue', async () => {
    const { ipc, rec } = setup();
    const answer = await ipc.invoke('queue:add', fromApp, {
      paths: ['/media/clip.mp4'],
      presetId: 'webm-vp9',
    });
    expect(answer).toEqual({ ok: true, value: { added: ['j1'], rejected: [], alreadyDone: [] } });
    expect(rec.calls).toEqual([
      { method: 'add', arg: { paths: ['/media/clip.mp4'], presetId: 'webm-vp9' } },
    ]);
  });

  it.each([
    ['queue:add', { paths: [], presetId: 'webm-vp9' }],
    ['queue:add', { paths: ['/a\0b'], presetId: 'webm-vp9' }],
    ['queue:add', { paths: ['/a.mp4'], presetId: 'webm-vp9', extra: true }],
    ['queue:add', 'not an object'],
    ['job:move', { id: 'j1', direction: 'sideways' }],
    ['job:remove', { ids: 'j1' }],
    ['queue:pause-all', { unexpected: 1 }],
    ['settings:update', { nameTemplate: '../{name}' }],
    ['settings:update', { nameTemplate: '{nope}' }],
    ['dialog:pick-sources', { kind: 'everything' }],
    ['vault:set-active', undefined],
    ['vault:set-active', {}],
    ['vault:set-active', { profileId: '' }],
    ['vault:set-active', { profileId: 'x'.repeat(129) }],
    ['vault:set-active', { profileId: 7 }],
    ['vault:set-active', { profileId: 'cloud', key: KEY }],
  ])('refuses %s with %j before the core sees it', async (channel, arg) => {
    const { ipc, rec } = setup();
    const answer = await ipc.invoke(channel, fromApp, arg);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe('invalid-argument');
    expect(rec.calls).toEqual([]);
  });

  it('refuses extra positional arguments', async () => {
    const { ipc } = setup();
    const answer = await ipc.invoke('job:retry', fromApp, { id: 'j1' }, { id: 'j2' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('maps every job control to the queue', async () => {
    const { ipc, rec } = setup();
    await ipc.invoke('job:cancel', fromApp, { id: 'a' });
    await ipc.invoke('job:retry', fromApp, { id: 'b' });
    await ipc.invoke('job:remove', fromApp, { ids: ['c'] });
    await ipc.invoke('job:move', fromApp, { id: 'd', direction: 'up' });
    await ipc.invoke('job:change', fromApp, { ids: ['e'], presetId: 'mp3' });
    await ipc.invoke('job:cancel-many', fromApp, { ids: ['f', 'g'] });
    await ipc.invoke('job:retry-many', fromApp, { ids: ['h'] });
    await ipc.invoke('job:remove-many', fromApp, { ids: ['i'] });
    await ipc.invoke('queue:pause-all', fromApp);
    await ipc.invoke('queue:resume-all', fromApp);
    await ipc.invoke('queue:stop-after-running', fromApp);
    await ipc.invoke('queue:retry-all-failed', fromApp);
    await ipc.invoke('queue:clear-finished', fromApp);
    expect(rec.calls.map((c) => c.method)).toEqual([
      'cancel',
      'retry',
      'remove',
      'move',
      'change',
      'cancelMany',
      'retryMany',
      'removeMany',
      'pauseAll',
      'resumeAll',
      'stopAfterRunning',
      'retryAllFailed',
      'clearFinished',
    ]);
    expect(rec.calls[3]?.arg).toEqual(['d', 'up']);
    expect(rec.calls[4]?.arg).toEqual([['e'], { presetId: 'mp3' }]);
  });

  it('answers a selection action with what was done and why not the rest', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke('job:retry-many', fromApp, { ids: ['a', 'b'] })).toEqual({
      ok: true,
      value: {
        done: [],
        skipped: [
          { id: 'a', reason: 'not failed' },
          { id: 'b', reason: 'not failed' },
        ],
      },
    });
  });

  it('bounds and checks what a selection action carries', async () => {
    const { ipc, rec } = setup();
    const many = Array.from({ length: 10_001 }, (_, i) => `j${i}`);
    const refused = [
      await ipc.invoke('job:cancel-many', fromApp, { ids: many }),
      await ipc.invoke('job:remove-many', fromApp, { ids: [] }),
      await ipc.invoke('job:retry-many', fromApp, { ids: [7] }),
      await ipc.invoke('job:retry-many', fromApp, { ids: ['a'], all: true }),
      // Nothing to change, a template that cannot make a name, a preset id that is no string.
      await ipc.invoke('job:change', fromApp, { ids: ['a'] }),
      await ipc.invoke('job:change', fromApp, { ids: ['a'], nameTemplate: '{nope}' }),
      await ipc.invoke('job:change', fromApp, { ids: ['a'], presetId: 3 }),
    ];
    for (const answer of refused)
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(rec.calls).toEqual([]);
    const full = Array.from({ length: 10_000 }, (_, i) => `j${i}`);
    expect(await ipc.invoke('job:cancel-many', fromApp, { ids: full })).toMatchObject({
      ok: true,
    });
  });
});

describe('output folders', () => {
  it('accepts only a folder the person chose in the dialog', async () => {
    const { ipc, rec } = setup();
    const add = { paths: ['/media/clip.mp4'], presetId: 'webm-vp9', outputDir: '/home/me/Out' };
    const before = await ipc.invoke('queue:add', fromApp, add);
    expect(before).toMatchObject({ ok: false, error: { code: 'forbidden-path' } });
    const setting = await ipc.invoke('settings:update', fromApp, { outputDir: '/etc' });
    expect(setting).toMatchObject({ ok: false, error: { code: 'forbidden-path' } });
    expect(rec.calls).toEqual([]);

    rec.core.dialogs.pickOutputDir = async () => '/home/me/Out';
    expect(await ipc.invoke('dialog:pick-output-dir', fromApp)).toEqual({
      ok: true,
      value: '/home/me/Out',
    });
    expect(await ipc.invoke('queue:add', fromApp, add)).toMatchObject({ ok: true });
    expect(rec.calls).toEqual([{ method: 'add', arg: add }]);
    // Next to the source (null) needs no choice.
    const nextTo = await ipc.invoke('queue:add', fromApp, { ...add, outputDir: null });
    expect(nextTo).toMatchObject({ ok: true });
  });

  it("changes a queued job's folder only to one the person chose in the dialog", async () => {
    const { ipc, rec } = setup();
    const change = { ids: ['a'], outputDir: '/home/me/Elsewhere' };
    expect(await ipc.invoke('job:change', fromApp, change)).toMatchObject({
      ok: false,
      error: { code: 'forbidden-path' },
    });
    expect(rec.calls).toEqual([]);
    rec.core.dialogs.pickOutputDir = async () => '/home/me/Elsewhere';
    await ipc.invoke('dialog:pick-output-dir', fromApp);
    expect(await ipc.invoke('job:change', fromApp, change)).toMatchObject({ ok: true });
    expect(await ipc.invoke('job:change', fromApp, { ids: ['a'], outputDir: null })).toMatchObject({
      ok: true,
    });
    expect(rec.calls.map((c) => c.arg)).toEqual([
      [['a'], { outputDir: '/home/me/Elsewhere' }],
      [['a'], { outputDir: null }],
    ]);
  });
});

describe('keys never come back', () => {
  it('saves a key read from the clipboard in main and answers with status only', async () => {
    const { ipc, rec } = setup();
    rec.setClipboard(`  ${KEY}\n`);
    const answer = await ipc.invoke('vault:paste-from-clipboard', fromApp);
    expect(answer.ok).toBe(true);
    expect(rec.storedKey()).toBe(KEY);
    expect(JSON.stringify(answer)).not.toContain(KEY);
    expect(JSON.stringify(answer)).toContain('ffsk_…ab12');
  });

  it('finds the key in an env-style file chosen in the dialog', async () => {
    const { ipc, rec } = setup();
    rec.setKeyFile('/keys/renderio.env', `# my key\nRENDERIO_API_KEY=${KEY}\n`);
    const answer = await ipc.invoke('vault:import-from-file', fromApp, { profileId: 'cloud' });
    expect(answer).toMatchObject({ ok: true, value: { outcome: 'saved' } });
    expect(rec.storedKey()).toBe(KEY);
    expect(JSON.stringify(answer)).not.toContain(KEY);
  });

  it('reports a cancelled file dialog as such', async () => {
    const { ipc, rec } = setup();
    rec.setKeyFile(null);
    const answer = await ipc.invoke('vault:import-from-file', fromApp);
    expect(answer).toMatchObject({ ok: true, value: { outcome: 'cancelled' } });
  });

  it('redacts a key that an error message carries', async () => {
    const { ipc, rec } = setup();
    const upper = `ffsk_${'AB12'.repeat(16)}`;
    rec.setClipboard(upper);
    const answer = await ipc.invoke('vault:paste-from-clipboard', fromApp);
    expect(answer.ok).toBe(false);
    expect(JSON.stringify(answer)).not.toContain(upper);
    expect(JSON.stringify(answer)).toContain('[REDACTED]');
  });

  it('says so when the clipboard is empty', async () => {
    const { ipc, rec } = setup();
    rec.setClipboard('   ');
    const answer = await ipc.invoke('vault:paste-from-clipboard', fromApp);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-key' } });
  });
});

describe('run jobs on', () => {
  const activeOf = (answer: IpcEnvelope<unknown>) =>
    answer.ok ? (answer.value as VaultStatus).activeProfileId : null;

  it('switches to a profile with a key and back', async () => {
    const { ipc, rec } = setup();
    rec.vaultState.activeId = 'local';
    rec.setClipboard(KEY);
    await ipc.invoke('vault:paste-from-clipboard', fromApp);
    const toCloud = await ipc.invoke('vault:set-active', fromApp, { profileId: 'cloud' });
    expect(activeOf(toCloud)).toBe('cloud');
    const back = await ipc.invoke('vault:set-active', fromApp, { profileId: 'local' });
    expect(activeOf(back)).toBe('local');
    expect(rec.calls.filter((c) => c.method === 'setActive').map((c) => c.arg)).toEqual([
      'cloud',
      'local',
    ]);
    expect(JSON.stringify([toCloud, back])).not.toContain(KEY);
  });

  it('refuses a profile without a key, saying why and where jobs keep running', async () => {
    const { ipc, rec } = setup();
    rec.vaultState.activeId = 'local';
    const answer = await ipc.invoke('vault:set-active', fromApp, { profileId: 'cloud' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'no-key' } });
    if (!answer.ok) {
      expect(answer.error.message).toMatch(/Cloud has no API key/);
      expect(answer.error.message).toMatch(/keep running on this computer/);
    }
    expect(rec.calls).toEqual([]);
    expect(rec.vaultState.activeId).toBe('local');
  });

  it('sends new jobs back to this computer when the active profile loses its key', async () => {
    const { ipc, rec } = setup();
    rec.setClipboard(KEY);
    await ipc.invoke('vault:paste-from-clipboard', fromApp);
    expect(rec.vaultState.activeId).toBe('cloud');
    const answer = await ipc.invoke('vault:clear', fromApp, { profileId: 'cloud' });
    expect(activeOf(answer)).toBe('local');
    expect(rec.storedKey()).toBeNull();
  });

  it('refuses a profile that does not exist', async () => {
    const { ipc, rec } = setup();
    const answer = await ipc.invoke('vault:set-active', fromApp, { profileId: 'gone' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'unknown-profile' } });
    expect(rec.calls).toEqual([]);
  });

  it('switches by itself after a verified key when this computer was only the default', async () => {
    const { ipc, rec } = setup();
    rec.vaultState.activeId = 'local';
    rec.vaultState.nextVerified = true;
    rec.setClipboard(KEY);
    const answer = await ipc.invoke('vault:paste-from-clipboard', fromApp);
    expect(answer).toMatchObject({
      ok: true,
      value: { outcome: 'saved', profileId: 'cloud', verified: true, runJobsOn: 'switched' },
    });
    if (answer.ok)
      expect((answer.value as { status: VaultStatus }).status.activeProfileId).toBe('cloud');
    expect(rec.vaultState.activeId).toBe('cloud');
  });

  it('only offers the switch when the person chose this computer', async () => {
    const { ipc, rec } = setup();
    rec.vaultState.activeId = 'local';
    rec.vaultState.localChosen = true;
    rec.vaultState.nextVerified = true;
    rec.setClipboard(KEY);
    const answer = await ipc.invoke('vault:paste-from-clipboard', fromApp);
    expect(answer).toMatchObject({ ok: true, value: { runJobsOn: 'offered' } });
    expect(rec.vaultState.activeId).toBe('local');
  });

  it('only offers the switch for a key that could not be checked', async () => {
    const { ipc, rec } = setup();
    rec.vaultState.activeId = 'local';
    rec.vaultState.nextVerified = null;
    rec.setClipboard(KEY);
    const answer = await ipc.invoke('vault:paste-from-clipboard', fromApp);
    expect(answer).toMatchObject({ ok: true, value: { verified: null, runJobsOn: 'offered' } });
    expect(rec.calls.filter((c) => c.method === 'setActive')).toEqual([]);
  });

  it('changes nothing when the key is for the profile that already runs jobs', async () => {
    const { ipc, rec } = setup();
    rec.vaultState.nextVerified = true;
    rec.setClipboard(KEY);
    const answer = await ipc.invoke('vault:paste-from-clipboard', fromApp);
    expect(answer).toMatchObject({ ok: true, value: { runJobsOn: 'unchanged' } });
    expect(rec.vaultState.activeId).toBe('cloud');
  });
});

describe('shell', () => {
  it('opens only https links', async () => {
    const { ipc, rec } = setup();
    expect(
      (await ipc.invoke('shell:open-external', fromApp, { url: 'https://renderio.dev/keys' })).ok,
    ).toBe(true);
    for (const url of [
      'http://renderio.dev',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'nonsense',
    ]) {
      expect(await ipc.invoke('shell:open-external', fromApp, { url })).toMatchObject({
        ok: false,
        error: { code: 'forbidden-url' },
      });
    }
    expect(rec.calls.filter((c) => c.method === 'openExternal')).toEqual([
      { method: 'openExternal', arg: 'https://renderio.dev/keys' },
    ]);
  });

  it('reveals only a path main recorded for the job', async () => {
    const { ipc, rec } = setup();
    const answer = await ipc.invoke('job:reveal', fromApp, { id: 'unknown' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(rec.calls).toEqual([]);
  });

  it("locates a moved source only through main's own dialog, never a path from the page", async () => {
    const { ipc, rec } = setup();
    const withPath = await ipc.invoke('job:locate-source', fromApp, {
      id: 'j1',
      path: '/etc/passwd',
    });
    expect(withPath).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const unknown = await ipc.invoke('job:locate-source', fromApp, { id: 'unknown' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(rec.calls).toEqual([]);
  });
});

describe('push channel', () => {
  it('coalesces patches into one message per interval, in order', async () => {
    const { rec, pushed, router } = setup();
    const aggregate = (done: number) => ({
      type: 'aggregate' as const,
      aggregate: { total: 2, done, failed: 0, active: 1, fraction: done / 2 },
    });
    rec.emit([aggregate(0)]);
    rec.emit([aggregate(1)]);
    expect(pushed).toEqual([]);
    // After a quiet interval: on the next turn (the 5 ms wait is shorter than the interval).
    await new Promise((r) => setTimeout(r, 5));
    expect(pushed).toEqual([
      { channel: QUEUE_UPDATE_CHANNEL, payload: [aggregate(0), aggregate(1)] },
    ]);
    // Within the interval of that message: held to its end, then sent together.
    rec.emit([aggregate(2)]);
    rec.emit([aggregate(1)]);
    await new Promise((r) => setTimeout(r, 5));
    expect(pushed).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(pushed[1]).toEqual({
      channel: QUEUE_UPDATE_CHANNEL,
      payload: [aggregate(2), aggregate(1)],
    });
    rec.emit([aggregate(2)]);
    router.dispose();
    expect(pushed).toHaveLength(3);
    expect(rec.hasListener()).toBe(false);
  });
});

describe('engine status', () => {
  it('answers engine:status and pushes each change on its own channel at once', async () => {
    const { rec, ipc, pushed, router } = setup();
    expect(await ipc.invoke('engine:status', fromApp)).toMatchObject({
      ok: true,
      value: { state: 'starting' },
    });
    const ready: LocalEngineStatus = {
      state: 'ready',
      summary: 'ffmpeg 5.1 (PATH)',
      problem: null,
      unavailablePresets: { 'mp4-av1': 'this ffmpeg has no SVT-AV1 encoder (libsvtav1)' },
    };
    rec.emitEngine(ready);
    expect(pushed).toEqual([{ channel: ENGINE_STATUS_CHANNEL, payload: ready }]);
    router.dispose();
    expect(rec.hasEngineListener()).toBe(false);
  });

  it('engine:restart takes no argument, reaches the host once, and answers what it did', async () => {
    const { rec, ipc } = setup();
    expect(await ipc.invoke('engine:restart', fromApp, { ffmpegPath: '/tmp/evil' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
    expect(rec.calls).toEqual([]);
    expect(await ipc.invoke('engine:restart', fromApp)).toMatchObject({
      ok: true,
      value: { outcome: 'started', status: { state: 'starting' } },
    });
    expect(rec.calls).toEqual([{ method: 'engineRestart' }]);
  });

  it('engine:restart is refused in plain words where the host cannot start its engine', async () => {
    const rec = recordingCore();
    const { restart: _unused, ...engine } = rec.core.engine;
    const ipc = fakeIpc();
    const router = createIpcRouter({
      ipcMain: ipc.ipcMain,
      core: { ...rec.core, engine },
      allowedOrigins: [ORIGIN],
      push: { send: () => undefined },
    });
    expect(await ipc.invoke('engine:restart', fromApp)).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        message: "Starting this computer's converter is not available here.",
      },
    });
    router.dispose();
  });
});
