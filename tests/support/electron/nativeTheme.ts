/**
 * The double of `nativeTheme` (docs/api/native-theme.md), as far as the app uses it:
 * - `themeSource` takes only 'system', 'light' or 'dark'; anything else is refused with a
 *   TypeError (shell/browser/api/electron_api_native_theme.cc: the gin converter
 *   `Converter<ui::NativeTheme::ThemeSource>::FromV8` returns false for any other string or
 *   type, and a gin property setter whose argument does not convert throws a TypeError);
 * - `shouldUseDarkColors` is read-only and follows `themeSource`: forced light is false, forced
 *   dark is true, 'system' is what the OS prefers (NativeTheme::ShouldUseDarkColors);
 * - setting `themeSource` emits 'updated' (the docs: "The `updated` event will be emitted"),
 *   and so does a change of the OS's preference (`control.setSystemDark`).
 */
import { EventEmitter } from 'node:events';

const SOURCES = new Set(['system', 'light', 'dark']);

export class NativeThemeDouble extends EventEmitter {
  private source: 'system' | 'light' | 'dark' = 'system';

  constructor(private systemDark: boolean) {
    super();
  }

  get themeSource(): string {
    return this.source;
  }
  set themeSource(value: unknown) {
    if (typeof value !== 'string' || !SOURCES.has(value))
      throw new TypeError(
        `Error processing argument at index 0, conversion failure from ${String(value)}`,
      );
    this.source = value as 'system' | 'light' | 'dark';
    this.emit('updated');
  }

  get shouldUseDarkColors(): boolean {
    if (this.source === 'light') return false;
    if (this.source === 'dark') return true;
    return this.systemDark;
  }
  set shouldUseDarkColors(_value: boolean) {
    // _Readonly_ in the docs: a gin read-only property ignores an assignment in sloppy code
    // and the app's modules are strict, where assigning a getter-only accessor throws.
    throw new TypeError(
      'Cannot set property shouldUseDarkColors of #<NativeTheme> which has only a getter',
    );
  }

  /** The test's hand on the OS: the person switches the system to dark or light. */
  setSystemDark(dark: boolean): void {
    if (dark === this.systemDark) return;
    this.systemDark = dark;
    this.emit('updated');
  }
}
