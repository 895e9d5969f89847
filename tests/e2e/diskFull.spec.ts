/**
 * A job on this computer when the disk this converter keeps its files on is full, as a person
 * sees it: the engine runs on a real tmpfs of 4 MB in its own mount namespace
 * (tests/support/smallDisk.ts), most of it taken by a file stored before. The core uploads
 * with the app's own transport (net.request over the strict Electron double: chunked, so the
 * engine meets the full disk while writing), so the row says what the app says: "Disk full"
 * first, whole in its title, with Retry; after the space is freed, Retry converts it.
 * Photographed at 720x520 and 1920x1080, light and dark, with axe finding nothing.
 */
import { expect, test } from '@playwright/test';
import { createAppCore, type AppCore } from '../../electron/core/appCore';
import { createNetRequestFetch } from '../../electron/core/client/netRequestFetch';
import { createIpcCore } from '../../electron/core/ipc/appBinding';
import { createElectronDouble } from '../support/electron';
import { makeVideo, tempDir } from '../support/media';
import { quietHost } from '../support/quietHost';
import {
  freeFiller,
  smallDiskSupported,
  startEngineOnSmallDisk,
  storeFiller,
  type SmallDiskEngine,
} from '../support/smallDisk';
import { TestCipher } from '../support/testCipher';
import { startHarness, type Harness } from './harness/server';
import { snapViews } from './support/views';

test.skip(!smallDiskSupported(), 'this machine forbids unprivileged mount namespaces');

test('a full disk on this computer: the reason first, Retry once space is freed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const data = await tempDir('renderio-e2e-disk-full-data-');
  const media = await tempDir('renderio-e2e-disk-full-media-');
  let engine: SmallDiskEngine | null = null;
  let core: AppCore | null = null;
  let harness: Harness | null = null;
  const electron = createElectronDouble({ userData: '/nonexistent' });
  electron.control.emitReady();
  try {
    engine = await startEngineOnSmallDisk({ sizeKb: 4 * 1024 });
    // Another job's upload, still stored, leaves ~0.6 MB: less than the clip's ~0.9 MB.
    const earlier = await storeFiller(engine, 3.4 * 1024 * 1024);
    const clip = await makeVideo(media.path, 'holiday.mp4', {
      seconds: 20,
      x264Preset: 'veryfast',
    });

    core = await createAppCore({
      dataDir: data.path,
      fetch: createNetRequestFetch((o) => electron.main.net.request(o)),
      cipher: new TestCipher({ backend: 'gnome_libsecret', secure: true }),
      env: { RENDERIO_BASE_URL: 'http://127.0.0.1:9' },
      localEngine: engine.link,
      activateLocalEngine: true,
      throttleMs: 100,
    });
    harness = await startHarness({ core: createIpcCore(core, quietHost([[clip]])) });

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(harness.url);
    await expect(page.locator('.app')).toHaveAttribute('data-state', 'ready');
    await page.getByLabel('Preset').selectOption('mp3');
    await page.getByRole('button', { name: 'Add files…' }).click();
    const row = page.locator('li.job', { hasText: 'holiday.mp4' });
    await expect(row.locator('.stage')).toHaveText('Failed', { timeout: 60_000 });
    // The conclusion is what the row shows first; the whole reason, with the folder, is its
    // title. Not "RenderIO", not "507", not a request line.
    const reason = row.locator('.detail');
    await expect(reason).toHaveText(/^Disk full: the disk this converter keeps its files on/);
    await expect(reason).toHaveAttribute(
      'title',
      `Disk full: the disk this converter keeps its files on (${engine.dataDir}) has no room left. Free some space on it, then try again.`,
    );
    await expect(reason).not.toHaveText(/RenderIO|507|POST/);
    await expect(row.getByRole('button', { name: 'Retry holiday.mp4' })).toBeVisible();
    await snapViews(page, 'disk-full-failed');
    // In the smallest window a failed row's buttons sit beside its title, so the reason has
    // the whole second line: it starts under the name and reaches past the buttons' left edge.
    await page.setViewportSize({ width: 720, height: 520 });
    const actions = await row.locator('.job-actions').boundingBox();
    const status = await row.locator('.job-status').boundingBox();
    expect(actions && status).toBeTruthy();
    expect(status!.y).toBeGreaterThan(actions!.y + actions!.height - 1);
    expect(status!.x + status!.width).toBeGreaterThan(actions!.x + actions!.width / 2);

    // The person frees space (the earlier file goes), then Retry.
    await freeFiller(engine, earlier);
    await row.getByRole('button', { name: 'Retry holiday.mp4' }).click();
    await expect(row.locator('.stage')).toHaveText('Done', { timeout: 60_000 });
  } finally {
    await harness?.close();
    await core?.close();
    await engine?.close();
    await data.cleanup();
    await media.cleanup();
    electron.control.dispose();
  }
});
