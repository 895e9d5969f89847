/** The tools' UI state: which tool is open, the last message, watch folders, app settings. */
import { create } from 'zustand';
import type { ToolsSettings } from '../../../shared/ipc/contract';
import type { WatchFolderStatus } from '../../../shared/watchTypes';

export type ToolName = 'presets' | 'profiles' | 'settings' | 'watch';

interface ToolsState {
  open: ToolName | null;
  /** What the last action said (success or refusal), shown in the open tool. */
  message: { kind: 'ok' | 'error'; text: string } | null;
  watches: WatchFolderStatus[];
  settings: ToolsSettings | null;
  setOpen(open: ToolName | null): void;
  say(kind: 'ok' | 'error', text: string): void;
  setWatches(watches: WatchFolderStatus[]): void;
  setSettings(settings: ToolsSettings): void;
}

export const useToolsStore = create<ToolsState>((set) => ({
  open: null,
  message: null,
  watches: [],
  settings: null,
  setOpen: (open) => set({ open, message: null }),
  say: (kind, text) => set({ message: { kind, text } }),
  setWatches: (watches) => set({ watches }),
  setSettings: (settings) => set({ settings }),
}));
