/**
 * The app's commands in the page (shared/shortcuts.ts): what a key in the window and an
 * app-menu item (pushed by main over menu:command) both run, and where the focus goes after
 * each. Keys are matched here too (installKeys), so a key and its menu item never differ.
 */
import { isShortcutId, shortcutForKey, type ShortcutId } from '../../shared/shortcuts';
import { intent, pickAndAdd } from './actions';
import { selectQueueState } from './components/QueueHeader';
import { isRunning } from './lib/stageView';
import { useAppStore } from './store/appStore';
import { useToolsStore } from './store/toolsStore';
import { useSelection } from './store/selectionStore';
import { removeSelected } from './selectionActions';
import { create } from 'zustand';

/** Whether Cmd (not Ctrl) is the command key here, as Electron's CmdOrCtrl reads it. */
export function isMacPlatform(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform);
}

/** Help → Keyboard Shortcuts: open or not, and what to focus when it closes. */
export const useShortcutsDialog = create<{ open: boolean; returnTo: HTMLElement | null }>()(() => ({
  open: false,
  returnTo: null,
}));

/** The element the focus was on, to return to after a drawer or dialog closes. */
function focusedElement(): HTMLElement | null {
  const active = document.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : null;
}

/** A modal (native <dialog> opened with showModal) takes the keys while it is open. */
function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** The job row an element is in (its name, checkbox or a button), or null. */
export function rowIdOf(element: Element | null): string | null {
  return element?.closest<HTMLElement>('[data-job-id]')?.dataset.jobId ?? null;
}

/**
 * The jobs Delete and the menu's Remove Job act on. Today: the focused row. This is the one
 * place to extend when rows can be selected (return the selection when there is one).
 */
export function jobsToRemove(focusedRowId: string | null): string[] {
  return focusedRowId ? [focusedRowId] : [];
}

function rowFocusTarget(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-job-id="${CSS.escape(id)}"] .row-focus`);
}

/** Add files…, where the focus goes when the queue has no row left to take it. */
function addButton(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.dropzone-button');
}

/** The drawn row after (or before) the last of these rows, by its place in the list. */
function drawnNeighbour(ids: readonly string[], gone: ReadonlySet<string>): string | null {
  const row = document.querySelector<HTMLElement>(
    `[data-job-id="${CSS.escape(ids[ids.length - 1] ?? '')}"]`,
  );
  const index = Number(row?.dataset.index);
  if (!Number.isFinite(index)) return null;
  for (const at of [index + 1, index - 1]) {
    const id = document.querySelector<HTMLElement>(`li.job[data-index="${at}"]`)?.dataset.jobId;
    if (id && !gone.has(id)) return id;
  }
  return null;
}

/**
 * Removes jobs and keeps the keyboard user's place: the focus goes to the row after the last
 * one removed, or the one before the first, or Add files… when the queue is empty.
 */
export async function removeJobsKeepingFocus(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const order = useAppStore.getState().queue.order;
  const gone = new Set(ids);
  const positions = ids.map((id) => order.indexOf(id)).filter((i) => i >= 0);
  let nextId: string | null = null;
  if (positions.length > 0) {
    const last = Math.max(...positions);
    const first = Math.min(...positions);
    for (let i = last + 1; i < order.length && nextId === null; i++)
      if (!gone.has(order[i] ?? '')) nextId = order[i] ?? null;
    for (let i = first - 1; i >= 0 && nextId === null; i--)
      if (!gone.has(order[i] ?? '')) nextId = order[i] ?? null;
  }
  // The ids of a long queue may not all be loaded yet: the rows beside it on screen then say.
  if (nextId === null && positions.length < ids.length) nextId = drawnNeighbour(ids, gone);
  // The neighbour's row is drawn (the list draws rows around the focused one); the element
  // stays the same node when the list re-renders, since rows are keyed by job id.
  const target = (): HTMLElement | null => (nextId ? rowFocusTarget(nextId) : null) ?? addButton();
  // The focus moves before the removal is asked for: main's patch that takes the row away can
  // come before the answer, and a focused row taken away leaves the focus on the page itself.
  const from = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  target()?.focus();
  const done = await intent(async (a) => {
    await a.jobs.remove({ ids: [...ids] });
    return true;
  });
  if (!done) {
    // Nothing was removed: the focus goes back to the row it was in.
    if (from?.isConnected) from.focus();
    return;
  }
  const landed = target();
  if (landed && document.activeElement !== landed) landed.focus();
}

/** Delete on a row, or Remove Job in the menu: the selection, or the focused row. */
async function removeFocused(): Promise<void> {
  // With jobs ticked, Delete is the selection bar's Remove n (one call, its own focus rule).
  if (useSelection.getState().briefs.size > 0) {
    await removeSelected();
    return;
  }
  const ids = jobsToRemove(rowIdOf(document.activeElement));
  if (ids.length === 0) {
    useAppStore.getState().say('Move the focus to a job in the queue to remove it.');
    return;
  }
  const { jobsById } = useAppStore.getState().queue;
  const running = ids.filter((id) => {
    const stage = jobsById[id]?.stage;
    return stage !== undefined && isRunning(stage);
  });
  if (running.length > 0) {
    const name = jobsById[running[0] ?? '']?.sourceName ?? 'This job';
    useAppStore.getState().say(`${name} is running: cancel it before removing it.`);
  }
  await removeJobsKeepingFocus(ids.filter((id) => !running.includes(id)));
}

/** Space, or Pause / Resume in the menu: the move the queue's state offers. */
async function pauseOrResume(): Promise<void> {
  const { move } = selectQueueState(useAppStore.getState());
  if (move === 'pause') await intent((a) => a.queue.pauseAll());
  else await intent((a) => a.queue.resumeAll());
}

function openSettings(): void {
  const tools = useToolsStore.getState();
  // Settings again while it is open keeps the place the person came from.
  const returnTo = tools.open ? tools.returnTo : focusedElement();
  tools.openTool('settings', returnTo);
}

/** Runs one of the app's commands in the page. */
export async function runCommand(id: ShortcutId): Promise<void> {
  const ready = useAppStore.getState().settings !== null;
  switch (id) {
    case 'add-files':
      if (ready) await pickAndAdd('files');
      return;
    case 'add-folder':
      if (ready) await pickAndAdd('folder');
      return;
    case 'pause-resume':
      return pauseOrResume();
    case 'stop-after-current':
      await intent((a) => a.queue.stopAfterRunning());
      return;
    case 'retry-failed':
      await intent((a) => a.queue.retryAllFailed());
      return;
    case 'clear-finished':
      await intent((a) => a.queue.clearFinished());
      return;
    case 'remove-job':
      return removeFocused();
    case 'settings':
      openSettings();
      return;
    case 'shortcuts':
      useShortcutsDialog.setState({ open: true, returnTo: focusedElement() });
      return;
    case 'open-output-folder':
      // Main opens the folder itself; it asks the page only when there is none to open.
      useAppStore.getState().setNotice({
        tone: 'info',
        text: 'Results are saved next to each source file, and none is finished yet.',
      });
      return;
    case 'docs':
      // Opened by main (an allowlisted https page); nothing to do in the page.
      return;
  }
}

/** Where typing happens: keys there are text, not commands. */
function isTextEntry(element: Element | null): boolean {
  if (!(element instanceof HTMLElement)) return false;
  if (element.isContentEditable) return true;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(
      element.type,
    );
  return false;
}

/** Controls Space presses by itself (a button, a checkbox, a tab…). */
function takesSpace(element: Element | null): boolean {
  if (!(element instanceof HTMLElement)) return false;
  if (isTextEntry(element)) return true;
  if (element.closest('button, a[href], input, select, textarea, summary')) return true;
  const role = element.getAttribute('role');
  return (
    role !== null &&
    ['button', 'tab', 'radio', 'checkbox', 'switch', 'menuitem', 'option'].includes(role)
  );
}

/** What a key in the window does, or null when it is the page's own (typing, a button). */
export function commandForKey(event: KeyboardEvent, mac: boolean): ShortcutId | null {
  if (event.defaultPrevented || event.isComposing || event.repeat) return null;
  const shortcut = shortcutForKey(event, mac);
  if (!shortcut) return null;
  const target = event.target instanceof Element ? event.target : null;
  if (shortcut.id === 'pause-resume') {
    // Inside a drawer or dialog Space belongs to its controls.
    if (takesSpace(target) || target?.closest('[role="dialog"], dialog')) return null;
  }
  if (shortcut.id === 'remove-job') {
    if (isTextEntry(target) || rowIdOf(target) === null) return null;
  }
  return shortcut.id;
}

/** Listens to the window's keys and to main's menu commands; returns the stop function. */
export function installCommands(
  onMenuCommand: (listen: (id: ShortcutId) => void) => () => void,
): () => void {
  const mac = isMacPlatform();
  const onKeyDown = (event: KeyboardEvent): void => {
    const id = commandForKey(event, mac);
    if (id === null) return;
    // Handled here, so Electron does not run the menu item with the same key as well.
    event.preventDefault();
    if (modalOpen()) return;
    void runCommand(id);
  };
  document.addEventListener('keydown', onKeyDown);
  const stopMenu = onMenuCommand((id) => {
    if (!isShortcutId(id) || modalOpen()) return;
    void runCommand(id);
  });
  return () => {
    document.removeEventListener('keydown', onKeyDown);
    stopMenu();
  };
}
