import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { refreshAccountPresets } from '../actions';
import { errorMessage, getApi } from '../api';
import { afterPaint } from '../lib/afterPaint';
import { useAppStore } from '../store/appStore';
import { AccountSummary } from './AccountSummary';
import { DropAnywhere } from './DropAnywhere';
import { DropZone } from './DropZone';
import { KindDefaults } from './KindDefaults';
import { LiveRegion } from './LiveRegion';
import { OutputSettingsPanel } from './OutputSettingsPanel';
import { PresetPicker } from './PresetPicker';
import { EngineStatusLine } from './EngineStatusLine';
import { useConverterStart } from '../lib/converterStart';
import { HistoryMenu } from './HistoryMenu';
import { QueuePanel } from './QueuePanel';
import { ToolsMenu } from './tools/ToolsMenu';
import { ShortcutsDialog } from './ShortcutsDialog';
import { installCommands } from '../commands';

// Loaded when first opened: the first paint does not parse it.
const AccountPanel = lazy(() =>
  import('./AccountPanel').then((m) => ({ default: m.AccountPanel })),
);

export type Boot = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; message: string };

/**
 * `booting`: bootstrap(), started before the first render (main.tsx), or null without the
 * app bridge; `settled`: how it ended, when it had before the first render.
 */
export function App({
  booting,
  settled,
}: {
  booting: Promise<unknown> | null;
  settled?: Boot | undefined;
}) {
  const [boot, setBoot] = useState<Boot>(() =>
    booting && getApi()
      ? (settled ?? { state: 'loading' })
      : { state: 'failed', message: 'The app bridge (window.renderio) is missing.' },
  );
  const [accountOpen, setAccountOpen] = useState(false);
  const accountToggle = useRef<HTMLButtonElement>(null);
  const closeAccount = () => {
    setAccountOpen(false);
    // Back to where the person was, not the top of the page.
    accountToggle.current?.focus();
  };
  const vault = useAppStore((s) => s.vault);
  // The box stays where it is while its converter starts again (its problem is gone meanwhile).
  const converterStarting = useConverterStart((s) => s.starting);
  const engineProblem = useAppStore((s) => Boolean(s.engine?.problem)) || converterStarting;
  // The account whose presets should be listed: a new active profile, or a new key for it,
  // lists them again.
  const activeAccount = useAppStore((s) => {
    const active = s.vault?.profiles.find((p) => p.active);
    return active ? `${active.profileId} ${active.kind} ${active.hint ?? ''}` : null;
  });
  useEffect(() => {
    // After the first frame: the built-in presets are enough to paint it.
    if (boot.state === 'ready' && activeAccount !== null)
      afterPaint(() => void refreshAccountPresets());
  }, [boot.state, activeAccount]);

  // The app's keys (shared/shortcuts.ts) and the app menu's commands, once the app is up.
  useEffect(() => {
    const api = getApi();
    if (boot.state !== 'ready' || !api) return;
    return installCommands((listen) => api.events.onMenuCommand(listen));
  }, [boot.state]);

  useEffect(() => {
    if (!booting) return;
    let cancelled = false;
    booting.then(
      () => {
        if (!cancelled) setBoot((b) => (b.state === 'ready' ? b : { state: 'ready' }));
      },
      (error: unknown) => {
        if (!cancelled)
          setBoot((b) =>
            b.state === 'failed' ? b : { state: 'failed', message: errorMessage(error) },
          );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [booting]);

  return (
    <div className="app" data-state={boot.state}>
      <header className="topbar">
        <div className="brand">
          <svg aria-hidden="true" viewBox="0 0 24 24" className="brand-mark">
            <path d="M4 5h10l6 7-6 7H4l6-7z" />
          </svg>
          <h1>RenderIO</h1>
        </div>
        <ToolsMenu />
        <HistoryMenu />
        <button
          ref={accountToggle}
          type="button"
          className="account-toggle"
          aria-expanded={accountOpen}
          aria-controls="account-panel"
          onClick={() => setAccountOpen((open) => !open)}
        >
          <AccountSummary vault={vault} />
        </button>
      </header>

      {boot.state === 'failed' ? (
        <main className="boot-error" role="alert">
          <h2>RenderIO could not start</h2>
          <p>{boot.message}</p>
        </main>
      ) : (
        <div className="layout">
          <main className="workspace" aria-busy={boot.state === 'loading'}>
            <section className="panel add-panel" aria-labelledby="add-heading">
              <h2 id="add-heading">Convert</h2>
              {/* Cannot convert here: said first, so its ways out are in view in the smallest
                  window (below the picker they were under the fold at 720x520). */}
              {engineProblem && <EngineStatusLine onUseRenderio={() => setAccountOpen(true)} />}
              <PresetPicker />
              <KindDefaults />
              {!engineProblem && <EngineStatusLine onUseRenderio={() => setAccountOpen(true)} />}
              <DropZone />
              <OutputSettingsPanel />
            </section>
            <QueuePanel onOpenAccount={() => setAccountOpen(true)} />
          </main>
          {accountOpen && (
            <Suspense fallback={null}>
              <AccountPanel onClose={closeAccount} />
            </Suspense>
          )}
        </div>
      )}
      {boot.state !== 'failed' && <DropAnywhere />}
      {boot.state === 'ready' && <ShortcutsDialog />}
      <LiveRegion />
    </div>
  );
}
