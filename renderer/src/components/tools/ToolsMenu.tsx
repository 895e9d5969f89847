/**
 * The Tools button in the top bar and the drawer it opens: Presets, Profiles, Settings and
 * Watch folders, one at a time. Escape or Close returns focus to the button. The head (tabs,
 * Close) and what the last action said stay in view above the tab's content, which scrolls on
 * its own: a message caused far down a long list is still seen, and read out.
 */
import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useToolsStore, type ToolMessage as Said, type ToolName } from '../../store/toolsStore';
import { afterPaint } from '../../lib/afterPaint';
import { LazyFallback } from '../LazyFallback';
import { applyTheme, toolRead } from './toolsActions';
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
  const body = useRef<HTMLDivElement>(null);
  // Another tab starts at its top, not where the last one was scrolled to.
  useLayoutEffect(() => {
    if (body.current) body.current.scrollTop = 0;
  }, [open]);
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
      () => void toolRead((api) => api.appSettings.get()).then((s) => s && applyTheme(s.theme)),
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
            {/* Plain: leaving is not the drawer's main action (each tab has its own). */}
            <button type="button" className="close ghost" onClick={close}>
              Close
            </button>
          </div>
          <ToolMessage message={message} />
          <div
            ref={body}
            className="tools-body"
            role="tabpanel"
            aria-label={TOOLS.find((t) => t.name === open)?.label}
          >
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

/**
 * What the last action said, between the head and the scrolling content. Both live regions are
 * always there (a region added together with its words is often not read out): a refusal goes
 * to the alert, anything else to the status, in its tone (`ok` green only when all was done,
 * `warn` amber when it was done with a caveat). A long report scrolls within a third of the
 * window and can then be focused to scroll it from the keyboard.
 */
function ToolMessage({ message }: { message: Said | null }) {
  const box = useRef<HTMLParagraphElement>(null);
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return setOverflows(false);
    // Checked again when the window (and so the box's room) changes size.
    const check = () => setOverflows(el.scrollHeight > el.clientHeight + 1);
    check();
    const watcher = new ResizeObserver(check);
    watcher.observe(el);
    return () => watcher.disconnect();
  }, [message]);
  const said = (region: 'status' | 'alert') =>
    message &&
    (message.kind === 'error') === (region === 'alert') && (
      <p
        ref={box}
        className={`tools-message ${message.kind}`}
        tabIndex={overflows ? 0 : undefined}
        data-testid="tools-message"
      >
        {message.text}
      </p>
    );
  return (
    <div className="tools-said">
      <div role="status">{said('status')}</div>
      <div role="alert">{said('alert')}</div>
    </div>
  );
}
