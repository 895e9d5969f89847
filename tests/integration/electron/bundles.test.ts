/**
 * The BUILT bundles (npm run build), loaded in Node with a stand-in for the Electron module:
 * main registers the app:// scheme and a handler for every IPC channel, creates a sandboxed,
 * isolated window, denies permissions, navigation and new windows, and answers invokes from
 * its own page only, through the real core and local engine. The preload exposes exactly
 * window.renderio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { listChannels, QUEUE_UPDATE_CHANNEL } from '../../../shared/ipc/contract';
import { tempDir } from '../../support/media';
import { ELECTRON_STUB_SOURCE } from './electronStub';

const dist = resolve('dist');
const built =
  existsSync(join(dist, 'main/main.mjs')) && existsSync(join(dist, 'preload/preload.cjs'));
// npm test builds before Vitest runs; a run without a build says so instead of passing silently.
it.skipIf(built)('needs the built bundles (run "npm run build" first)', () => {
  expect.fail(
    'dist/main/main.mjs or dist/preload/preload.cjs is missing: run "npm run build" first.',
  );
});

interface StubWindow {
  options: { webPreferences: Record<string, unknown> };
  loaded: string | null;
  webContents: {
    emit(name: string, ...args: unknown[]): boolean;
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null;
  };
}
interface Stub {
  handlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>;
  windows: StubWindow[];
  schemes: { scheme: string; privileges: Record<string, boolean> }[];
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null;
  permissionCheck: (() => boolean) | null;
  opened: string[];
  appEvents: { emit(name: string, ...args: unknown[]): boolean };
  readyResolve: (() => void) | null;
  quitCalled: number;
  userData: string;
}

describe.runIf(built)('built main bundle', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let stub: Stub;

  beforeAll(async () => {
    dir = await tempDir('renderio-main-bundle-');
    // A copy of dist/ beside a stand-in node_modules/electron, so the bundle's own
    // `import 'electron'` resolves to it.
    const stubDir = join(dir.path, 'node_modules/electron');
    await mkdir(stubDir, { recursive: true });
    await writeFile(
      join(stubDir, 'package.json'),
      JSON.stringify({ name: 'electron', type: 'module', main: 'index.js' }),
    );
    await writeFile(join(stubDir, 'index.js'), ELECTRON_STUB_SOURCE);
    await mkdir(join(dir.path, 'dist/main'), { recursive: true });
    await copyFile(join(dist, 'main/main.mjs'), join(dir.path, 'dist/main/main.mjs'));
    await copyFile(join(dist, 'main/main.mjs.map'), join(dir.path, 'dist/main/main.mjs.map'));
    const g = globalThis as unknown as { __electronStub?: Stub };
    delete g.__electronStub;
    await import(pathToFileURL(join(dir.path, 'dist/main/main.mjs')).href);
    stub = g.__electronStub as unknown as Stub;
    stub.userData = join(dir.path, 'userData');
    stub.readyResolve?.();
    // Startup awaits the core (and the local engine) before opening the window.
    for (let i = 0; i < 200 && stub.windows.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    if (stub) {
      const event = {
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
      };
      stub.appEvents.emit('before-quit', event);
      for (let i = 0; i < 200 && stub.quitCalled === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
    }
    await dir?.cleanup();
  });

  it('registers app:// as a secure standard scheme and serves only dist/renderer', async () => {
    expect(stub.schemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    const handler = stub.protocolHandlers.get('app');
    expect(handler).toBeDefined();
    const escape = await handler!(new Request('app://renderer/..%2f..%2fmain%2fmain.mjs'));
    expect(escape.status).toBe(404);
  });

  it('opens one sandboxed, isolated window on app://renderer', () => {
    expect(stub.windows).toHaveLength(1);
    const win = stub.windows[0]!;
    expect(win.loaded).toBe('app://renderer/index.html');
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
    expect(String(win.options.webPreferences.preload)).toMatch(
      /dist[\\/]preload[\\/]preload\.cjs$/,
    );
  });

  it('denies permissions, navigation and new windows; https links go to the browser', () => {
    const answers: boolean[] = [];
    stub.permissionRequest?.({}, 'media', (ok) => answers.push(ok));
    stub.permissionRequest?.({}, 'notifications', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(stub.permissionCheck?.()).toBe(false);

    const wc = stub.windows[0]!.webContents;
    let prevented = false;
    wc.emit(
      'will-navigate',
      { preventDefault: () => (prevented = true) },
      'file:///home/me/clip.mp4',
    );
    expect(prevented).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'https://renderio.dev/docs' })).toEqual({
      action: 'deny',
    });
    expect(wc.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(stub.opened).toEqual(['https://renderio.dev/docs']);
  });

  it('registers every contract channel and answers only its own page', async () => {
    expect([...stub.handlers.keys()].sort()).toEqual(
      listChannels()
        .map((r) => r.channel)
        .sort(),
    );
    const invoke = (url: string, channel: string, ...args: unknown[]) =>
      stub.handlers.get(channel)!({ senderFrame: { url } }, ...args) as Promise<{
        ok: boolean;
        value?: unknown;
        error?: { code: string };
      }>;
    const presets = await invoke('app://renderer/index.html', 'presets:list');
    expect(presets.ok).toBe(true);
    expect((presets.value as { id: string }[]).map((p) => p.id)).toContain('webm-vp9');
    expect(await invoke('https://evil.example/', 'presets:list')).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    // The safeStorage adapter reports Linux basic_text as insecure.
    const vault = (await invoke('app://renderer/index.html', 'vault:status')) as {
      value: { storage: { backend: string; secure: boolean } };
    };
    expect(vault.value.storage).toMatchObject({ backend: 'basic_text', secure: false });
    expect(QUEUE_UPDATE_CHANNEL).toBe('queue:update');
  });
});

describe.runIf(built)('built preload bundle', () => {
  it('exposes exactly window.renderio: one function per operation, no ipcRenderer', async () => {
    const code = await readFile(join(dist, 'preload/preload.cjs'), 'utf8');
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (name: string, value: unknown) => (exposed[name] = value),
      },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true, value: [] };
        },
        on: () => undefined,
        removeListener: () => undefined,
      },
      webUtils: {
        getPathForFile: (f: { name: string }) => (f.name === 'virtual' ? '' : `/disk/${f.name}`),
      },
    };
    const required: string[] = [];
    const module = { exports: {} };
    runInNewContext(code, {
      module,
      exports: module.exports,
      File,
      require: (id: string) => {
        required.push(id);
        if (id === 'electron') return electron;
        throw new Error(`a sandboxed preload cannot require ${id}`);
      },
    });
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['renderio']);
    const api = exposed.renderio as Record<string, Record<string, (...a: unknown[]) => unknown>> & {
      pathsForFiles(files: unknown[]): string[];
    };
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/invoke|send|env|process/);
    await api.presets!.list!();
    expect(invoked).toEqual([['presets:list', undefined]]);
    expect(
      api.pathsForFiles([new File([], 'clip.mp4'), new File([], 'virtual'), 'not a file']),
    ).toEqual(['/disk/clip.mp4']);
  });
});
