/**
 * A RenderIO key in real Electron: pasted from the system clipboard (main reads it), checked
 * and used through the app's own transport (Electron's network stack in main, under the
 * client's redirect handling), and never seen by the renderer. The "RenderIO" here is a second local engine the
 * test starts, behind a proxy that redirects the key check and records what arrives.
 * The IPC error codes that decide what the page shows must cross the contextBridge intact.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createAppCore } from '../../electron/core/appCore';
import { undiciFetch } from '../../electron/core/client/undiciFetch';
import { startEngine, type EngineHandle } from '../../engine/index';
import { codecOf, makeVideo, probe, tempDir } from '../support/media';
import { expect, basicTextKeyStore, snap, test } from './fixtures';
import { chooseInOpenDialog, copyToClipboard } from './support/mainStubs';
import { everythingThePageSees, keyFragments, type PageGlobals } from './support/pageExposure';
import {
  MOVED_PREFIX,
  startRedirectingProxy,
  type RedirectingProxy,
} from './support/redirectingProxy';

const UPLOAD_PATH = '/api/v1/files/upload';

/** The second engine (what the app will take for RenderIO) and the proxy in front of it. */
async function startStudio(): Promise<{
  engine: EngineHandle;
  proxy: RedirectingProxy;
  key: string;
  close(): Promise<void>;
}> {
  const data = await tempDir('renderio-electron-studio-');
  const engine = await startEngine({ dataDir: data.path, port: 0 });
  // The engine's own key maker, as `npm run engine -- keys create` uses it.
  const key = await engine.createKey();
  const proxy = await startRedirectingProxy(engine.url, () => key);
  return {
    engine,
    proxy,
    key,
    close: async () => {
      await proxy.close();
      await engine.close();
      await data.cleanup();
    },
  };
}

/**
 * An earlier session's state: a cloud profile "Studio" at the proxy, without a key, written by
 * the app's own core into the folder the app is about to use.
 */
function studioProfile(baseUrl: string) {
  return async (userData: string): Promise<void> => {
    const core = await createAppCore({
      dataDir: userData,
      cipher: null,
      fetch: undiciFetch,
      env: {},
    });
    try {
      await core.vault.addProfile({ name: 'Studio', baseUrl });
    } finally {
      await core.close();
    }
  };
}

function header(page: Page) {
  return page.getByRole('button', { name: /^Account/ });
}

/**
 * The code of a call main refuses, as the page's own code gets it: a rejection carrying `code`,
 * or main's envelope ({ ok: false, error: { code } }) when the bridge hands errors over as data
 * (an Error crossing contextBridge keeps its message only). Either way the code must be intact.
 */
async function refusalSeenByPage(page: Page) {
  return page.evaluate(async () => {
    const add = (globalThis as unknown as PageGlobals).renderio?.queue?.add;
    if (!add) return { code: 'no window.renderio.queue.add' };
    try {
      const answer = (await add({ paths: [], presetId: '' })) as {
        ok?: unknown;
        error?: { code?: unknown };
      } | null;
      return answer?.ok === false ? { code: answer.error?.code } : { resolved: answer };
    } catch (error) {
      return { code: (error as { code?: unknown }).code };
    }
  });
}

test('a pasted key is checked through a redirect, used for an upload, and never reaches the page', async ({
  launchApp,
  media,
}) => {
  const studio = await startStudio();
  try {
    const clip = await makeVideo(media, 'cloud.mp4', { seconds: 2 });
    const { app, page, mainOutput } = await launchApp({ prepare: studioProfile(studio.proxy.url) });

    // An IPC error's code reaches the page through the real preload and contextBridge.
    expect(await refusalSeenByPage(page)).toMatchObject({ code: 'invalid-argument' });

    await header(page).click();
    const panel = page.getByRole('complementary', { name: 'Account and keys' });
    const runOn = panel.getByRole('group', { name: 'Run jobs on' });
    const local = runOn.getByRole('radio', { name: 'This computer' });
    const studioChoice = runOn.getByRole('radio', { name: 'Studio' });
    const message = panel.getByRole('status');
    await expect(local).toBeChecked();

    // Main refuses a profile without a key with code 'no-key'; the page shows that code, and
    // only that code, as a warning (any other refusal would be an error).
    await studioChoice.click();
    await expect(message).toContainText('Studio has no API key, so it cannot run jobs.');
    await expect(message.locator('.notice')).toHaveClass(/notice-warning/);
    await expect(local).toBeChecked();
    await snap(page, 'key-no-key-refused');

    await copyToClipboard(app, `${studio.key}\n`);
    await panel.getByRole('button', { name: 'Paste key from clipboard' }).click();
    if (basicTextKeyStore) {
      // basic_text (no keyring): main refuses to persist with 'key-insecure-storage', and the
      // page offers the session-only choice only for that code.
      await expect(message).toContainText('not secure here (basic_text');
      await expect(message.locator('.notice')).toHaveClass(/notice-warning/);
      await snap(page, 'key-weak-store-offer');
      await message.getByRole('button', { name: 'Keep the key for this session only' }).click();
    }

    // Checked with the server through the 307: the client followed it on the same origin and
    // sent the key again; the second engine accepted it.
    await expect(message).toContainText('Key checked with RenderIO');
    await expect(message.locator('.notice')).toHaveClass(/notice-success/);
    await expect(studioChoice).toBeChecked();
    await expect(header(page)).toHaveAccessibleName('Account · converting on Studio');
    await snap(page, 'key-accepted');
    const check = studio.proxy.requests.filter((r) => r.path.includes('/api/v1/commands?'));
    expect(check).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'GET', status: 307, redirected: true, carriedKey: true }),
        expect.objectContaining({
          method: 'GET',
          path: expect.stringMatching(new RegExp(`^${MOVED_PREFIX}/api/v1/commands\\?`)),
          status: 200,
          carriedKey: true,
        }),
      ]),
    );
    await page.keyboard.press('Escape');

    // A job on Studio: the upload streams through the app's transport and the proxy to the engine.
    await chooseInOpenDialog(app, [clip]);
    await page.getByLabel('Preset').selectOption('webm-vp9');
    await page.getByRole('button', { name: 'Add files…' }).click();
    const row = page.locator('li.job', { hasText: 'cloud.mp4' });
    await expect(row.locator('.stage')).toHaveText('Done', { timeout: 150_000 });
    expect(codecOf(await probe(join(media, 'cloud.webm')), 'video')).toBe('vp9');
    await snap(page, 'key-cloud-done');

    const uploads = studio.proxy.requests.filter((r) => r.path === UPLOAD_PATH);
    expect(uploads).toEqual([
      expect.objectContaining({ method: 'POST', status: 200, carriedKey: true }),
    ]);
    expect(uploads[0]!.bodyBytes).toBeGreaterThan(statSync(clip).size);
    expect(studio.engine.requestLog).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: UPLOAD_PATH,
        status: 200,
        keyId: expect.any(String),
      }),
    );

    // The key reached main and the server, never the renderer nor a log line.
    const seen = await everythingThePageSees(page);
    for (const fragment of keyFragments(studio.key)) {
      expect(seen).not.toContain(fragment);
      expect(mainOutput()).not.toContain(fragment);
    }
  } finally {
    await studio.close();
  }
});

test('a key from RENDERIO_API_KEY runs jobs at RENDERIO_BASE_URL and stays out of the page', async ({
  launchApp,
  media,
}) => {
  const studio = await startStudio();
  try {
    const clip = await makeVideo(media, 'env.mp4', { seconds: 2 });
    const { app, page, mainOutput } = await launchApp({
      env: { RENDERIO_API_KEY: studio.key, RENDERIO_BASE_URL: studio.proxy.url },
    });
    // A key given in the environment is what the session was started for.
    await expect(header(page)).toHaveAccessibleName(
      'Account · converting on RenderIO (RENDERIO_API_KEY)',
    );
    await header(page).click();
    const panel = page.getByRole('complementary', { name: 'Account and keys' });
    await expect(panel.getByText(`ffsk_…${studio.key.slice(-4)}`)).toBeVisible();
    await snap(page, 'env-key-account');
    await page.keyboard.press('Escape');

    await chooseInOpenDialog(app, [clip]);
    await page.getByLabel('Preset').selectOption('webm-vp9');
    await page.getByRole('button', { name: 'Add files…' }).click();
    const row = page.locator('li.job', { hasText: 'env.mp4' });
    await expect(row.locator('.stage')).toHaveText('Done', { timeout: 150_000 });
    expect(codecOf(await probe(join(media, 'env.webm')), 'video')).toBe('vp9');
    expect(studio.proxy.requests).toContainEqual(
      expect.objectContaining({ method: 'POST', path: UPLOAD_PATH, status: 200, carriedKey: true }),
    );
    await snap(page, 'env-key-done');

    const seen = await everythingThePageSees(page);
    for (const fragment of keyFragments(studio.key)) {
      expect(seen).not.toContain(fragment);
      expect(mainOutput()).not.toContain(fragment);
    }
  } finally {
    await studio.close();
  }
});
