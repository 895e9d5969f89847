/**
 * Menu, nativeImage and webContents.startDrag under the strict double
 * (tests/support/electron/menu.ts, nativeImage.ts, windows.ts): each rule of Electron's is
 * refused as Electron refuses it, citing its source; then the app's own pieces run under it:
 * the menu the core builds (electron/core/menu/appMenu.ts) through the adapter
 * (electron/main/menu.ts) for Linux, Windows and macOS, and the results' drag-out through the
 * shell adapter (electron/adapters/shell.ts).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildAppMenuTemplate, menuStateOf } from '../../../../electron/core/menu/appMenu';
import { SHORTCUTS, type ShortcutId } from '../../../../shared/shortcuts';
import {
  createMenuModule,
  type MenuDouble,
  type MenuItemDouble,
} from '../../../support/electron/menu';
import { NativeImageDouble, nativeImageDouble } from '../../../support/electron/nativeImage';
import type { BrowserWindowDouble } from '../../../support/electron/windows';

// The adapters import 'electron': they get the strict double, made ready.
const { double } = await vi.hoisted(async () => {
  const { createElectronDouble } = await import('../../../support/electron/index');
  const made = createElectronDouble({ userData: '/tmp/renderio-menu-double' });
  return { double: made };
});
vi.mock('electron', () => double.main);
const { setApplicationMenu, toMenuOptions } = await import('../../../../electron/main/menu');
const { createShell } = await import('../../../../electron/adapters/shell');

const state = menuStateOf({
  paused: false,
  stopAfterRunning: false,
  aggregate: { failed: 1, done: 1, cancelled: 0 },
});

function walk(menu: MenuDouble): MenuItemDouble[] {
  return menu.items.flatMap((i) => [i, ...(i.submenu ? walk(i.submenu) : [])]);
}

/** A key as Electron compares them: case-insensitive, CmdOrCtrl spelled one way, any order. */
function normalize(accelerator: string, mac: boolean): string {
  return accelerator
    .toLowerCase()
    .split('+')
    .map((t) => {
      if (t === 'commandorcontrol' || t === 'cmdorctrl') return mac ? 'cmd' : 'ctrl';
      if (t === 'command') return 'cmd';
      if (t === 'control') return 'ctrl';
      if (t === 'option') return 'alt';
      return t;
    })
    .sort()
    .join('+');
}

describe('Menu in the double refuses what Electron refuses', () => {
  const { Menu } = createMenuModule({ platform: 'linux', appName: 'RenderIO' });

  // lib/browser/api/menu.ts buildFromTemplate
  it('a template that is not an array, or an item without label, role or separator type', () => {
    expect(() => Menu.buildFromTemplate({ label: 'File' })).toThrow(
      'Invalid template for Menu: Menu template must be an array',
    );
    expect(() => Menu.buildFromTemplate([{ type: 'normal' }])).toThrow(
      'Invalid template for MenuItem: must have at least one of label, role or type',
    );
    expect(() => Menu.buildFromTemplate([null])).toThrow(TypeError);
    expect(() => Menu.buildFromTemplate([{ label: 'File', submenu: { label: 'x' } }])).toThrow(
      'Menu template must be an array',
    );
  });

  // lib/browser/api/menu-item.ts
  it('an unknown type, and a submenu item without a submenu', () => {
    expect(() => Menu.buildFromTemplate([{ label: 'x', type: 'button' }])).toThrow(
      'Unknown menu item type: button',
    );
    expect(() => Menu.buildFromTemplate([{ label: 'x', type: 'submenu' }])).toThrow(
      'Invalid submenu',
    );
  });

  // menu-item-roles.ts: an unknown role is an empty, dead item in Electron; refused here.
  it('an unknown role; a known one in any case takes its label and key', () => {
    expect(() => Menu.buildFromTemplate([{ role: 'selectEverything' }])).toThrow(
      /Unknown menu item role/,
    );
    const menu = Menu.buildFromTemplate([{ role: 'selectAll' }, { role: 'editMenu' }]);
    expect(menu.items[0]).toMatchObject({ role: 'selectall', label: 'Select All' });
    expect(menu.items[0]?.accelerator).toBe('CommandOrControl+A');
    expect(menu.items[1]?.type).toBe('submenu');
    expect(menu.items[1]?.submenu?.items.map((i) => i.role)).toContain('undo');
  });

  // accelerator_util.cc / keyboard_util.cc: Electron logs and drops these; refused here.
  it('an accelerator Electron cannot parse', () => {
    for (const bad of ['CmdOrCtrl+Spacebar', 'Ctrl+Shift', 'Ctrl+é', 'Hyper+O'])
      expect(() => Menu.buildFromTemplate([{ label: 'x', accelerator: bad }]), bad).toThrow();
    for (const good of ['CmdOrCtrl+O', 'CmdOrCtrl+,', 'Space', 'Delete', 'Shift+F10', 'Alt+Plus'])
      expect(() => Menu.buildFromTemplate([{ label: 'x', accelerator: good }])).not.toThrow();
  });

  // menu.ts removeExtraSeparators; setApplicationMenu's TypeError
  it('folds separators, and setApplicationMenu takes only a Menu or null', () => {
    const menu = Menu.buildFromTemplate([
      { type: 'separator' },
      { label: 'a' },
      { type: 'separator' },
      { type: 'separator' },
      { label: 'b' },
      { type: 'separator' },
    ]);
    expect(menu.items.map((i) => i.type)).toEqual(['normal', 'separator', 'normal']);
    expect(() => Menu.setApplicationMenu({ items: [] })).toThrow('Invalid menu');
    expect(() => Menu.setApplicationMenu(null)).not.toThrow();
    expect(() => Menu.setApplicationMenu(menu)).not.toThrow();
    expect(Menu.getApplicationMenu()).toBe(menu);
  });
});

describe('the app menu under the double', () => {
  it('builds for Linux, Windows and macOS, in development and shipped, with no key claimed twice', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      for (const development of [false, true]) {
        const { Menu } = createMenuModule({ platform, appName: 'RenderIO' });
        const template = buildAppMenuTemplate({ platform, development, state });
        const menu = Menu.buildFromTemplate(toMenuOptions(template, () => undefined));
        const items = walk(menu);
        const claimed = new Map<string, string>();
        for (const item of items) {
          if (!item.accelerator || !item.registerAccelerator) continue;
          const key = normalize(item.accelerator, platform === 'darwin');
          expect(
            claimed.get(key),
            `${platform}: ${item.label} and ${claimed.get(key)}`,
          ).toBeUndefined();
          claimed.set(key, item.label);
        }
        // The table's own keys are among them (menu+window ones registered, window ones shown).
        for (const s of SHORTCUTS) {
          if (!s.accelerator) continue;
          const shown = items.find((i) => i.accelerator === s.accelerator);
          expect(shown, `${platform} ${s.id}`).toBeDefined();
          expect(shown?.registerAccelerator).toBe(s.scope !== 'window');
        }
        // Space and Delete are never claimed from text fields.
        expect(claimed.has('space')).toBe(false);
        expect(claimed.has('delete')).toBe(false);
      }
    }
  });

  it('is set through the adapter, and a click runs the item’s command', () => {
    const ran: ShortcutId[] = [];
    const template = buildAppMenuTemplate({ platform: 'linux', development: false, state });
    setApplicationMenu(template, (c) => ran.push(c));
    const menu = double.control.menu.applicationMenus.at(-1);
    expect(menu).toBeTruthy();
    menu?.getMenuItemById('add-files')?.click();
    menu?.getMenuItemById('retry-failed')?.click();
    menu?.getMenuItemById('pause')?.click();
    expect(ran).toEqual(['add-files', 'retry-failed', 'pause-resume']);
    // Resume is disabled while the queue runs: Electron does not activate it.
    expect(() => menu?.getMenuItemById('resume')?.click()).toThrow(/disabled/);
    expect(ran).toHaveLength(3);
  });
});

describe('startDrag and nativeImage in the double', () => {
  const PNG =
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAJUlEQVR4nGNgoCawcYv6TwzGa8CHT9/w4lEDRg0YKQZQlJnIAQCWkMJUErlEXgAAAABJRU5ErkJggg==';

  function win(): BrowserWindowDouble {
    if (!double.control.app.isReady()) double.control.emitReady();
    const BrowserWindow = double.main.BrowserWindow;
    return new BrowserWindow({});
  }

  // electron_api_native_image.cc CreateFromDataURL: png/jpeg decoded, else empty
  it('decodes a PNG data URL; anything else is an empty image', () => {
    expect(nativeImageDouble.createFromDataURL(PNG).getSize()).toEqual({ width: 16, height: 16 });
    expect(nativeImageDouble.createFromDataURL('data:image/png;base64,AAAA').isEmpty()).toBe(true);
    expect(nativeImageDouble.createFromDataURL('data:image/gif;base64,R0lGOD').isEmpty()).toBe(
      true,
    );
    expect(nativeImageDouble.createEmpty().isEmpty()).toBe(true);
  });

  // electron_api_web_contents.cc StartDrag; electron_api_native_image.cc TryConvertNativeImage
  it('refuses a drag without an icon, with an empty or unloadable one, or without a file', async () => {
    const w = win();
    const icon = nativeImageDouble.createFromDataURL(PNG);
    expect(() => w.webContents.startDrag({ file: '/tmp/a.webm' })).toThrow(
      "'icon' parameter is required",
    );
    expect(() =>
      w.webContents.startDrag({ file: '/tmp/a.webm', icon: nativeImageDouble.createEmpty() }),
    ).toThrow(/empty image/);
    expect(() => w.webContents.startDrag({ file: '/tmp/a.webm', icon: 42 })).toThrow(
      'Argument must be a file path or a NativeImage',
    );
    const dir = await mkdtemp(join(tmpdir(), 'drag-icon-'));
    await writeFile(join(dir, 'not.png'), 'text');
    expect(() =>
      w.webContents.startDrag({ file: '/tmp/a.webm', icon: join(dir, 'not.png') }),
    ).toThrow(/Failed to load image from path/);
    expect(() => w.webContents.startDrag({ icon })).toThrow(
      "Must specify either 'file' or 'files' option",
    );
    expect(() => w.webContents.startDrag({ files: [], file: '/tmp/a.webm', icon })).toThrow(
      "Must specify either 'file' or 'files' option",
    );
    w.webContents.startDrag({ files: ['/tmp/a.webm', '/tmp/b.webm'], icon });
    expect(w.webContents.drags).toEqual([['/tmp/a.webm', '/tmp/b.webm']]);
    expect(icon).toBeInstanceOf(NativeImageDouble);
  });

  it('the app’s drag-out (shell adapter) starts a drag the strict double accepts', () => {
    const w = win();
    const shell = createShell(() => w as never);
    shell.startDrag('/tmp/results/clip-webm.webm');
    expect(w.webContents.drags).toEqual([['/tmp/results/clip-webm.webm']]);
  });
});
