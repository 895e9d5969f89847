/**
 * Which jobs Change… is open for (ChangeJobsDialog.tsx, loaded when it first opens): rows and
 * the selection bar open it from here without loading the dialog.
 */
import { create } from 'zustand';
import type { MediaKind } from '../../../shared/presetTypes';

/** What Change… works on: one job with its current settings, or several (kept unless changed). */
export interface ChangeTarget {
  ids: string[];
  kinds: MediaKind[];
  /** One job: the dialog starts from its settings. Several: every field starts at "keep". */
  current: {
    sourceName: string;
    presetId: string;
    outputDir: string | null;
    nameTemplate: string;
  } | null;
}

interface ChangeState {
  target: ChangeTarget | null;
  returnTo: HTMLElement | null;
}
export const useChange = create<ChangeState>()(() => ({ target: null, returnTo: null }));

export function openChangeJobs(target: ChangeTarget, returnTo: HTMLElement | null): void {
  if (target.ids.length === 0) return;
  useChange.setState({ target, returnTo });
}
