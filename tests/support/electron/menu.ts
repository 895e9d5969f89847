/**
 * The double of `Menu` and `MenuItem` (docs/api/menu.md, menu-item.md), with Electron's
 * checks, each from its source (Electron's lib/browser/api/menu.ts, menu-item.ts,
 * menu-item-roles.ts; shell/browser/ui/accelerator_util.cc, shell/common/keyboard_util.cc):
 * - buildFromTemplate: not an array → TypeError "Invalid template for Menu: Menu template must
 *   be an array"; an item without an own `label` or `role` and not `type: 'separator'` →
 *   TypeError "Invalid template for MenuItem: must have at least one of label, role or type"
 *   (menu.ts areValidTemplateItems); adjacent and edge separators are dropped
 *   (removeExtraSeparators);
 * - MenuItem: `role` is lower-cased; a role with a default submenu (appMenu, fileMenu,
 *   editMenu, viewMenu, windowMenu) gets it; a `submenu` that is not a Menu is built from its
 *   template (so a non-array submenu throws as above); `type: 'submenu'` without one →
 *   "Invalid submenu"; a type outside normal/separator/submenu/checkbox/radio/header/palette →
 *   "Unknown menu item type: x" (menu-item.ts). Label, accelerator and check state default from
 *   the role (menu-item-roles.ts roleList, per platform);
 * - Menu.setApplicationMenu: anything but a Menu or null → TypeError "Invalid menu" (menu.ts).
 *   It is NOT refused before 'ready': Electron itself sets its default menu on
 *   'will-finish-launching', before ready (lib/browser/init.ts, default-menu.ts).
 * Stricter than Electron, on purpose, where Electron accepts something silently broken:
 * - an unknown role: Electron makes an item with an empty label that does nothing
 *   (menu-item-roles.ts hasRole false), the double throws;
 * - an accelerator that does not parse: Electron logs "Invalid accelerator token" / "doesn't
 *   contain a valid key" and the item has no key (accelerator_util.cc StringToAccelerator), the
 *   double throws. Tokens are Electron's (keyboard_util.cc KeyboardCodeFromKeyIdentifier and
 *   KeyboardCodeFromCharCode; docs/tutorial/keyboard-shortcuts.md), case-insensitive, ASCII only.
 * - `before`/`after` ordering is not modelled: it throws rather than ordering differently.
 */

export type Platform = NodeJS.Platform;

const MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
]);

// keyboard_util.cc KeyboardCodeFromKeyIdentifier (the multi-letter names).
const NAMED_KEYS = new Set([
  'backspace',
  'capslock',
  'delete',
  'down',
  'end',
  'enter',
  'esc',
  'escape',
  ...Array.from({ length: 24 }, (_, i) => `f${i + 1}`),
  'home',
  'insert',
  'left',
  'medianexttrack',
  'mediaplaypause',
  'mediaprevioustrack',
  'mediastop',
  ...Array.from({ length: 10 }, (_, i) => `num${i}`),
  'numadd',
  'numdec',
  'numdiv',
  'numlock',
  'nummult',
  'numsub',
  'pagedown',
  'pageup',
  'plus',
  'printscreen',
  'return',
  'right',
  'scrolllock',
  'space',
  'tab',
  'up',
  'volumedown',
  'volumemute',
  'volumeup',
]);

// keyboard_util.cc KeyboardCodeFromCharCode (one character, lower-cased first).
const CHAR_KEYS = new Set(
  ' !"#$%&()*+,-./0123456789:;<=>?@[\'\\]^_`abcdefghijklmnopqrstuvwxyz{|}~',
);

/** Why Electron would not take this accelerator, or null when it parses. */
export function acceleratorProblem(accelerator: unknown): string | null {
  if (typeof accelerator !== 'string') return 'an accelerator must be a string';
  // accelerator_util.cc: "The accelerator string can only contain ASCII characters".
  if ([...accelerator].some((c) => c.charCodeAt(0) > 0x7f))
    return `The accelerator string can only contain ASCII characters, invalid string: "${accelerator}"`;
  // SplitStringPiece(shortcut, "+", TRIM_WHITESPACE, SPLIT_WANT_NONEMPTY)
  const tokens = accelerator
    .split('+')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  let key = false;
  for (const token of tokens) {
    const t = token.toLowerCase();
    if (MODIFIERS.has(t)) continue;
    if ((t.length === 1 && CHAR_KEYS.has(t)) || (t.length > 1 && NAMED_KEYS.has(t))) {
      key = true;
      continue;
    }
    return `Invalid accelerator token: ${token}`;
  }
  return key ? null : `${accelerator} doesn't contain a valid key`;
}

interface RoleInfo {
  label: string;
  accelerator?: string;
  registerAccelerator?: boolean;
  checked?: boolean;
  submenu?: () => Record<string, unknown>[];
}

/** menu-item-roles.ts roleList, for one platform (labels and keys differ by platform). */
function roleList(platform: Platform, appName: string): Record<string, RoleInfo> {
  const mac = platform === 'darwin';
  const win = platform === 'win32';
  const linux = platform === 'linux';
  return {
    about: { label: linux ? 'About' : `About ${appName}` },
    close: { label: mac ? 'Close Window' : 'Close', accelerator: 'CommandOrControl+W' },
    copy: { label: 'Copy', accelerator: 'CommandOrControl+C', registerAccelerator: false },
    cut: { label: 'Cut', accelerator: 'CommandOrControl+X', registerAccelerator: false },
    delete: { label: 'Delete' },
    forcereload: { label: 'Force Reload', accelerator: 'Shift+CmdOrCtrl+R' },
    front: { label: 'Bring All to Front' },
    help: { label: 'Help' },
    hide: { label: `Hide ${appName}`, accelerator: 'Command+H' },
    hideothers: { label: 'Hide Others', accelerator: 'Command+Alt+H' },
    minimize: { label: 'Minimize', accelerator: 'CommandOrControl+M' },
    paste: { label: 'Paste', accelerator: 'CommandOrControl+V', registerAccelerator: false },
    pasteandmatchstyle: {
      label: 'Paste and Match Style',
      accelerator: mac ? 'Cmd+Option+Shift+V' : 'Shift+CommandOrControl+V',
      registerAccelerator: false,
    },
    quit: {
      label: mac ? `Quit ${appName}` : win ? 'Exit' : 'Quit',
      ...(win ? {} : { accelerator: 'CommandOrControl+Q' }),
    },
    redo: { label: 'Redo', accelerator: win ? 'Control+Y' : 'Shift+CommandOrControl+Z' },
    reload: { label: 'Reload', accelerator: 'CmdOrCtrl+R' },
    resetzoom: { label: 'Actual Size', accelerator: 'CommandOrControl+0' },
    selectall: { label: 'Select All', accelerator: 'CommandOrControl+A' },
    services: { label: 'Services' },
    recentdocuments: { label: 'Open Recent' },
    clearrecentdocuments: { label: 'Clear Menu' },
    showsubstitutions: { label: 'Show Substitutions' },
    togglesmartquotes: { label: 'Smart Quotes' },
    togglesmartdashes: { label: 'Smart Dashes' },
    toggletextreplacement: { label: 'Text Replacement' },
    startspeaking: { label: 'Start Speaking' },
    stopspeaking: { label: 'Stop Speaking' },
    toggledevtools: {
      label: 'Toggle Developer Tools',
      accelerator: mac ? 'Alt+Command+I' : 'Ctrl+Shift+I',
    },
    togglefullscreen: {
      label: 'Toggle Full Screen',
      accelerator: mac ? 'Control+Command+F' : 'F11',
    },
    undo: { label: 'Undo', accelerator: 'CommandOrControl+Z' },
    unhide: { label: 'Show All' },
    window: { label: 'Window' },
    zoom: { label: 'Zoom' },
    zoomin: { label: 'Zoom In', accelerator: 'CommandOrControl+Plus' },
    zoomout: { label: 'Zoom Out', accelerator: 'CommandOrControl+-' },
    togglespellchecker: { label: 'Check Spelling While Typing', checked: false },
    appmenu: {
      label: appName,
      submenu: () => [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    filemenu: { label: 'File', submenu: () => [mac ? { role: 'close' } : { role: 'quit' }] },
    editmenu: {
      label: 'Edit',
      submenu: () => [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    viewmenu: {
      label: 'View',
      submenu: () => [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    windowmenu: {
      label: 'Window',
      submenu: () => [
        { role: 'minimize' },
        { role: 'zoom' },
        ...(mac ? [{ type: 'separator' }, { role: 'front' }] : [{ role: 'close' }]),
      ],
    },
    sharemenu: { label: 'Share', submenu: () => [] },
  };
}

const TYPES = ['normal', 'separator', 'submenu', 'checkbox', 'radio', 'header', 'palette'];
const ORDERING = ['before', 'after', 'beforeGroupContaining', 'afterGroupContaining'];

export interface MenuItemDouble {
  id?: string;
  label: string;
  role: string | null;
  type: string;
  accelerator: string | null;
  registerAccelerator: boolean;
  enabled: boolean;
  visible: boolean;
  checked: boolean;
  submenu: MenuDouble | null;
  /** What a click runs: the item's own click (roles act natively and are recorded). */
  click(): void;
}

export interface MenuModule {
  Menu: {
    new (): MenuDouble;
    buildFromTemplate(template: unknown): MenuDouble;
    setApplicationMenu(menu: unknown): void;
    getApplicationMenu(): MenuDouble | null;
  };
  /** Every menu set with setApplicationMenu, in order (null included). */
  applicationMenus: (MenuDouble | null)[];
  /** Roles clicked (Electron runs them natively; the double records them). */
  rolesRun: string[];
}

export class MenuDouble {
  readonly items: MenuItemDouble[] = [];
  getMenuItemById(id: string): MenuItemDouble | null {
    for (const item of this.items) {
      if (item.id === id) return item;
      const inner = item.submenu?.getMenuItemById(id);
      if (inner) return inner;
    }
    return null;
  }
}

/** Electron's separator folding: adjacent ones become one, those at the edges go. */
function removeExtraSeparators<T extends { type?: unknown; visible?: unknown }>(items: T[]): T[] {
  const folded = items.filter(
    (e, i, arr) =>
      e.visible === false || e.type !== 'separator' || i === 0 || arr[i - 1]?.type !== 'separator',
  );
  return folded.filter(
    (e, i, arr) =>
      e.visible === false || e.type !== 'separator' || (i !== 0 && i !== arr.length - 1),
  );
}

export function createMenuModule(options: { platform: Platform; appName: string }): MenuModule {
  const roles = roleList(options.platform, options.appName);
  const module: MenuModule = {
    Menu: null as unknown as MenuModule['Menu'],
    applicationMenus: [],
    rolesRun: [],
  };
  let applicationMenu: MenuDouble | null = null;

  const makeItem = (raw: Record<string, unknown>): MenuItemDouble => {
    for (const key of ORDERING)
      if (key in raw) throw new Error(`The Electron double does not model '${key}' in menus.`);
    let role: string | null = null;
    if (typeof raw.role === 'string') {
      role = raw.role.toLowerCase();
      if (!Object.hasOwn(roles, role))
        throw new Error(
          `Unknown menu item role '${raw.role}': Electron would show an empty item that does nothing (menu-item-roles.ts).`,
        );
    }
    const info = role ? roles[role] : undefined;
    const submenuSource = raw.submenu ?? info?.submenu?.();
    let submenu: MenuDouble | null = null;
    if (submenuSource != null)
      submenu =
        submenuSource instanceof MenuDouble ? submenuSource : build(submenuSource as unknown);
    let type = raw.type as string | undefined;
    if (type == null && submenu != null) type = 'submenu';
    if (type === 'submenu' && submenu == null) throw new Error('Invalid submenu');
    type ??= info?.checked !== undefined ? 'checkbox' : 'normal';
    if (!TYPES.includes(type)) throw new Error(`Unknown menu item type: ${type}`);
    const accelerator = (raw.accelerator as string | undefined) ?? info?.accelerator ?? null;
    if (accelerator !== null) {
      const problem = acceleratorProblem(accelerator);
      if (problem) throw new Error(`${problem} (menu item ${String(raw.label ?? role)})`);
    }
    const click = raw.click;
    if (click !== undefined && typeof click !== 'function')
      throw new TypeError('A menu item click must be a function.');
    const item: MenuItemDouble = {
      ...(typeof raw.id === 'string' ? { id: raw.id } : {}),
      label: (raw.label as string | undefined) ?? info?.label ?? '',
      role,
      type,
      accelerator,
      registerAccelerator:
        (raw.registerAccelerator as boolean | undefined) ?? info?.registerAccelerator ?? true,
      enabled: (raw.enabled as boolean | undefined) ?? true,
      visible: (raw.visible as boolean | undefined) ?? true,
      checked: (raw.checked as boolean | undefined) ?? false,
      submenu,
      click() {
        // Electron: a disabled item is not activated (TriggerAcceleratorTableCommand checks
        // IsEnabledAt; a disabled native item cannot be chosen).
        if (!item.enabled) throw new Error(`Menu item ${item.label} is disabled.`);
        if (role && role !== 'help') module.rolesRun.push(role);
        else if (typeof click === 'function') (click as (...a: unknown[]) => void)(item, null, {});
      },
    };
    return item;
  };

  function build(template: unknown): MenuDouble {
    if (!Array.isArray(template))
      throw new TypeError('Invalid template for Menu: Menu template must be an array');
    const valid = template.every(
      (item) =>
        item != null &&
        typeof item === 'object' &&
        (Object.hasOwn(item, 'label') ||
          Object.hasOwn(item, 'role') ||
          (item as { type?: unknown }).type === 'separator'),
    );
    if (!valid)
      throw new TypeError(
        'Invalid template for MenuItem: must have at least one of label, role or type',
      );
    const menu = new MenuDouble();
    for (const raw of removeExtraSeparators(template as Record<string, unknown>[]))
      menu.items.push(makeItem(raw));
    return menu;
  }

  class Menu extends MenuDouble {
    static buildFromTemplate(template: unknown): MenuDouble {
      return build(template);
    }
    static setApplicationMenu(menu: unknown): void {
      if (menu && !(menu instanceof MenuDouble)) throw new TypeError('Invalid menu');
      applicationMenu = (menu as MenuDouble | null) ?? null;
      module.applicationMenus.push(applicationMenu);
    }
    static getApplicationMenu(): MenuDouble | null {
      return applicationMenu;
    }
  }
  module.Menu = Menu;
  return module;
}
