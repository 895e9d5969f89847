/** The tools' UI state: which tool is open, the last message, watch folders, app settings. */
import { create } from 'zustand';
import type { ToolsSettings } from '../../../shared/ipc/contract';
import type { WatchFolderStatus } from '../../../shared/watchTypes';

export type ToolName = 'presets' | 'profiles' | 'settings' | 'watch';

/**
 * The tone of what a tool says: `ok` only when everything asked for was done; `warn` when it
 * was done with a caveat the person should read (part of a file imported, keys stored weakly,
 * an ffmpeg that cannot run some presets); `error` when it was refused.
 */
export type ToolMessage = { kind: 'ok' | 'warn' | 'error'; text: string };

interface ToolsState {
  open: ToolName | null;
  /** What the last action said, shown in the open tool (ToolsMenu's ToolMessage). */
  message: ToolMessage | null;
  watches: WatchFolderStatus[];
  settings: ToolsSettings | null;
  /** Where the focus goes back to when the drawer closes (null: the Tools button). */
  returnTo: HTMLElement | null;
  /** Set when a key or the menu opened the drawer: the open tab takes the focus. */
  focusInside: boolean;
  setOpen(open: ToolName | null): void;
  /** Opens a tool from a key or the menu, remembering what had the focus. */
  openTool(open: ToolName, returnTo: HTMLElement | null): void;
  say(kind: ToolMessage['kind'], text: string): void;
  setWatches(watches: WatchFolderStatus[]): void;
  setSettings(settings: ToolsSettings): void;
}

export const useToolsStore = create<ToolsState>((set) => ({
  open: null,
  message: null,
  watches: [],
  settings: null,
  returnTo: null,
  focusInside: false,
  setOpen: (open) =>
    set((s) => ({
      open,
      message: null,
      ...(open === null ? { returnTo: null, focusInside: false } : {}),
      // Opened with the Tools button: that button is where the focus returns.
      ...(s.open === null && open !== null ? { returnTo: null } : {}),
    })),
  openTool: (open, returnTo) => set({ open, message: null, returnTo, focusInside: true }),
  say: (kind, text) => set({ message: { kind, text } }),
  setWatches: (watches) => set({ watches }),
  setSettings: (settings) => set({ settings }),
}));
