/**
 * The ticked jobs, kept by id (view state; main never holds it). The list draws only the rows
 * on screen, so a selection is not a set of rows: "select all" is every job of the queue,
 * and each selected job keeps a brief (stage and kind) that main's patches keep current, so
 * the buttons' counts are right for jobs whose rows are far off screen.
 */
import { create } from 'zustand';
import type { JobBrief, QueuePatch } from '../../../shared/jobs';
import { briefOf, countsOf, sameBrief, type SelectionCounts } from '../lib/selection';

export interface SelectionState {
  /** Selected jobs by id, in the order they were selected (select all: the queue's order). */
  briefs: ReadonlyMap<string, JobBrief>;
  counts: SelectionCounts;
  /**
   * The job last ticked or unticked on its own: a Shift-click reaches from it (null after
   * select all or clear). It stays where it is through Shift-clicks, as in a file manager, so a
   * second Shift-click redraws the range from the same place.
   */
  anchor: string | null;
  toggle(brief: JobBrief): void;
  /** Ticks (`on`) or unticks every job of a range; the anchor stays. */
  setRange(briefs: readonly JobBrief[], on: boolean): void;
  setAll(briefs: readonly JobBrief[]): void;
  clear(): void;
  /** Main's patches: selected jobs change stage, removed ones leave the selection. */
  follow(patches: readonly QueuePatch[]): void;
}

function withBriefs(briefs: ReadonlyMap<string, JobBrief>) {
  return { briefs, counts: countsOf(briefs.values()) };
}

const EMPTY = { ...withBriefs(new Map()), anchor: null };

export const useSelection = create<SelectionState>()((set, get) => ({
  ...EMPTY,
  toggle: (brief) => {
    const next = new Map(get().briefs);
    if (next.has(brief.id)) next.delete(brief.id);
    else next.set(brief.id, brief);
    set({ ...withBriefs(next), anchor: brief.id });
  },
  setRange: (briefs, on) => {
    const next = new Map(get().briefs);
    for (const brief of briefs) {
      if (on) next.set(brief.id, brief);
      else next.delete(brief.id);
    }
    set(withBriefs(next));
  },
  setAll: (briefs) => set({ ...withBriefs(new Map(briefs.map((b) => [b.id, b]))), anchor: null }),
  clear: () => set(EMPTY),
  follow: (patches) => {
    const { briefs } = get();
    if (briefs.size === 0) return;
    let next: Map<string, JobBrief> | null = null;
    const own = () => (next ??= new Map(briefs));
    for (const patch of patches) {
      if (patch.type === 'upsert') {
        const before = (next ?? briefs).get(patch.job.id);
        const after = briefOf(patch.job);
        if (before && !sameBrief(before, after)) own().set(after.id, after);
      } else if (patch.type === 'progress') {
        const before = (next ?? briefs).get(patch.id);
        if (before && before.stage !== patch.stage)
          own().set(patch.id, { ...before, stage: patch.stage });
      } else if (patch.type === 'remove') {
        for (const id of patch.ids) if ((next ?? briefs).has(id)) own().delete(id);
      }
    }
    if (next) set(withBriefs(next));
  },
}));
