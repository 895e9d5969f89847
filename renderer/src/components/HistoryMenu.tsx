/**
 * The History button in the top bar; the drawer it opens (HistoryPanel.tsx) is loaded when it
 * first opens.
 */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useToolsStore } from '../store/toolsStore';
import '../styles/history.css';

const HistoryDrawer = lazy(() =>
  import('./HistoryPanel').then((m) => ({ default: m.HistoryDrawer })),
);

export function HistoryMenu() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const closeTools = useToolsStore((s) => s.setOpen);
  // One drawer at a time: Tools opening closes the history.
  useEffect(
    () =>
      useToolsStore.subscribe((s) => {
        if (s.open !== null) setOpen(false);
      }),
    [],
  );
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        className="history-toggle secondary"
        aria-expanded={open}
        aria-controls="history-drawer"
        onClick={() => {
          if (!open) closeTools(null);
          setOpen(!open);
        }}
      >
        History
      </button>
      {open && (
        <Suspense fallback={null}>
          <HistoryDrawer onClose={close} />
        </Suspense>
      )}
    </>
  );
}
