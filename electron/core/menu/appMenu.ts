/**
 * The application menu as plain data (no `electron` import): the shape of Electron's
 * MenuItemConstructorOptions without `click`; an item that runs one of the app's commands
 * names it in `command`, and the thin adapter (electron/main/menu.ts) gives it its click.
 * Labels and keys come from shared/shortcuts.ts; roles keep Edit, zoom, full screen and the
 * macOS app menu native. What a menu item can do now (Pause or Resume) comes from the queue's
 * flags and counts (menuStateOf), and a change rebuilds the menu.
 */
import { shortcutById, type ShortcutId } from '../../../shared/shortcuts';
import type { AggregateProgress, QueueFlags, QueuePatch } from '../../../shared/jobs';

/** Roles the app uses (a subset of electron.d.ts MenuItemConstructorOptions['role']). */
export type AppMenuRole =
  | 'appMenu'
  | 'windowMenu'
  | 'help'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

export interface AppMenuItem {
  id?: string;
  label?: string;
  role?: AppMenuRole;
  type?: 'normal' | 'separator' | 'submenu';
  accelerator?: string;
  /** false: the key is shown but left to the page (Space, Delete). */
  registerAccelerator?: boolean;
  enabled?: boolean;
  submenu?: AppMenuItem[];
  /** The app command a click runs (the adapter turns it into `click`). */
  command?: ShortcutId;
}

/** What the Queue menu may offer now. */
export interface MenuState {
  /** Pause is offered; otherwise Resume (or Start, after "Stop after current"). */
  canPause: boolean;
  /** 'Start' after Stop after current, else 'Resume'. */
  resumeWord: 'Resume' | 'Start';
  canStopAfterCurrent: boolean;
  failed: number;
  finished: number;
}

export interface MenuFacts extends Pick<QueueFlags, 'paused' | 'stopAfterRunning'> {
  aggregate: Pick<AggregateProgress, 'failed' | 'done' | 'cancelled'>;
}

export function menuStateOf(facts: MenuFacts): MenuState {
  const held = facts.paused || facts.stopAfterRunning;
  return {
    canPause: !held,
    resumeWord: !facts.paused && facts.stopAfterRunning ? 'Start' : 'Resume',
    canStopAfterCurrent: !held,
    failed: facts.aggregate.failed,
    finished: facts.aggregate.done + (facts.aggregate.cancelled ?? 0),
  };
}

/** The facts moved on by a batch of patches (only flags and the aggregate matter here). */
export function applyMenuPatches(facts: MenuFacts, patches: readonly QueuePatch[]): MenuFacts {
  let next = facts;
  for (const p of patches) {
    if (p.type === 'queue')
      next = { ...next, paused: p.paused, stopAfterRunning: p.stopAfterRunning };
    else if (p.type === 'aggregate') next = { ...next, aggregate: p.aggregate };
  }
  return next;
}

/** Whether two states would build different menus (so a progress tick rebuilds nothing). */
export function sameMenuState(a: MenuState, b: MenuState): boolean {
  return (
    a.canPause === b.canPause &&
    a.resumeWord === b.resumeWord &&
    a.canStopAfterCurrent === b.canStopAfterCurrent &&
    a.failed > 0 === b.failed > 0 &&
    a.finished > 0 === b.finished > 0
  );
}

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Reload and developer tools are offered only in development (an unpackaged app). */
  development: boolean;
  state: MenuState;
}

function commandItem(id: ShortcutId, extra: Partial<AppMenuItem> = {}): AppMenuItem {
  const s = shortcutById(id);
  const item: AppMenuItem = { id, label: s.label, command: id, ...extra };
  if (s.accelerator !== null) {
    item.accelerator = s.accelerator;
    if (s.scope === 'window') item.registerAccelerator = false;
  }
  return item;
}

const separator: AppMenuItem = { type: 'separator' };

export function buildAppMenuTemplate(options: AppMenuOptions): AppMenuItem[] {
  const mac = options.platform === 'darwin';
  const { state } = options;
  const file: AppMenuItem = {
    label: mac ? 'File' : '&File',
    submenu: [
      commandItem('add-files'),
      commandItem('add-folder'),
      separator,
      commandItem('open-output-folder'),
      separator,
      // macOS quits from the app menu; File ends with Close Window there.
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: AppMenuItem = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const pauseResume = shortcutById('pause-resume');
  const queue: AppMenuItem = {
    label: mac ? 'Queue' : '&Queue',
    submenu: [
      // Space toggles; the menu names the one thing it does now, the other stays visible.
      commandItem('pause-resume', {
        id: 'pause',
        label: 'Pause',
        enabled: state.canPause,
      }),
      {
        id: 'resume',
        label: state.resumeWord,
        command: 'pause-resume',
        enabled: !state.canPause,
        ...(pauseResume.accelerator ? { accelerator: pauseResume.accelerator } : {}),
        registerAccelerator: false,
      },
      commandItem('stop-after-current', { enabled: state.canStopAfterCurrent }),
      separator,
      commandItem('retry-failed', {
        label: state.failed > 0 ? `Retry Failed (${state.failed})` : 'Retry Failed',
        enabled: state.failed > 0,
      }),
      commandItem('remove-job'),
      commandItem('clear-finished', { enabled: state.finished > 0 }),
    ],
  };
  const view: AppMenuItem = {
    label: mac ? 'View' : '&View',
    submenu: [
      commandItem('settings'),
      separator,
      ...(options.development
        ? [
            { role: 'reload' } as AppMenuItem,
            { role: 'forceReload' } as AppMenuItem,
            { role: 'toggleDevTools' } as AppMenuItem,
            separator,
          ]
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const help: AppMenuItem = {
    role: 'help',
    label: mac ? 'Help' : '&Help',
    submenu: [commandItem('shortcuts'), commandItem('docs')],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as AppMenuItem] : []),
    file,
    edit,
    queue,
    view,
    ...(mac ? [{ role: 'windowMenu' } as AppMenuItem] : []),
    help,
  ];
}

/** Every command of the table that the menu offers (a test checks none is left out). */
export function menuCommands(template: readonly AppMenuItem[]): Set<ShortcutId> {
  const found = new Set<ShortcutId>();
  const walk = (items: readonly AppMenuItem[]): void => {
    for (const item of items) {
      if (item.command) found.add(item.command);
      if (item.submenu) walk(item.submenu);
    }
  };
  walk(template);
  return found;
}
