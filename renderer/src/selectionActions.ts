/**
 * What can be done to the ticked jobs, as plain functions: the selection bar's buttons call
 * them, and so may a keyboard shortcut or a menu (Delete → removeSelected()). Each action is
 * one call to main carrying the ids; main does to each job what its row's button does and
 * says which it could not do and why. The focus is kept where a keyboard user expects it.
 */
import { MAX_SELECTED_IDS, type BulkResult, type JobBrief } from '../../shared/jobs';
import { intent } from './actions';
import type { Api } from './api';
import { briefOf, describeBulk, idsFor, type SelectionAction } from './lib/selection';

export { isSelectAllKey } from './lib/selection';
import { useAppStore } from './store/appStore';
import { useSelection } from './store/selectionStore';

/** The header's select-all checkbox: where the focus goes when nothing better is left. */
export const SELECT_ALL_ID = 'select-all-jobs';

/** Ticks or unticks one job whose row is on screen. */
export function toggleJobSelected(id: string): void {
  const job = useAppStore.getState().queue.jobsById[id];
  const held = useSelection.getState().briefs.get(id);
  if (held) useSelection.getState().toggle(held);
  else if (job) useSelection.getState().toggle(briefOf(job));
}

/**
 * Shift-click on a row's box: every job from the anchor (the box last clicked on its own) to
 * this one takes the state this box takes, as in a mail client's list. Rows between may be far
 * off screen, where the page keeps no job: their briefs come from main, as select all's do.
 * With no anchor, or an anchor no longer in the queue, it is a plain click.
 */
export async function extendSelectionTo(id: string): Promise<void> {
  const { anchor, briefs } = useSelection.getState();
  const { order, jobsById, complete } = useAppStore.getState().queue;
  const from = anchor !== null && anchor !== id && complete ? order.indexOf(anchor) : -1;
  const to = order.indexOf(id);
  if (from < 0 || to < 0) {
    toggleJobSelected(id);
    return;
  }
  const ids = order.slice(Math.min(from, to), Math.max(from, to) + 1);
  const on = !briefs.has(id);
  const known = (i: string): JobBrief | undefined => {
    const job = jobsById[i];
    return job ? briefOf(job) : briefs.get(i);
  };
  let range = ids.map(known);
  if (range.some((b) => b === undefined)) {
    const all = await intent((a) => a.queue.briefs());
    if (!all) return;
    const byId = new Map(all.map((b) => [b.id, b]));
    range = ids.map((i) => byId.get(i));
  }
  const present = range.filter((b): b is JobBrief => b !== undefined);
  useSelection.getState().setRange(present, on);
  const n = useSelection.getState().briefs.size;
  useAppStore
    .getState()
    .say(
      `${present.length} ${present.length === 1 ? 'job' : 'jobs'} ${on ? 'selected' : 'unselected'}; ${n} selected in all.`,
    );
}

/** Every job of the queue, not only the rows drawn: main lists them all (stage and kind). */
export async function selectAllJobs(): Promise<void> {
  const briefs = await intent((a) => a.queue.briefs());
  if (!briefs) return;
  useSelection.getState().setAll(briefs);
  const n = briefs.length;
  useAppStore.getState().say(`${n} ${n === 1 ? 'job' : 'jobs'} selected.`);
}

export function clearSelection(): void {
  useSelection.getState().clear();
}

/** All selected (clears), or select all: what the header's checkbox and Ctrl/Cmd+A do. */
export async function toggleSelectAll(): Promise<void> {
  const { briefs } = useSelection.getState();
  const total = useAppStore.getState().queue.total;
  if (briefs.size > 0 && briefs.size >= total) {
    clearSelection();
    useAppStore.getState().say('Selection cleared.');
  } else await selectAllJobs();
}

/** The selected jobs an action applies to, in the selection's order. */
export function selectedFor(action: SelectionAction): string[] {
  return idsFor(action, useSelection.getState().briefs.values());
}

export function selectedBriefs(): JobBrief[] {
  return [...useSelection.getState().briefs.values()];
}

/** Sends the ids in as few calls as the contract's bound allows (one, up to 10,000 jobs). */
async function inBatches(
  ids: readonly string[],
  call: (api: Api, ids: string[]) => Promise<BulkResult>,
): Promise<BulkResult | undefined> {
  return intent(async (a) => {
    const total: BulkResult = { done: [], skipped: [] };
    for (let i = 0; i < ids.length; i += MAX_SELECTED_IDS) {
      const part = await call(a, ids.slice(i, i + MAX_SELECTED_IDS));
      total.done.push(...part.done);
      total.skipped.push(...part.skipped);
    }
    return total;
  });
}

/** Says what an action did, and shows why some jobs were left as they were. */
export function reportBulk(action: SelectionAction, result: BulkResult): void {
  const { said, notice } = describeBulk(action, result);
  const store = useAppStore.getState();
  store.say(said);
  store.setNotice(notice);
}

/**
 * Runs an action on the selected jobs it applies to. A row the focus was in may lose the
 * button that had it (Cancel becomes Retry) or go altogether (Remove): once main's patches
 * have reached the list, the focus moves to the row now at that place, or to the select-all
 * checkbox, never to the page.
 */
async function run(
  action: Exclude<SelectionAction, 'change'>,
  call: (api: Api, ids: string[]) => Promise<BulkResult>,
): Promise<BulkResult | undefined> {
  const ids = selectedFor(action);
  if (ids.length === 0) return undefined;
  const focusedRow = document.activeElement?.closest<HTMLElement>('[data-index]');
  const at = focusedRow ? Number(focusedRow.dataset.index) : null;
  const result = await inBatches(ids, call);
  if (!result) return undefined;
  // Said once the rows show it: the rows' own announcements would talk over it otherwise.
  if (result.done.length > 0) await patchesArrived(action, result.done);
  reportBulk(action, result);
  if (result.done.length > 0) keepFocus(at);
  return result;
}

export function cancelSelected(): Promise<BulkResult | undefined> {
  return run('cancel', (a, ids) => a.jobs.cancelMany({ ids }));
}

export function retrySelected(): Promise<BulkResult | undefined> {
  return run('retry', (a, ids) => a.jobs.retryMany({ ids }));
}

/** Removes the selected jobs that are not running (a running one is cancelled first). */
export function removeSelected(): Promise<BulkResult | undefined> {
  return run('remove', (a, ids) => a.jobs.removeMany({ ids }));
}

function keepFocus(at: number | null): void {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  const count = useAppStore.getState().queue.order.length;
  const row =
    at !== null && count > 0
      ? document.querySelector<HTMLElement>(`[data-index="${Math.min(at, count - 1)}"] .row-focus`)
      : null;
  (
    row ??
    document.getElementById(SELECT_ALL_ID) ??
    document.getElementById('queue-heading')
  )?.focus();
}

/**
 * Resolves once main's patches for these jobs have come (none of them is still one the action
 * applies to: a cancelled job is no longer cancellable, a removed one is no longer selected)
 * and the browser has drawn them; or after 3 s.
 */
function patchesArrived(action: SelectionAction, ids: readonly string[]): Promise<void> {
  const settled = () => {
    const { briefs } = useSelection.getState();
    const queue = useAppStore.getState().queue;
    return ids.every((id) => {
      const brief = briefs.get(id);
      if (action === 'remove') return !brief && !(id in queue.jobsById);
      return !brief || idsFor(action, [brief]).length === 0;
    });
  };
  return new Promise((resolve) => {
    // Both stores feed `settled`; either may be the last to hear of the patch.
    const stops: (() => void)[] = [];
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      for (const stop of stops) stop();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(resolve, 0));
    };
    const check = () => {
      if (settled()) done();
    };
    const timer = setTimeout(done, 3000);
    stops.push(useSelection.subscribe(check), useAppStore.subscribe(check));
    check();
  });
}

/** Keeps the selection in step with main's patches; returns the function that stops it. */
export function followSelection(api: Api): () => void {
  return api.events.onQueueUpdate((patches) => useSelection.getState().follow(patches));
}
