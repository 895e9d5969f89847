/**
 * Keeps the application menu in step with the queue and carries out its commands (plain
 * Node, no `electron` import). Commands main owns run here (Open Output Folder, the
 * documentation link); the rest go to the page over the menu push channel, so a menu click
 * and the page's key run the same code there (renderer/src/lib/commands.ts), with its notices
 * and focus handling.
 */
import type { Job, QueuePatch, QueueWindow } from '../../../shared/jobs';
import { MENU_COMMAND_CHANNEL } from '../../../shared/ipc/channels';
import {
  HELP_URLS,
  shortcutById,
  type MenuCommandMessage,
  type ShortcutId,
} from '../../../shared/shortcuts';
import {
  applyMenuPatches,
  buildAppMenuTemplate,
  menuStateOf,
  sameMenuState,
  type AppMenuItem,
  type MenuFacts,
  type MenuState,
} from './appMenu';

export interface MenuControllerPorts {
  queue: {
    window(offset: number, limit: number): QueueWindow;
    /** Every job (only read on Open Output Folder, never on a tick). */
    snapshot(): { jobs: Job[] };
    subscribe(listener: (patches: QueuePatch[]) => void): () => void;
  };
  settings: { get(): { outputDir: string | null } | Promise<{ outputDir: string | null }> };
  shell: {
    openPath(path: string): Promise<string>;
    showItemInFolder(path: string): void | Promise<void>;
    openExternal(url: string): Promise<void>;
  };
  /** Where page commands go: the window's webContents.send in the app. */
  push: { send(channel: string, payload: unknown): void };
  /** Sets the menu (Menu.buildFromTemplate + setApplicationMenu in the adapter). */
  apply(template: AppMenuItem[]): void;
  platform: NodeJS.Platform;
  development: boolean;
  onError?(line: string): void;
}

export interface MenuController {
  /** What a click on an item with `command` does. */
  run(command: ShortcutId): Promise<void>;
  /** The state the menu shows now (for tests). */
  state(): MenuState;
  dispose(): void;
}

/** The only URLs Help opens: fixed https pages of RenderIO. */
export function isAllowedHelpUrl(url: string): boolean {
  return (Object.values(HELP_URLS) as string[]).includes(url) && url.startsWith('https://');
}

export function createMenuController(ports: MenuControllerPorts): MenuController {
  const first = ports.queue.window(0, 0);
  let facts: MenuFacts = {
    paused: first.paused,
    stopAfterRunning: first.stopAfterRunning,
    aggregate: first.aggregate,
  };
  let shown = menuStateOf(facts);
  const build = (): void =>
    ports.apply(
      buildAppMenuTemplate({
        platform: ports.platform,
        development: ports.development,
        state: shown,
      }),
    );
  build();
  const stop = ports.queue.subscribe((patches) => {
    facts = applyMenuPatches(facts, patches);
    const next = menuStateOf(facts);
    // Progress ticks change nothing the menu shows: it is rebuilt only when an item would.
    if (sameMenuState(next, shown)) {
      shown = next;
      return;
    }
    shown = next;
    build();
  });

  const toPage = (command: ShortcutId): void => {
    const message: MenuCommandMessage = { command };
    ports.push.send(MENU_COMMAND_CHANNEL, message);
  };

  const openOutputFolder = async (): Promise<void> => {
    const { outputDir } = await ports.settings.get();
    if (outputDir) {
      const problem = await ports.shell.openPath(outputDir);
      if (!problem) return;
      ports.onError?.(`[menu] the output folder could not be opened: ${problem}`);
    } else {
      // Results go next to each source: show the newest one there.
      const jobs = ports.queue.snapshot().jobs;
      for (let i = jobs.length - 1; i >= 0; i--) {
        const output = jobs[i]?.stage === 'done' ? jobs[i]?.outputPaths[0] : undefined;
        if (output) {
          await ports.shell.showItemInFolder(output);
          return;
        }
      }
    }
    // Nothing to open: the page says why.
    toPage('open-output-folder');
  };

  return {
    async run(command) {
      const entry = shortcutById(command);
      if (entry.runsIn === 'renderer') {
        toPage(command);
        return;
      }
      if (command === 'open-output-folder') await openOutputFolder();
      else if (command === 'docs') {
        const url = HELP_URLS.docs;
        if (!isAllowedHelpUrl(url)) throw new Error('Only the documentation page can be opened.');
        await ports.shell.openExternal(url);
      }
    },
    state: () => shown,
    dispose: stop,
  };
}
