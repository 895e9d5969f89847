/**
 * The Tools button in the top bar and the drawer it opens: Presets, Profiles, Settings and
 * Watch folders, one at a time. Escape or Close returns focus to the button.
 */
import { useEffect, useRef } from 'react';
import { useToolsStore, type ToolName } from '../../store/toolsStore';
import { PresetEditor } from './PresetEditor';
import { ProfileManager } from './ProfileManager';
import { SettingsPanel } from './SettingsPanel';
import { WatchFolders } from './WatchFolders';
import { applyTheme, toolIntent } from './toolsActions';
import '../../styles/tools.css';

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
  useEffect(() => {
    // The saved theme applies from the start, not only once Settings is opened.
    void toolIntent((api) => api.appSettings.get()).then((s) => s && applyTheme(s.theme));
  }, []);
  const close = () => {
    setOpen(null);
    button.current?.focus();
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
        // A div: axe (aria-allowed-role) refuses role="dialog" on <aside>.
        <div
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
            {open === 'presets' && <PresetEditor />}
            {open === 'profiles' && <ProfileManager />}
            {open === 'settings' && <SettingsPanel />}
            {open === 'watch' && <WatchFolders />}
          </div>
        </div>
      )}
    </>
  );
}
