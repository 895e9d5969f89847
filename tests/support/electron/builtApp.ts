/**
 * Runs the BUILT app (dist/main/main.mjs and dist/preload/preload.cjs, as `npm run build`
 * makes them) under the Electron double: a copy of dist/ beside a stand-in
 * node_modules/electron, so the bundle's own `import … from 'electron'` resolves to the double;
 * then app ready, the window, and the preload run in the page's world. The page side is the
 * renderer's own createRendererApi over what the preload exposed, as in the app.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createRendererApi,
  type RendererApi,
  type RenderioWindowApi,
} from '../../../shared/ipc/rendererApi';
import { createElectronDouble, type ElectronDouble, type ElectronDoubleOptions } from './index';
import type { BrowserWindowDouble } from './windows';

const GLOBAL_KEY = '__renderioElectronDouble';
const DIST = resolve('dist');

export function builtBundlesExist(): boolean {
  return (
    existsSync(join(DIST, 'main/main.mjs')) &&
    existsSync(join(DIST, 'preload/preload.cjs')) &&
    existsSync(join(DIST, 'renderer/index.html'))
  );
}

/** The stand-in module: every export comes from the double the test installed. */
const STAND_IN = `const d = globalThis.${GLOBAL_KEY};
if (!d) throw new Error('No Electron double is installed (tests/support/electron/builtApp.ts).');
export const { app, BrowserWindow, ipcMain, net, session, protocol, dialog, shell, clipboard, safeStorage, Notification, utilityProcess, Menu, nativeImage, nativeTheme } = d;
export default d;
`;

export interface RunningBuiltApp {
  double: ElectronDouble;
  win: BrowserWindowDouble;
  /** The page's window object: what the preload exposed on it. */
  world: Record<string, unknown>;
  /** The renderer's own API, built in the page's world over window.renderio. */
  api: RendererApi;
  bridge: RenderioWindowApi<File>;
  /** app.quit() as the person would, waiting for the app to let the process end. */
  quit(): Promise<void>;
}

export interface BuiltAppOptions {
  /** A temp folder for the copy of dist/ and the stand-in module. */
  dir: string;
  double: Omit<ElectronDoubleOptions, 'userData'>;
  /** Set in process.env while main.mjs is imported (it takes the RenderIO variables at once). */
  env?: Record<string, string>;
  /** Called after import, before ready: what a test checks of the start-up order. */
  beforeReady?(double: ElectronDouble): void;
}

/**
 * Imports the built main under the double and makes the app ready; resolves once it opened a
 * window or ended (a start-up failure: the double's errorBoxes and app end say how).
 */
export async function launchBuiltApp(options: BuiltAppOptions): Promise<ElectronDouble> {
  const standIn = join(options.dir, 'node_modules/electron');
  await mkdir(standIn, { recursive: true });
  await writeFile(
    join(standIn, 'package.json'),
    JSON.stringify({ name: 'electron', type: 'module', main: 'index.mjs' }),
  );
  await writeFile(join(standIn, 'index.mjs'), STAND_IN);
  await cp(DIST, join(options.dir, 'dist'), { recursive: true });

  const double = createElectronDouble({
    ...options.double,
    userData: join(options.dir, 'userData'),
  });
  const g = globalThis as Record<string, unknown>;
  g[GLOBAL_KEY] = double.main;
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(options.env ?? {})) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    await import(pathToFileURL(join(options.dir, 'dist/main/main.mjs')).href);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  options.beforeReady?.(double);
  double.control.emitReady();
  // Start-up awaits the core (and the local engine) before it opens the window.
  for (let i = 0; i < 400 && double.control.windows.length === 0; i++) {
    if (double.control.app.end.ended) break;
    await sleep(25);
  }
  return double;
}

export async function startBuiltApp(options: BuiltAppOptions): Promise<RunningBuiltApp> {
  const double = await launchBuiltApp(options);
  if (double.control.errorBoxes.length > 0)
    throw new Error(`The app could not start: ${JSON.stringify(double.control.errorBoxes)}`);
  const win = double.control.windows[0];
  if (!win) throw new Error('The app opened no window.');
  const preload = await readFile(join(options.dir, 'dist/preload/preload.cjs'), 'utf8');
  const world = double.loadPage(win, preload);
  const bridge = world.renderio as RenderioWindowApi<File>;
  const api = createRendererApi(bridge);

  return {
    double,
    win,
    world,
    api,
    bridge,
    async quit() {
      double.control.app.quit();
      for (let i = 0; i < 400 && !double.control.app.end.ended; i++) await sleep(25);
      double.control.dispose();
    },
  };
}
