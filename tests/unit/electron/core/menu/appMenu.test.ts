/**
 * The menu template the core builds (electron/core/menu/appMenu.ts) and the controller that
 * keeps it in step with the queue and runs its commands (menuController.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  applyMenuPatches,
  buildAppMenuTemplate,
  menuCommands,
  menuStateOf,
  type AppMenuItem,
  type MenuState,
} from '../../../../../electron/core/menu/appMenu';
import {
  createMenuController,
  isAllowedHelpUrl,
} from '../../../../../electron/core/menu/menuController';
import { MENU_COMMAND_CHANNEL } from '../../../../../shared/ipc/channels';
import type { AggregateProgress, Job, QueuePatch, QueueWindow } from '../../../../../shared/jobs';
import { HELP_URLS, SHORTCUTS } from '../../../../../shared/shortcuts';

const idle: MenuState = menuStateOf({
  paused: false,
  stopAfterRunning: false,
  aggregate: { failed: 0, done: 0, cancelled: 0 },
});

function find(items: readonly AppMenuItem[], id: string): AppMenuItem | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = item.submenu ? find(item.submenu, id) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

function roles(items: readonly AppMenuItem[]): string[] {
  return items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);
}

describe('the app menu template', () => {
  it('offers every command of the shortcut table, with the table’s labels and keys', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const template = buildAppMenuTemplate({ platform, development: false, state: idle });
      expect([...menuCommands(template)].sort()).toEqual(SHORTCUTS.map((s) => s.id).sort());
      expect(find(template, 'add-files')).toMatchObject({
        label: 'Add Files…',
        accelerator: 'CmdOrCtrl+O',
      });
      expect(find(template, 'settings')?.accelerator).toBe('CmdOrCtrl+,');
      // Keys the window handles are shown, not claimed from text fields.
      expect(find(template, 'pause')).toMatchObject({
        accelerator: 'Space',
        registerAccelerator: false,
      });
      expect(find(template, 'remove-job')).toMatchObject({
        accelerator: 'Delete',
        registerAccelerator: false,
      });
      expect(find(template, 'add-files')?.registerAccelerator).toBeUndefined();
    }
  });

  it('has the macOS app and window menus only on macOS, and quits from File elsewhere', () => {
    const mac = buildAppMenuTemplate({ platform: 'darwin', development: false, state: idle });
    const linux = buildAppMenuTemplate({ platform: 'linux', development: false, state: idle });
    expect(mac[0]?.role).toBe('appMenu');
    expect(roles(mac)).toContain('windowMenu');
    expect(roles(mac)).toContain('close');
    expect(roles(mac)).not.toContain('quit');
    expect(roles(linux)).not.toContain('appMenu');
    expect(roles(linux)).toContain('quit');
    // Windows and Linux get Alt+letter access keys on the top-level items.
    expect(linux.map((i) => i.label)).toEqual(['&File', '&Edit', '&Queue', '&View', '&Help']);
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'])
      expect(roles(linux)).toContain(role);
  });

  it('offers reload and developer tools only in development', () => {
    const shipped = roles(
      buildAppMenuTemplate({ platform: 'linux', development: false, state: idle }),
    );
    const dev = roles(buildAppMenuTemplate({ platform: 'linux', development: true, state: idle }));
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) {
      expect(shipped).not.toContain(role);
      expect(dev).toContain(role);
    }
    expect(shipped).toEqual(
      expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']),
    );
  });

  it('enables Pause or Resume (Start after Stop after current) from the queue’s flags', () => {
    const paused = menuStateOf({
      paused: true,
      stopAfterRunning: false,
      aggregate: { failed: 2, done: 1, cancelled: 0 },
    });
    const t = buildAppMenuTemplate({ platform: 'linux', development: false, state: paused });
    expect(find(t, 'pause')?.enabled).toBe(false);
    expect(find(t, 'resume')).toMatchObject({ enabled: true, label: 'Resume' });
    expect(find(t, 'retry-failed')).toMatchObject({ enabled: true, label: 'Retry Failed (2)' });
    expect(find(t, 'clear-finished')?.enabled).toBe(true);
    const stopped = menuStateOf({
      paused: false,
      stopAfterRunning: true,
      aggregate: { failed: 0, done: 0 },
    });
    const s = buildAppMenuTemplate({ platform: 'linux', development: false, state: stopped });
    expect(find(s, 'resume')).toMatchObject({ enabled: true, label: 'Start' });
    expect(find(s, 'stop-after-current')?.enabled).toBe(false);
    const r = buildAppMenuTemplate({ platform: 'linux', development: false, state: idle });
    expect(find(r, 'pause')?.enabled).toBe(true);
    expect(find(r, 'resume')?.enabled).toBe(false);
    expect(find(r, 'retry-failed')?.enabled).toBe(false);
  });
});

/** A queue that reports through the same window/subscribe shape as the core's. */
function fakeQueue(jobs: Partial<Job>[] = []) {
  const listeners = new Set<(p: QueuePatch[]) => void>();
  const aggregate: AggregateProgress = { total: 0, done: 0, failed: 0, active: 0, fraction: null };
  return {
    window: (): QueueWindow => ({
      paused: false,
      stopAfterRunning: false,
      offline: null,
      total: jobs.length,
      offset: 0,
      jobs: [],
      aggregate,
    }),
    snapshot: () => ({ jobs: jobs as Job[] }),
    subscribe(listener: (p: QueuePatch[]) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (patches: QueuePatch[]) => listeners.forEach((l) => l(patches)),
    listeners,
  };
}

function controllerWith(options: { outputDir?: string | null; jobs?: Partial<Job>[] } = {}) {
  const queue = fakeQueue(options.jobs);
  const applied: AppMenuItem[][] = [];
  const sent: { channel: string; payload: unknown }[] = [];
  const calls: string[] = [];
  const controller = createMenuController({
    queue,
    settings: { get: () => ({ outputDir: options.outputDir ?? null }) },
    shell: {
      openPath: async (p) => (calls.push(`open ${p}`), ''),
      showItemInFolder: (p) => void calls.push(`reveal ${p}`),
      openExternal: async (u) => void calls.push(`external ${u}`),
    },
    push: { send: (channel, payload) => void sent.push({ channel, payload }) },
    apply: (t) => void applied.push(t),
    platform: 'linux',
    development: false,
  });
  return { controller, queue, applied, sent, calls };
}

describe('the menu controller', () => {
  it('rebuilds the menu only when what it offers changes, not on progress ticks', () => {
    const { controller, queue, applied } = controllerWith();
    expect(applied).toHaveLength(1);
    queue.emit([
      { type: 'progress', id: 'a', stage: 'uploading', progress: {} as never },
      { type: 'aggregate', aggregate: { total: 1, done: 0, failed: 0, active: 1, fraction: 0.2 } },
    ]);
    expect(applied).toHaveLength(1);
    queue.emit([{ type: 'queue', paused: true, stopAfterRunning: false, offline: null }]);
    expect(applied).toHaveLength(2);
    expect(find(applied[1] ?? [], 'resume')?.enabled).toBe(true);
    expect(controller.state().canPause).toBe(false);
    queue.emit([
      { type: 'aggregate', aggregate: { total: 1, done: 0, failed: 1, active: 0, fraction: null } },
    ]);
    expect(applied).toHaveLength(3);
    expect(find(applied[2] ?? [], 'retry-failed')?.enabled).toBe(true);
    controller.dispose();
    expect(queue.listeners.size).toBe(0);
  });

  it('sends the page’s commands over the menu push channel, typed by the table', async () => {
    const { controller, sent, calls } = controllerWith();
    for (const id of ['add-files', 'pause-resume', 'settings', 'remove-job'] as const)
      await controller.run(id);
    expect(sent).toEqual(
      ['add-files', 'pause-resume', 'settings', 'remove-job'].map((command) => ({
        channel: MENU_COMMAND_CHANNEL,
        payload: { command },
      })),
    );
    expect(calls).toEqual([]);
  });

  it('opens the documentation only at its allowlisted https address', async () => {
    const { controller, calls, sent } = controllerWith();
    await controller.run('docs');
    expect(calls).toEqual([`external ${HELP_URLS.docs}`]);
    expect(sent).toEqual([]);
    expect(isAllowedHelpUrl(HELP_URLS.docs)).toBe(true);
    expect(isAllowedHelpUrl('https://evil.example/docs')).toBe(false);
    expect(isAllowedHelpUrl('http://renderio.dev/docs')).toBe(false);
  });

  it('opens the output folder in main, or the newest result, or asks the page to say why not', async () => {
    const chosen = controllerWith({ outputDir: '/tmp/out' });
    await chosen.controller.run('open-output-folder');
    expect(chosen.calls).toEqual(['open /tmp/out']);

    const beside = controllerWith({
      jobs: [
        { stage: 'done', outputPaths: ['/a/old.webm'] },
        { stage: 'done', outputPaths: ['/b/new.webm'] },
        { stage: 'failed', outputPaths: [] },
      ],
    });
    await beside.controller.run('open-output-folder');
    expect(beside.calls).toEqual(['reveal /b/new.webm']);

    const none = controllerWith();
    await none.controller.run('open-output-folder');
    expect(none.calls).toEqual([]);
    expect(none.sent).toEqual([
      { channel: MENU_COMMAND_CHANNEL, payload: { command: 'open-output-folder' } },
    ]);
  });

  it('moves its facts with flag and aggregate patches only', () => {
    const facts = applyMenuPatches(
      { paused: false, stopAfterRunning: false, aggregate: { failed: 0, done: 0 } },
      [
        { type: 'remove', ids: ['x'] },
        { type: 'queue', paused: false, stopAfterRunning: true, offline: null },
      ],
    );
    expect(facts).toMatchObject({ paused: false, stopAfterRunning: true });
  });
});
