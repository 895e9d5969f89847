/**
 * The application menu's thin Electron half: the core's plain template
 * (electron/core/menu/appMenu.ts) becomes MenuItemConstructorOptions, each item with a
 * `command` gets a click that runs it, and the menu is set for the app.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppMenuItem } from '../core/menu/appMenu';
import type { ShortcutId } from '../../shared/shortcuts';

export function toMenuOptions(
  items: readonly AppMenuItem[],
  run: (command: ShortcutId) => void,
): MenuItemConstructorOptions[] {
  return items.map(({ command, submenu, ...rest }) => {
    const options: MenuItemConstructorOptions = { ...rest };
    if (submenu) options.submenu = toMenuOptions(submenu, run);
    if (command) options.click = () => run(command);
    return options;
  });
}

export function setApplicationMenu(
  items: readonly AppMenuItem[],
  run: (command: ShortcutId) => void,
): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(toMenuOptions(items, run)));
}
