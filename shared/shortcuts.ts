/**
 * The app's commands and their keys: one table, read by the app menu (electron/core/menu),
 * the page's key handling (renderer/src/lib/keys.ts) and docs/SHORTCUTS.md (a unit test checks
 * that the document lists exactly these rows). Accelerators use Electron's format
 * (docs/api/accelerator.md): `CmdOrCtrl+O` is Cmd+O on macOS and Ctrl+O elsewhere.
 *
 * `scope` says who handles the key:
 * - 'menu+window': the menu item has the accelerator, and the page handles the key itself (and
 *   calls preventDefault, so Electron does not also run the menu item: menu accelerators only
 *   see keys the page left unhandled);
 * - 'window': only the page handles it. The menu shows the key without registering it
 *   (`registerAccelerator: false`), because a registered Space or Delete would be taken from
 *   every text field;
 * - 'menu': a menu item with no key of its own.
 */

export type ShortcutId =
  | 'add-files'
  | 'add-folder'
  | 'open-output-folder'
  | 'pause-resume'
  | 'stop-after-current'
  | 'retry-failed'
  | 'clear-finished'
  | 'remove-job'
  | 'settings'
  | 'shortcuts'
  | 'docs';

export type ShortcutScope = 'menu+window' | 'window' | 'menu';

export interface Shortcut {
  id: ShortcutId;
  /** Electron accelerator, or null for a menu item without a key. */
  accelerator: string | null;
  /** Other keys the page takes for the same command (not shown in the menu). */
  alternates?: readonly string[];
  /** The menu item's label. */
  label: string;
  /** What it does, in one sentence (docs/SHORTCUTS.md). */
  does: string;
  scope: ShortcutScope;
  /** Where the command runs when chosen from the menu: main itself, or the page. */
  runsIn: 'main' | 'renderer';
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    id: 'add-files',
    accelerator: 'CmdOrCtrl+O',
    label: 'Add Files…',
    does: 'Opens the file dialog; the files chosen are added to the queue.',
    scope: 'menu+window',
    runsIn: 'renderer',
  },
  {
    id: 'add-folder',
    accelerator: null,
    label: 'Add Folder…',
    does: 'Opens the folder dialog; the media in the folder are added to the queue.',
    scope: 'menu',
    runsIn: 'renderer',
  },
  {
    id: 'open-output-folder',
    accelerator: null,
    label: 'Open Output Folder',
    does: 'Opens the folder results are saved in (or shows the latest result next to its source).',
    scope: 'menu',
    runsIn: 'main',
  },
  {
    id: 'pause-resume',
    accelerator: 'Space',
    label: 'Pause / Resume Queue',
    does: 'Pauses the queue, or resumes (starts) it; not while typing in a field or on a button.',
    scope: 'window',
    runsIn: 'renderer',
  },
  {
    id: 'stop-after-current',
    accelerator: null,
    label: 'Stop After Current',
    does: 'Lets running jobs finish and starts no other.',
    scope: 'menu',
    runsIn: 'renderer',
  },
  {
    id: 'retry-failed',
    accelerator: null,
    label: 'Retry Failed',
    does: 'Runs every failed job again.',
    scope: 'menu',
    runsIn: 'renderer',
  },
  {
    id: 'clear-finished',
    accelerator: null,
    label: 'Clear Finished',
    does: 'Takes finished and cancelled jobs off the list (their results stay).',
    scope: 'menu',
    runsIn: 'renderer',
  },
  {
    id: 'remove-job',
    accelerator: 'Delete',
    alternates: ['Backspace'],
    label: 'Remove Job',
    does: 'Removes the focused job when it is waiting or finished; focus moves to the next row.',
    scope: 'window',
    runsIn: 'renderer',
  },
  {
    id: 'settings',
    accelerator: 'CmdOrCtrl+,',
    label: 'Settings…',
    does: 'Opens Settings in the Tools drawer; Escape closes it and returns focus.',
    scope: 'menu+window',
    runsIn: 'renderer',
  },
  {
    id: 'shortcuts',
    accelerator: null,
    label: 'Keyboard Shortcuts',
    does: 'Lists these shortcuts in the window.',
    scope: 'menu',
    runsIn: 'renderer',
  },
  {
    id: 'docs',
    accelerator: null,
    label: 'RenderIO Documentation',
    does: 'Opens the RenderIO documentation in the browser.',
    scope: 'menu',
    runsIn: 'main',
  },
];

/** The only pages Help may open (shell.openExternal sees nothing else). */
export const HELP_URLS = { docs: 'https://renderio.dev/docs' } as const;

export function shortcutById(id: ShortcutId): Shortcut {
  const found = SHORTCUTS.find((s) => s.id === id);
  if (!found) throw new Error(`No shortcut ${id}.`);
  return found;
}

export function isShortcutId(value: unknown): value is ShortcutId {
  return typeof value === 'string' && SHORTCUTS.some((s) => s.id === value);
}

/** Main → renderer: a menu item the page carries out ({ command: ShortcutId }). */
export interface MenuCommandMessage {
  command: ShortcutId;
}

/**
 * An accelerator as a person reads it on this platform ("Ctrl+O", "⌘O" is not used: the
 * words are clearer in a list). CmdOrCtrl becomes Cmd on macOS.
 */
export function displayAccelerator(accelerator: string, mac: boolean): string {
  return accelerator
    .split('+')
    .map((token) => {
      const t = token.toLowerCase();
      if (t === 'cmdorctrl' || t === 'commandorcontrol') return mac ? 'Cmd' : 'Ctrl';
      if (t === 'command' || t === 'cmd') return 'Cmd';
      if (t === 'control') return 'Ctrl';
      return token;
    })
    .join('+');
}

/** The part of a KeyboardEvent a key match reads. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const KEY_NAMES: Record<string, string> = {
  space: ' ',
  delete: 'Delete',
  backspace: 'Backspace',
  enter: 'Enter',
  return: 'Enter',
  esc: 'Escape',
  escape: 'Escape',
  tab: 'Tab',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  plus: '+',
};

/**
 * Whether a key event is this accelerator, with Electron's meaning of the modifiers
 * (CmdOrCtrl: Meta on macOS, Control elsewhere). Modifiers must match exactly, so Ctrl+Space
 * is not Space.
 */
export function matchesAccelerator(event: KeyLike, accelerator: string, mac: boolean): boolean {
  let ctrl = false;
  let meta = false;
  let alt = false;
  let shift = false;
  let key: string | null = null;
  for (const raw of accelerator.split('+')) {
    // 'CmdOrCtrl++' would split into empty tokens; the table never uses it ('Plus' instead).
    const t = raw.toLowerCase();
    if (t === 'cmdorctrl' || t === 'commandorcontrol') {
      if (mac) meta = true;
      else ctrl = true;
    } else if (t === 'ctrl' || t === 'control') ctrl = true;
    else if (t === 'cmd' || t === 'command' || t === 'meta' || t === 'super') meta = true;
    else if (t === 'alt' || t === 'option') alt = true;
    else if (t === 'shift') shift = true;
    else key = KEY_NAMES[t] ?? raw;
  }
  if (key === null) return false;
  if (event.ctrlKey !== ctrl || event.metaKey !== meta || event.altKey !== alt) return false;
  // Shift is part of a printed character (',' vs '<'), so it is checked for named keys only.
  if (key.length > 1 && event.shiftKey !== shift) return false;
  return key.length === 1 ? event.key.toLowerCase() === key.toLowerCase() : event.key === key;
}

/** The shortcut the page handles for this key, if any (scope 'window' or 'menu+window'). */
export function shortcutForKey(event: KeyLike, mac: boolean): Shortcut | null {
  for (const s of SHORTCUTS) {
    if (s.scope === 'menu' || s.accelerator === null) continue;
    const keys = [s.accelerator, ...(s.alternates ?? [])];
    if (keys.some((k) => matchesAccelerator(event, k, mac))) return s;
  }
  return null;
}

const SCOPE_WORDS: Record<ShortcutScope, string> = {
  'menu+window': 'menu and window',
  window: 'window (listed in the menu)',
  menu: 'menu',
};

/** A shortcut as a list shows it: the keys on this platform ('' when it has none). */
export function keysFor(s: Shortcut, mac: boolean): string {
  if (s.accelerator === null) return '';
  return [s.accelerator, ...(s.alternates ?? [])]
    .map((k) => displayAccelerator(k, mac))
    .join(' or ');
}

/** The rows of docs/SHORTCUTS.md's table (a unit test compares them with the document). */
export function shortcutDocRows(): string[][] {
  return SHORTCUTS.map((s) => [
    s.label,
    keysFor(s, false) || '—',
    keysFor(s, true) || '—',
    SCOPE_WORDS[s.scope],
    s.does,
    `\`${s.id}\``,
  ]);
}
