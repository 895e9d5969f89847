/**
 * "Converter not running": this computer's converter (the local engine) crashed again and again,
 * and the app's supervisor gave up on it. Wired as the app wires it (electron/main/wiring.ts):
 * the real EngineSupervisor keeps the engine running, restarts it after a crash, and tells the
 * core its state; only its utilityProcess is played here by the engine in this process. A
 * person sees the queue say "Converter not running" with nothing to pause, the engine's box say
 * why with "Start converter again" first, and a file added meanwhile wait, not fail, under a
 * banner that offers the same button instead of "Retry now". A start that dies as it starts
 * says why in the box; the next one, from the keyboard, runs the converter again, the waiting
 * file is converted, and a crash after it is restarted as usual (a fresh count, not a fifth
 * crash). Photographed at 720x520 and 1920x1080, light and dark, with axe finding nothing.
 */
import { expect, test, type Page } from '@playwright/test';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../../electron/core/appCore';
import { undiciFetch } from '../../electron/core/client/undiciFetch';
import { createIpcCore } from '../../electron/core/ipc/appBinding';
import {
  EngineSupervisor,
  type EngineProcessLike,
} from '../../electron/core/localEngine/engineSupervisor';
import { startLocalEngine } from '../../engine/localEngine';
import type { EngineHandle } from '../../engine/index';
import type { EngineProcessEvent, EngineProcessRequest } from '../../shared/localEngine';
import { createLogger } from '../../shared/redact';
import { makeVideo, tempDir } from '../support/media';
import { quietHost } from '../support/quietHost';
import { TestCipher } from '../support/testCipher';
import { startHarness, type Harness } from './harness/server';
import { snapViews } from './support/views';

/** An engine start and a check of ffmpeg: seconds, more on a busy machine. */
const STARTED = { timeout: 60_000 };

/**
 * The engine's utilityProcess, played in this process: "start" starts the real local engine
 * with the supervisor's key and answers "ready"; "stop" closes it and exits. `crash()` is the
 * process dying on its own: the engine gone, an exit code, no "stop" asked.
 */
class EngineInProcess extends EventEmitter implements EngineProcessLike {
  engine: EngineHandle | null = null;
  private exited = false;

  /** `gate.hold`: a start waits for it (the window is seen while its converter starts). */
  constructor(private readonly gate: StartGate) {
    super();
  }

  postMessage(message: EngineProcessRequest): void {
    if (message.type === 'stop') {
      void this.end(0);
      return;
    }
    void this.start(message);
  }

  private async start(message: Extract<EngineProcessRequest, { type: 'start' }>): Promise<void> {
    await this.gate.hold;
    // It died while it was held (crash()): nothing to start.
    if (this.exited) return;
    await startLocalEngine({
      dataDir: message.dataDir,
      key: message.key,
      ...(message.ffmpegPath ? { ffmpegPath: message.ffmpegPath } : {}),
    }).then(
      ({ handle, link }) => {
        this.engine = handle;
        this.emit('message', {
          type: 'ready',
          url: link.url,
          ffmpeg: link.ffmpeg,
          ...(link.commandSlots ? { commandSlots: link.commandSlots } : {}),
        } satisfies EngineProcessEvent);
      },
      (error: unknown) => {
        this.emit('message', {
          type: 'failed',
          message: String(error),
        } satisfies EngineProcessEvent);
        void this.end(1);
      },
    );
  }

  kill(): boolean {
    void this.end(137);
    return true;
  }

  /** The process dying on its own; while it starts, the supervisor hears it die as it started. */
  crash(): Promise<void> {
    return this.end(1);
  }

  private async end(code: number): Promise<void> {
    if (this.exited) return;
    this.exited = true;
    await this.engine?.close();
    this.emit('exit', code);
  }
}

interface StartGate {
  hold: Promise<void> | null;
}

interface Wired {
  core: AppCore;
  harness: Harness;
  supervisor: EngineSupervisor;
  forks: EngineInProcess[];
  gate: StartGate;
}

/** The supervisor first, then the core with its link, then the window: as startApp does. */
async function wire(dataDir: string, media: string): Promise<Wired> {
  const forks: EngineInProcess[] = [];
  const gate: StartGate = { hold: null };
  let core: AppCore | null = null;
  const supervisor = new EngineSupervisor({
    fork: () => {
      const child = new EngineInProcess(gate);
      forks.push(child);
      return child;
    },
    startRequest: () => {
      const chosen = core?.settings.get().chosenFfmpeg;
      return { dataDir: join(dataDir, 'engine'), ...(chosen ? { ffmpegPath: chosen } : {}) };
    },
    onLink: async (link) => void (await core?.setLocalEngine(link)),
    onState: (state) => core?.reportLocalEngineState(state),
    logger: createLogger('engine', () => undefined),
  });
  const link = await supervisor.start();
  core = await createAppCore({
    dataDir,
    fetch: undiciFetch,
    cipher: new TestCipher({ backend: 'gnome_libsecret', secure: true }),
    env: { RENDERIO_BASE_URL: 'http://127.0.0.1:9' },
    localEngine: link,
    activateLocalEngine: true,
    throttleMs: 100,
  });
  const harness = await startHarness({
    core: createIpcCore(core, {
      ...quietHost([[join(media, 'clip.mp4')]]),
      engineControl: {
        pickFfmpeg: async () => null,
        restart: async () => void (await supervisor.restart()),
      },
    }),
  });
  return { core, harness, supervisor, forks, gate };
}

async function openApp(page: Page, wired: Wired): Promise<void> {
  await page.goto(wired.harness.url);
  await expect(page.locator('.app')).toHaveAttribute('data-state', 'ready');
}

test('a converter that keeps crashing: the queue says it is not running, files wait, Start converter again runs it', async ({
  page,
}) => {
  // Seven engine starts, an encode, and four states photographed four times each with axe.
  test.setTimeout(240_000);
  const data = await tempDir('renderio-e2e-converter-data-');
  const media = await tempDir('renderio-e2e-converter-media-');
  let wired: Wired | null = null;
  try {
    await makeVideo(media.path, 'clip.mp4', { seconds: 1 });
    wired = await wire(data.path, media.path);
    const { core, supervisor, forks } = wired;
    await page.setViewportSize({ width: 720, height: 520 });
    await openApp(page, wired);
    const state = page.getByTestId('queue-state');
    const box = page.getByTestId('engine-status');
    await expect(state).toHaveText('Ready');
    await expect(box).toHaveText(/^This computer: ffmpeg /);

    // It crashes; the supervisor starts it again, three times; the fourth in a minute it gives up.
    for (let crash = 1; crash <= 4; crash++) {
      await forks.at(-1)!.crash();
      if (crash < 4) await expect.poll(() => supervisor.state().state, STARTED).toBe('ready');
    }
    await expect.poll(() => supervisor.state().state).toBe('failed');
    expect(forks).toHaveLength(4);

    // What a person sees: the header says so, with nothing to pause; the box says why and what to do.
    await expect(state).toHaveText(
      "Converter not runningFiles added now wait until this computer's converter runs again.",
    );
    const toolbar = page.getByRole('group', { name: 'Queue controls' });
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).toHaveCount(0);
    await expect(box).toContainText(
      "This computer cannot convert. This computer's converter stopped 4 times in a minute; jobs here wait until it is started again.",
    );
    // Starting it again comes first (the box's primary button); the other ways out follow.
    await expect(box.getByRole('button')).toHaveText([
      'Start converter again',
      'Choose ffmpeg…',
      'Use RenderIO instead',
    ]);
    const empty = page.locator('.queue-panel .empty');
    await expect(empty).toContainText(
      "Files dropped or added now wait until this computer's converter runs again, or run them on RenderIO (Use RenderIO instead).",
    );
    // In the smallest window the ways out are in view without scrolling.
    for (const name of ['Start converter again', 'Choose ffmpeg…', 'Use RenderIO instead']) {
      const bounds = await box.getByRole('button', { name }).boundingBox();
      expect(bounds && bounds.y + bounds.height, name).toBeLessThanOrEqual(520);
    }
    await snapViews(page, 'converter-not-running');

    // A file added now is taken and waits, as the header said: it does not fail, and the queue
    // keeps saying why (not "Offline", not "will continue on its own": it would not).
    await page.getByLabel('Preset').selectOption('mp3');
    await page.getByRole('button', { name: 'Add files…' }).click();
    const row = page.locator('li.job', { hasText: 'clip.mp4' });
    await expect(row).toBeVisible();
    expect(core.queue.snapshot().jobs).toHaveLength(1);
    await expect(state).toHaveText(
      "Converter not running1 job waits until this computer's converter runs again.",
      STARTED,
    );
    await expect(toolbar.getByRole('button', { name: 'Pause all' })).toBeVisible();
    // Retrying asks a converter that is not there, and no countdown to it helps: the banner
    // says it is not running and offers to start it instead.
    const banner = page.locator('[data-banner="offline"]');
    await expect(banner).toHaveText(
      "This computer's converter is not runningStart converter again",
    );
    await expect(banner.getByRole('button')).toHaveText(['Start converter again']);
    // The row agrees: it waits for the converter, with no countdown to a retry that cannot help.
    await expect(row.locator('.stage')).toHaveText('Waiting');
    await expect(row.locator('.job-status')).toContainText(
      "until this computer's converter runs again",
    );
    await snapViews(page, 'converter-not-running-file-waits');

    // A start that dies as it starts: held while starting, both buttons say so and refuse a
    // second press; then the box says why, and the button is back, with the focus kept.
    let release: () => void = () => undefined;
    wired.gate.hold = new Promise<void>((resolve) => (release = resolve));
    await banner.getByRole('button', { name: 'Start converter again' }).click();
    const bannerStarting = banner.getByRole('button', { name: 'Starting…' });
    await expect(bannerStarting).toBeFocused();
    await expect(bannerStarting).toBeDisabled();
    await expect(banner).toContainText("Starting this computer's converter…");
    // The header agrees: they still wait for it (not "Offline", not "retried on its own").
    await expect(state).toHaveText(
      "Converter not running1 job waits until this computer's converter runs again.",
    );
    const boxStarting = box.getByRole('button', { name: 'Starting…' });
    await expect(boxStarting).toBeDisabled();
    await expect(box).toContainText("Starting this computer's converter…");
    await expect.poll(() => forks.length).toBe(5);
    await bannerStarting.click({ force: true });
    // The row agrees while it starts: it still waits for the converter, no "retrying now…".
    await expect(row.locator('.stage')).toHaveText('Waiting');
    await snapViews(page, 'converter-starting');
    expect(forks).toHaveLength(5);
    await forks.at(-1)!.crash();
    wired.gate.hold = null;
    release();
    const why = box.getByTestId('converter-start-failure');
    await expect(why).toHaveText(
      "Starting it again did not work. This computer's converter stopped as it started (exit 1).",
    );
    await expect(why).toHaveRole('alert');
    expect(supervisor.state()).toEqual({
      state: 'failed',
      reason: "This computer's converter stopped as it started (exit 1).",
    });
    await expect(box.getByRole('button').first()).toHaveText('Start converter again');
    await expect(box.getByRole('button').first()).toBeEnabled();
    const bannerStart = banner.getByRole('button', { name: 'Start converter again' });
    await expect(bannerStart).toBeFocused();
    await expect(state).toContainText('Converter not running');
    await expect(row.locator('.stage')).not.toHaveText(/Failed|Done/);
    await snapViews(page, 'converter-start-failed');

    // From the keyboard: the box's first button is the Tab after the top bar. It starts; the
    // box gives way to the line, which takes the focus; the file that waited is converted.
    await page.getByRole('button', { name: /^Account/ }).focus();
    await page.keyboard.press('Tab');
    const boxStart = box.getByRole('button', { name: 'Start converter again' });
    await expect(boxStart).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(box).toHaveText(/^This computer: ffmpeg \d/, STARTED);
    await expect(box).toBeFocused();
    expect(supervisor.state().state).toBe('ready');
    expect(forks).toHaveLength(6);
    await expect(row.locator('.stage')).toHaveText('Done', STARTED);
    await expect(state).toHaveText('All finished');
    await expect(banner).toHaveCount(0);
    expect(core.settings.get().chosenFfmpeg).toBeNull();

    // A manual start begins a fresh count: one more crash within the minute is restarted as
    // any first crash is, not taken for a fifth.
    await forks.at(-1)!.crash();
    await expect.poll(() => supervisor.state().state, STARTED).toBe('ready');
    expect(forks).toHaveLength(7);
    await expect(box).toHaveText(/^This computer: ffmpeg /, STARTED);
  } finally {
    await wired?.harness.close();
    await wired?.core.close();
    await wired?.supervisor.stop();
    await data.cleanup();
    await media.cleanup();
  }
});
