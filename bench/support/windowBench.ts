/**
 * What bench/window.ts and bench/window-trace.ts both stand on: the real core with its engine,
 * `jobs` queued and paused (their sources are 1-byte files: only the list is measured), a
 * Chromium, and a host whose dialogs and shell do nothing (nothing here opens a window).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { undiciFetch } from '../../electron/core/client/undiciFetch';
import type { AppCore } from '../../electron/core/appCore';
import type { HostPorts } from '../../electron/core/ipc/appBinding';
import { CHROMIUM_ARGS, findChromium } from '../../tests/support/chromium';
import { openCoreWithEngine } from '../../tests/support/coreWithEngine';
import { tempDir } from '../../tests/support/media';
import { quietHost } from '../../tests/support/quietHost';
import { TestCipher } from '../../tests/support/testCipher';

export interface WindowBench {
  core: AppCore;
  browser: Browser;
  /** The queued jobs' ids, in queue order. */
  added: string[];
  host: HostPorts;
  close(): Promise<void>;
}

export async function openWindowBench(name: string, jobs: number): Promise<WindowBench> {
  const data = await tempDir(`renderio-bench-${name}-`);
  const media = await tempDir(`renderio-bench-${name}-media-`);
  const { core, close } = await openCoreWithEngine({
    dataDir: data.path,
    fetch: undiciFetch,
    cipher: new TestCipher({ backend: 'gnome_libsecret', secure: true }),
    env: { RENDERIO_BASE_URL: 'http://127.0.0.1:9' },
    activateLocalEngine: true,
    throttleMs: 100,
  });
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: [...CHROMIUM_ARGS],
  });
  core.queue.pauseAll();
  const paths: string[] = [];
  for (let i = 0; i < jobs; i++) {
    const path = join(media.path, `clip-${String(i).padStart(5, '0')}.mp4`);
    writeFileSync(path, 'x');
    paths.push(path);
  }
  const { added } = await core.queue.add({ paths, presetId: 'webm-vp9' });
  return {
    core,
    browser,
    added,
    host: quietHost(),
    async close() {
      await browser.close();
      await close();
      await data.cleanup();
      await media.cleanup();
    },
  };
}

/**
 * The first painted row, told on the console as `__rows <ms>` (navigation = 0), installed
 * before the app's scripts. Told, not polled: Playwright's waitForFunction injects its
 * selector engine (~330 KB) into the page, a ~50 ms task that landed among the first rows'
 * frames.
 */
export const ROWS_PROBE = `
  window.__rowsAt = null;
  new MutationObserver(() => {
    if (window.__rowsAt === null && document.querySelector('li.job')) {
      window.__rowsAt = -1;
      requestAnimationFrame(() => setTimeout(() => {
        window.__rowsAt = performance.now();
        console.debug('__rows ' + window.__rowsAt);
      }, 0));
    }
  }).observe(document, { childList: true, subtree: true });
`;
