/**
 * The file-name template as it is being typed, for the one rule that crosses components:
 * files added while it is invalid are refused with its reason (not silently named by the old
 * template), and a valid draft not yet saved is saved before files are added with it.
 */
import { create } from 'zustand';

export interface NameTemplateDraft {
  /** Why the typed template cannot be used; null when it can. */
  problem: string | null;
  /** A valid typed template not yet saved to main (null: nothing pending). */
  pending: string | null;
  set(draft: { problem: string | null; pending: string | null }): void;
}

export const useNameTemplateDraft = create<NameTemplateDraft>((set) => ({
  problem: null,
  pending: null,
  set: (draft) => set(draft),
}));

/** Focuses the file-name field (from a notice's "Fix the name" button). */
export function focusNameTemplate(): void {
  document.querySelector<HTMLInputElement>('input[data-field="name-template"]')?.focus();
}
