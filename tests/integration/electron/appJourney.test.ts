/**
 * The app as shipped, its main path under Electron's rules: the BUILT main and preload bundles
 * run under the strict Electron double (tests/support/electron), the page calls
 * window.renderio through contextBridge's copy rules, and jobs go from queue:add to a finished,
 * ffprobe-valid WebM through the app's own transport (net.request), on the local engine and on
 * a cloud profile (a second engine on another port, behind a recording proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { stat } from 'node:fs/promises';
import { startEngine, type EngineHandle } from '../../../engine/index';
import type { Job, QueuePatch } from '../../../shared/jobs';
import { RenderioIpcError } from '../../../shared/ipc/rendererApi';
import { HELP_URLS } from '../../../shared/shortcuts';
import {
  builtBundlesExist,
  startBuiltApp,
  type RunningBuiltApp,
} from '../../support/electron/builtApp';
import { startRecordingProxy, type RecordingProxy } from '../../support/recordingProxy';
import { codecOf, durationOf, makeVideo, probe, tempDir } from '../../support/media';

const built = builtBundlesExist();
it.skipIf(built)('needs the built bundles (run "npm run build" first)', () => {
  expect.fail('dist/ is missing: run "npm run build" first.');
});

async function finished(app: RunningBuiltApp, id: string, seconds = 120): Promise<Job> {
  for (let i = 0; i < seconds * 10; i++) {
    const job = (await app.api.queue.snapshot()).jobs.find((j) => j.id === id);
    if (job && ['done', 'failed', 'cancelled'].includes(job.stage)) return job;
    await sleep(100);
  }
  throw new Error(`job ${id} did not finish`);
}

describe.runIf(built)('the built app under the Electron double', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let cloud: EngineHandle;
  let proxy: RecordingProxy;
  let cloudKey: string;
  let clip: string;
  let app: RunningBuiltApp;
  const pushed: QueuePatch[][] = [];

  beforeAll(async () => {
    dir = await tempDir('renderio-app-journey-');
    clip = await makeVideo(dir.path, 'journey clip.mp4', { seconds: 2 });
    cloud = await startEngine({
      dataDir: `${dir.path}/cloud`,
      port: 0,
      rateLimit: { ratePerSecond: 1000, burst: 1000 },
    });
    cloudKey = await cloud.createKey();
    proxy = await startRecordingProxy(cloud.url);
    app = await startBuiltApp({
      dir: dir.path,
      double: { platform: 'linux', safeStorage: { backend: 'gnome_libsecret' } },
      // The API address for keys entered in this session: the second engine, behind a proxy.
      env: { RENDERIO_BASE_URL: proxy.url },
    });
    app.api.events.onQueueUpdate((patches) => pushed.push(patches));
  });

  afterAll(async () => {
    await app?.quit();
    await proxy?.close();
    await cloud?.close();
    await dir?.cleanup();
  });

  it('converts a file on this computer: queue:add to a finished WebM, uploaded chunked', async () => {
    const vault = await app.api.vault.status();
    expect(vault.profiles.find((p) => p.active)?.kind).toBe('local');
    const before = app.double.control.network.stats.chunkedUploads;
    const { added, rejected } = await app.api.queue.add({
      paths: [clip],
      presetId: 'webm-vp9',
      outputDir: null,
    });
    expect(rejected).toEqual([]);
    const job = await finished(app, added[0]!);
    expect(job.error).toBeNull();
    expect(job.stage).toBe('done');
    const out = job.outputPaths[0]!;
    expect(out).toMatch(/\.webm$/);
    const p = await probe(out);
    expect(codecOf(p, 'video')).toBe('vp9');
    expect(durationOf(p)).toBeGreaterThan(1.5);
    // The upload streamed with chunkedEncoding, never collected whole in main's memory.
    expect(app.double.control.network.stats.chunkedUploads).toBe(before + 1);
    expect(app.double.control.network.stats.peakBufferedUploadBytes).toBeLessThan(
      (await stat(clip)).size,
    );
    // The page hears about it through the push channel (throttled), as plain data.
    const heard = () => pushed.flat().some((p) => p.type === 'upsert' && p.job.stage === 'done');
    for (let i = 0; i < 100 && !heard(); i++) await sleep(50);
    expect(heard()).toBe(true);
  });

  it('sets the app menu, sends its page commands to the page and runs those of main', async () => {
    const menus = app.double.control.menu.applicationMenus;
    const menu = () => menus.at(-1) ?? null;
    expect(menu()?.getMenuItemById('add-files')?.accelerator).toBe('CmdOrCtrl+O');
    expect(menu()?.items.map((i) => i.label)).toEqual([
      '&File',
      '&Edit',
      '&Queue',
      '&View',
      '&Help',
    ]);
    // Not packaged: the development items are there.
    expect(menu()?.items[3]?.submenu?.items.map((i) => i.role)).toContain('toggledevtools');

    const heard: string[] = [];
    const stop = app.api.events.onMenuCommand((command) => heard.push(command));
    menu()?.getMenuItemById('settings')?.click();
    menu()?.getMenuItemById('add-files')?.click();
    for (let i = 0; i < 40 && heard.length < 2; i++) await sleep(25);
    expect(heard).toEqual(['settings', 'add-files']);
    stop();

    // Main's own: the newest result shown in its folder (results go beside their sources),
    // and the documentation page, nothing else.
    menu()?.getMenuItemById('open-output-folder')?.click();
    menu()?.getMenuItemById('docs')?.click();
    const { revealed, opened } = app.double.control;
    for (let i = 0; i < 80 && (revealed.length === 0 || opened.length === 0); i++) await sleep(25);
    // (after the conversion above: the newest result is its WebM)
    expect(revealed.at(-1)).toMatch(/\.webm$/);
    expect(opened).toEqual([HELP_URLS.docs]);

    // Pausing rebuilds the menu: Resume enabled, Pause not.
    await app.api.queue.pauseAll();
    for (let i = 0; i < 80 && menu()?.getMenuItemById('resume')?.enabled !== true; i++)
      await sleep(25);
    expect(menu()?.getMenuItemById('resume')?.enabled).toBe(true);
    expect(menu()?.getMenuItemById('pause')?.enabled).toBe(false);
    await app.api.queue.resumeAll();
  });

  it('takes a key pasted from the clipboard, checks it, and converts on that cloud profile', async () => {
    // Main reads the clipboard; the page only learns what happened.
    app.double.control.clipboardText = `RENDERIO_API_KEY=${cloudKey}\n`;
    const entered = await app.api.vault.pasteFromClipboard();
    expect(entered).toMatchObject({ outcome: 'saved', runJobsOn: 'switched' });
    const cloudProfile = entered.status.profiles.find((p) => p.active)!;
    expect(cloudProfile).toMatchObject({ kind: 'cloud', baseUrl: proxy.url, verified: true });
    // The same file, converted again on purpose (it was converted on this computer above).
    const { added } = await app.api.queue.add({ paths: [clip], presetId: 'webm-vp9', again: true });
    const job = await finished(app, added[0]!);
    expect(job.stage).toBe('done');
    expect(codecOf(await probe(job.outputPaths[0]!), 'video')).toBe('vp9');

    const upload = proxy.requests.find(
      (r) => r.method === 'POST' && r.url.endsWith('/files/upload'),
    )!;
    expect(upload.headers['transfer-encoding']).toBe('chunked');
    expect(upload.headers['content-length']).toBeUndefined();
    expect(upload.headers['x-api-key']).toBe(cloudKey);
    // Chromium's defaults came with it: the double behaves as the network stack does.
    expect(upload.headers['user-agent']).toMatch(/Electron/);
    const submit = proxy.requests.find((r) => r.url.endsWith('/run-ffmpeg-command'))!;
    expect(submit.headers['content-type']).toBe('application/json');
  });

  it('the page gets typed errors with their code, rebuilt on its side of the bridge', async () => {
    const error = await app.api.vault
      .setActive({ profileId: 'no-such-profile' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderioIpcError);
    expect((error as RenderioIpcError).code).toBe('unknown-profile');
    // What crossed the bridge is data, not an Error.
    const raw = await app.bridge.vault.setActive({ profileId: 'no-such-profile' });
    expect(raw).toMatchObject({ ok: false, error: { code: 'unknown-profile' } });
  });

  it('never shows the key to the page: not in any answer, push or the window object', async () => {
    app.double.control.clipboardText = `RENDERIO_API_KEY=${cloudKey}`;
    const answers = await Promise.all([
      app.api.vault.status(),
      app.api.queue.snapshot(),
      app.api.settings.get(),
      app.api.presets.list(),
    ]);
    const seen = JSON.stringify([answers, pushed, Object.keys(app.world)]);
    expect(seen).not.toContain(cloudKey);
    expect(seen).not.toContain(cloudKey.slice(5, 40));
  });
});
