/**
 * The `app` fixture: a fresh real core per test (temp data dir, the real local engine over
 * real ffmpeg, a real AES-GCM cipher) behind the harness, plus the three things a browser
 * cannot click, under the test's control: what the native dialogs return, what the
 * clipboard holds, and which paths "Show in folder" was asked to reveal.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { AppCore } from '../../electron/core/appCore';
import type { EngineHandle } from '../../engine/index';
import { openCoreWithEngine } from '../support/coreWithEngine';
import { undiciFetch } from '../../electron/core/client/undiciFetch';
import { createIpcCore } from '../../electron/core/ipc/appBinding';
import type { BridgeApi } from '../../shared/ipc/rendererApi';
import { tempDir } from '../support/media';
import { TestCipher } from '../support/testCipher';
import { startHarness, type Harness } from './harness/server';

export interface AppUnderTest {
  harness: Harness;
  core: AppCore;
  /** The local engine the harness started beside the core (as the CLI does). */
  engine: EngineHandle;
  /** A temp folder for media the test makes. */
  mediaDir: string;
  /** The core's data folder (settings.json, presets.json, keys.json, ...). */
  dataDir: string;
  /** Each pickSources call takes the next entry (the paths the "person" chose). */
  nextSources: string[][];
  sourcePicks: ('files' | 'folder')[];
  nextOutputDir: string | null;
  nextKeyFile: string | null;
  /** What the next "Locate…" dialog answers (null: cancelled); the names it was asked for. */
  nextLocated: string | null;
  locateAsked: string[];
  clipboard: { text: string };
  revealed: string[];
  opened: string[];
  /** What the tools' dialogs answer next (null: cancelled). */
  nextPresetFile: string | null;
  nextPresetSave: string | null;
  nextWatchFolder: string | null;
  /** Files opened in their default app (shell.openPath), and files dragged out of the window. */
  openedFiles: string[];
  dragged: string[];
  /** What the next openPath answers ('' = opened). */
  nextOpenProblem: string;
  /** What the "Choose ffmpeg" dialog answers next (null: cancelled); how often the engine restarted. */
  nextFfmpeg: string | null;
  ffmpegDialogs: number;
  engineRestarts: number;
  /** Starts the engine again with settings.chosenFfmpeg, as the app does at its next launch. */
  restartEngine(): Promise<void>;
}

export interface AppOptions {
  /** Extra environment for the core (e.g. RENDERIO_API_KEY). */
  env: Record<string, string>;
  /** Play Linux's basic_text store: real encryption, reported as insecure. */
  weakKeyStore: boolean;
  /** A computer without ffmpeg: the engine finds none (empty PATH, no usual folders). */
  ffmpegMissing: boolean;
}

export const test = base.extend<AppOptions & { app: AppUnderTest }>({
  env: [{}, { option: true }],
  weakKeyStore: [false, { option: true }],
  ffmpegMissing: [false, { option: true }],
  app: async ({ env, weakKeyStore, ffmpegMissing }, use) => {
    const data = await tempDir('renderio-e2e-data-');
    const media = await tempDir('renderio-e2e-media-');
    const { core, engine, close, restartEngine } = await openCoreWithEngine({
      dataDir: data.path,
      fetch: undiciFetch,
      cipher: new TestCipher(
        weakKeyStore
          ? { backend: 'basic_text', secure: false }
          : { backend: 'gnome_libsecret', secure: true },
      ),
      // Cloud verification goes to a closed local port: a real, instant "unreachable".
      env: { RENDERIO_BASE_URL: 'http://127.0.0.1:9', ...env },
      activateLocalEngine: true,
      throttleMs: 100,
      // Watch folders scan often in tests, so a dropped file is queued within a second or two.
      watch: { pollMs: 250, stableMs: 500 },
      ...(ffmpegMissing
        ? { engineOptions: { ffmpegSearch: { env: { PATH: '' }, commonFolders: [] } } }
        : {}),
    });
    const state: Omit<AppUnderTest, 'harness' | 'core' | 'engine' | 'mediaDir' | 'dataDir'> = {
      nextSources: [],
      sourcePicks: [],
      nextOutputDir: null,
      nextKeyFile: null,
      nextLocated: null,
      locateAsked: [],
      clipboard: { text: '' },
      revealed: [],
      opened: [],
      nextPresetFile: null,
      nextPresetSave: null,
      nextWatchFolder: null,
      openedFiles: [],
      dragged: [],
      nextOpenProblem: '',
      nextFfmpeg: null,
      ffmpegDialogs: 0,
      engineRestarts: 0,
      restartEngine: () => restart(),
    };
    // Set once `app` exists: a restart hands the test the engine now running.
    let app: AppUnderTest | null = null;
    const restart = async (): Promise<void> => {
      state.engineRestarts += 1;
      const next = await restartEngine();
      if (app) app.engine = next;
    };
    const harness = await startHarness({
      core: createIpcCore(core, {
        dialogs: {
          pickSources: async (kind) => {
            state.sourcePicks.push(kind);
            return state.nextSources.shift() ?? [];
          },
          pickOutputDir: async () => state.nextOutputDir,
          pickKeyFile: async () => state.nextKeyFile,
          locateSource: async (name) => {
            state.locateAsked.push(name);
            return state.nextLocated;
          },
        },
        clipboard: { readText: () => state.clipboard.text },
        shell: {
          showItemInFolder: (path) => void state.revealed.push(path),
          openPath: async (path) => {
            state.openedFiles.push(path);
            return state.nextOpenProblem;
          },
          startDrag: (path) => void state.dragged.push(path),
          openExternal: async (url) => void state.opened.push(url),
        },
        toolsDialogs: {
          pickPresetFile: async () => state.nextPresetFile,
          pickPresetSaveFile: async () => state.nextPresetSave,
          pickWatchFolder: async () => state.nextWatchFolder,
        },
        // As the app's supervisor does: the engine starts again with settings.chosenFfmpeg.
        engineControl: {
          pickFfmpeg: async () => {
            state.ffmpegDialogs += 1;
            return state.nextFfmpeg;
          },
          restart,
        },
      }),
    });
    app = Object.assign(state, {
      harness,
      core,
      engine,
      mediaDir: media.path,
      dataDir: data.path,
    }) as AppUnderTest;
    try {
      await use(app);
    } finally {
      await harness.close();
      await close();
      await data.cleanup();
      await media.cleanup();
    }
  },
});

export { expect };

/** What page.evaluate callbacks reach, typed without the DOM lib (this folder is Node code). */
export interface PageGlobals {
  /** What the preload exposes: envelopes of plain data (errors as data, codes kept). */
  renderio?: BridgeApi;
  document: { cookie: string };
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
}

/** Saves a screenshot into the git-ignored artifacts/ folder. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync('artifacts', { recursive: true });
  await page.screenshot({ path: `artifacts/${name}.png`, fullPage: true, animations: 'disabled' });
}

/** Opens the app and waits until it has loaded the queue, presets and settings. */
export async function openApp(page: Page, app: AppUnderTest): Promise<void> {
  await page.goto(app.harness.url);
  await expect(page.locator('.app')).toHaveAttribute('data-state', 'ready');
}
