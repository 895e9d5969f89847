/**
 * Which job's Details are open (JobDetailsDialog.tsx, loaded when it first opens): a row's
 * Details button opens it from here without loading the dialog.
 */
import { create } from 'zustand';

interface DetailsState {
  id: string | null;
  returnTo: HTMLElement | null;
}
export const useDetails = create<DetailsState>()(() => ({ id: null, returnTo: null }));

export function openJobDetails(id: string, returnTo: HTMLElement | null): void {
  useDetails.setState({ id, returnTo });
}
