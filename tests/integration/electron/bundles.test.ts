/**
 * The BUILT bundles under the strict Electron double (tests/support/electron): main keeps the
 * start-up order (the scheme before ready, everything else after), serves the renderer over
 * app:// with its CSP, creates one sandboxed window, denies permissions, navigation and new
 * windows, answers IPC from its own page only, reports a Linux basic_text key store as weak,
 * shows a start-up failure in a dialog and exits; the preload exposes exactly window.renderio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listChannels } from '../../../shared/ipc/contract';
import { APP_CSP } from '../../../electron/main/appProtocolPath';
import {
  builtBundlesExist,
  launchBuiltApp,
  startBuiltApp,
  type RunningBuiltApp,
} from '../../support/electron/builtApp';
import type { ElectronDouble } from '../../support/electron';
import { tempDir } from '../../support/media';

const built = builtBundlesExist();
it.skipIf(built)('needs the built bundles (run "npm run build" first)', () => {
  expect.fail('dist/ is missing: run "npm run build" first.');
});

describe.runIf(built)('built main and preload bundles', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: RunningBuiltApp;
  let beforeReady: { schemes: string[]; windows: number } | null = null;

  beforeAll(async () => {
    dir = await tempDir('renderio-bundles-');
    app = await startBuiltApp({
      dir: dir.path,
      double: { platform: 'linux', safeStorage: { backend: 'basic_text' } },
      beforeReady: (d: ElectronDouble) => {
        beforeReady = {
          schemes: d.control.schemes.map((s) => s.scheme),
          windows: d.control.windows.length,
        };
      },
    });
  });
  afterAll(async () => {
    await app?.quit();
    await dir?.cleanup();
  });

  it('registers app:// as a secure standard scheme before ready, and opens no window before it', () => {
    expect(beforeReady).toEqual({ schemes: ['app'], windows: 0 });
    expect(app.double.control.schemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(app.double.control.errorBoxes).toEqual([]);
  });

  it('serves the renderer over app:// with its CSP, and nothing outside dist/renderer', async () => {
    const index = await app.double.control.protocolFetch('app://renderer/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toMatch(/<div id="root">/);
    for (const escape of [
      'app://renderer/..%2f..%2fmain%2fmain.mjs',
      'app://renderer/../main/main.mjs',
      'app://other/index.html',
    ]) {
      expect((await app.double.control.protocolFetch(escape)).status).toBe(404);
    }
  });

  it('opens one sandboxed, isolated window on app://renderer with the built preload', () => {
    expect(app.double.control.windows).toHaveLength(1);
    expect(app.win.loadedUrl).toBe('app://renderer/index.html');
    expect(app.win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
    expect(String(app.win.options.webPreferences?.preload)).toMatch(
      /dist[\\/]preload[\\/]preload\.cjs$/,
    );
    expect(app.win.shown).toBe(true);
  });

  it('denies permissions, navigation and new windows; https links go to the browser', () => {
    const answers: boolean[] = [];
    app.double.control.permissionRequest?.({}, 'media', (ok: boolean) => answers.push(ok));
    app.double.control.permissionRequest?.({}, 'notifications', (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(app.double.control.permissionCheck?.()).toBe(false);
    const wc = app.win.webContents;
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
    expect(app.double.control.opened).toEqual(['https://renderio.dev/docs']);
  });

  it('handles every contract channel, for its own page only', async () => {
    const ipcMain = app.double.main.ipcMain;
    expect(ipcMain.channels().sort()).toEqual(
      listChannels()
        .map((r) => r.channel)
        .sort(),
    );
    const fromPage = await app.bridge.presets.list();
    expect(fromPage.ok && fromPage.value.map((p) => p.id)).toContain('webm-vp9');
    for (const senderFrame of [{ url: 'https://evil.example/', detached: false }, null]) {
      const answer = await ipcMain.dispatchInvoke(
        { sender: {}, senderFrame, processId: 1, frameId: 1 },
        'presets:list',
        [],
      );
      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
  });

  it("reports Linux's basic_text key store as weak", async () => {
    const vault = await app.api.vault.status();
    expect(vault.storage).toMatchObject({ backend: 'basic_text', secure: false });
  });

  it('the preload exposes exactly window.renderio: one function per operation, no ipcRenderer', async () => {
    expect(Object.keys(app.world)).toEqual(['renderio']);
    const bridge = app.world.renderio as Record<string, unknown>;
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge).not.toHaveProperty('ipcRenderer');
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/invoke|send|env|process/);
    const onDisk = app.double.control.fileWithPath('/disk/clip.mp4');
    expect(app.bridge.pathsForFiles([onDisk, new File([], 'virtual')])).toEqual(['/disk/clip.mp4']);
  });

  it('pushes queue patches to the page as plain data', async () => {
    const got: unknown[] = [];
    const stop = app.api.events.onQueueUpdate((patches) => got.push(...patches));
    await app.api.queue.pauseAll();
    await app.api.queue.resumeAll();
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(got.some((p) => (p as { type: string }).type === 'queue')).toBe(true);
  });
});

describe.runIf(built)('closing the window', () => {
  it('on Linux and Windows quits the app, the core closing first', async () => {
    const dir = await tempDir('renderio-bundles-close-');
    try {
      const app = await startBuiltApp({ dir: dir.path, double: { platform: 'linux' } });
      app.win.close();
      for (let i = 0; i < 200 && !app.double.control.app.end.ended; i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(app.double.control.app.end.ended).toEqual({ by: 'quit', code: 0 });
      app.double.control.dispose();
    } finally {
      await dir.cleanup();
    }
  });
});

describe.runIf(built)('a start-up that fails', () => {
  it('says why in an error box and exits 1, instead of leaving a process without a window', async () => {
    const dir = await tempDir('renderio-bundles-fail-');
    try {
      // userData is a file: the core cannot make its folders there.
      await writeFile(join(dir.path, 'userData'), 'not a folder');
      const double = await launchBuiltApp({ dir: dir.path, double: { platform: 'linux' } });
      expect(double.control.errorBoxes).toEqual([
        { title: 'RenderIO could not start', content: expect.stringMatching(/\S/) },
      ]);
      expect(double.control.app.end.ended).toEqual({ by: 'exit', code: 1 });
      expect(double.control.windows).toHaveLength(0);
      double.control.dispose();
    } finally {
      await dir.cleanup();
    }
  });
});
