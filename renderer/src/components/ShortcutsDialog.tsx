/**
 * Help → Keyboard Shortcuts: the table of shared/shortcuts.ts with this platform's keys. A
 * native modal <dialog> (focus kept inside, Escape closes); the focus goes back to where it
 * was when the menu item was chosen.
 */
import { useEffect, useRef } from 'react';
import { keysFor, SHORTCUTS } from '../../../shared/shortcuts';
import { isMacPlatform, useShortcutsDialog } from '../commands';
import './jobList.css';

export function ShortcutsDialog() {
  const { open, returnTo } = useShortcutsDialog();
  const dialog = useRef<HTMLDialogElement>(null);
  const mac = isMacPlatform();
  useEffect(() => {
    if (open && !dialog.current?.open) dialog.current?.showModal();
  }, [open]);
  const onClose = () => {
    useShortcutsDialog.setState({ open: false, returnTo: null });
    if (returnTo?.isConnected) returnTo.focus();
  };
  return (
    <dialog
      ref={dialog}
      className="modal shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      onClose={onClose}
    >
      <div className="modal-head">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" className="ghost small" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      {open && (
        <div className="modal-body">
          <table className="stage-times shortcut-list">
            <thead>
              <tr>
                <th scope="col">Command</th>
                <th scope="col">Keys</th>
                <th scope="col">What it does</th>
              </tr>
            </thead>
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.id}>
                  <td>{s.label}</td>
                  <td>
                    {keysFor(s, mac) ? (
                      <kbd>{keysFor(s, mac)}</kbd>
                    ) : (
                      <span className="hint">menu only</span>
                    )}
                  </td>
                  <td>{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            Keys do nothing while you type in a field. Undo, Copy, Paste, zoom and full screen keep
            their usual keys.
          </p>
        </div>
      )}
    </dialog>
  );
}
