/**
 * The Tools button in the top bar and the drawer it opens: Presets, Profiles, Settings and
 * Watch folders, one at a time. Escape or Close returns focus to the button.
 */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { useToolsStore, type ToolName } from '../../store/toolsStore';
import { afterPaint } from '../../lib/afterPaint';
import { LazyFallback } from '../LazyFallback';
import { applyTheme, toolIntent } from './toolsActions';
import '../../styles/tools.css';

// One chunk for the four panels, loaded when the drawer first opens.
const panels = () => import('./toolPanels');
const PresetEditor = lazy(() => panels().then((m) => ({ default: m.PresetEditor })));
const ProfileManager = lazy(() => panels().then((m) => ({ default: m.ProfileManager })));
const SettingsPanel = lazy(() => panels().then((m) => ({ default: m.SettingsPanel })));
const WatchFolders = lazy(() => panels().then((m) => ({ default: m.WatchFolders })));

const TOOLS: { name: ToolName; label: string }[] = [
  { name: 'presets', label: 'Presets' },
  { name: 'profiles', label: 'Profiles' },
  { name: 'settings', label: 'Settings' },
  { name: 'watch', label: 'Watch folders' },
];

export function ToolsMenu() {
  const open = useToolsStore((s) => s.open);
  const setOpen = useToolsStore((s) => s.setOpen);
  const message = useToolsStore((s) => s.message);
  const button = useRef<HTMLButtonElement>(null);
  const drawer = useRef<HTMLElement>(null);
  const focusInside = useToolsStore((s) => s.focusInside);
  // Opened by a key or the menu (Ctrl/Cmd+,): the open tab takes the focus, once.
  useEffect(() => {
    if (!open || !focusInside) return;
    drawer.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
    useToolsStore.setState({ focusInside: false });
  }, [open, focusInside]);
  useEffect(() => {
    // The saved theme applies from the start, not only once Settings is opened (theme-boot.js
    // painted the one cached last time; this checks it after the first frame).
    afterPaint(
      () => void toolIntent((api) => api.appSettings.get()).then((s) => s && applyTheme(s.theme)),
    );
  }, []);
  const close = () => {
    // Back to what opened it: the Tools button, or where the person was when a key did.
    const back = useToolsStore.getState().returnTo;
    setOpen(null);
    (back?.isConnected ? back : button.current)?.focus();
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        className="tools-toggle"
        aria-expanded={open !== null}
        aria-controls="tools-drawer"
        onClick={() => setOpen(open ? null : 'presets')}
      >
        Tools
      </button>
      {open && (
        // A section, not an aside: role="dialog" is not allowed on <aside> (ARIA in HTML).
        <section
          ref={drawer}
          id="tools-drawer"
          className="tools-drawer"
          role="dialog"
          aria-label="Tools"
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <div className="tools-head">
            <div role="tablist" aria-label="Tools">
              {TOOLS.map((t) => (
                <button
                  key={t.name}
                  type="button"
                  role="tab"
                  aria-selected={open === t.name}
                  onClick={() => setOpen(t.name)}
                >
                  {t.label}
                </button>
              ))}
            </div>
            <button type="button" className="close" onClick={close}>
              Close
            </button>
          </div>
          {message && (
            <p
              className={`tools-message ${message.kind}`}
              role={message.kind === 'error' ? 'alert' : 'status'}
            >
              {message.text}
            </p>
          )}
          <div role="tabpanel" aria-label={TOOLS.find((t) => t.name === open)?.label}>
            <Suspense fallback={<LazyFallback />}>
              {open === 'presets' && <PresetEditor />}
              {open === 'profiles' && <ProfileManager />}
              {open === 'settings' && <SettingsPanel />}
              {open === 'watch' && <WatchFolders />}
            </Suspense>
          </div>
        </section>
      )}
    </>
  );
}
