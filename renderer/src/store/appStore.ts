/**
 * The renderer's store: a replica of main's queue plus the few things the UI shows (presets,
 * output settings, key status) and its own view state (announcements, notices). User actions
 * are IPC intents; the store changes when main answers or pushes patches, never by guessing.
 */
import { create } from 'zustand';
import type { OutputSettings } from '../../../shared/ipc/contract';
import type {
  AddJobsResult,
  Job,
  QueuePatch,
  QueueSnapshot,
  QueueWindow,
} from '../../../shared/jobs';
import type { LocalEngineStatus } from '../../../shared/localEngine';
import type { Preset } from '../../../shared/presetTypes';
import type { VaultStatus } from '../../../shared/profileTypes';
import { announce } from '../lib/announcements';
import {
  applyPatches,
  emptyReplica,
  fromSnapshot,
  fromWindow,
  withIds,
  withJobs,
  withKeep,
  type QueueReplica,
} from './queueReplica';

export interface Notice {
  tone: 'error' | 'warning' | 'info' | 'success';
  text: string;
  /** Files refused when adding, with the reason for each. */
  rejected?: AddJobsResult['rejected'];
  /** One thing the person may do about it ("Convert again"). */
  action?: { label: string; run(): void };
}

interface QueueSlice {
  queue: QueueReplica;
  hydrated: boolean;
  hydrate(snapshot: QueueSnapshot): void;
  /** The first paint: one page and the count. */
  hydrateWindow(win: QueueWindow): void;
  /** Every id, asked for after the first paint when the replica had `seenBefore` of them. */
  loadIds(ids: string[], seenBefore: number): void;
  /** Jobs of rows that came on screen. */
  addJobs(jobs: Job[]): void;
  /** The rows on screen (overscan included); `pinned` ids keep their jobs too (focus). */
  setKeep(start: number, end: number, pinned?: readonly string[]): void;
  applyQueuePatches(patches: QueuePatch[]): void;
}

interface CatalogSlice {
  presets: Preset[];
  settings: OutputSettings | null;
  vault: VaultStatus | null;
  /** This computer's engine: ready with which ffmpeg, or why it cannot convert. */
  engine: LocalEngineStatus | null;
  /** Why the active account's own presets are not listed (offline, key refused), or null. */
  accountPresetsError: string | null;
  setPresets(presets: Preset[], accountPresetsError?: string | null): void;
  setSettings(settings: OutputSettings): void;
  setVault(vault: VaultStatus): void;
  setEngine(engine: LocalEngineStatus): void;
}

interface ViewSlice {
  /** The live region's text; `seq` changes so a repeated sentence is spoken again. */
  announcement: { text: string; seq: number };
  notice: Notice | null;
  say(text: string): void;
  setNotice(notice: Notice | null): void;
}

export type AppState = QueueSlice & CatalogSlice & ViewSlice;

/** Whether files can be added yet: the settings and the presets have come from main. */
export function selectCanAddFiles(s: AppState): boolean {
  return s.settings !== null && s.presets.length > 0;
}

/** The preset files added now get (the settings' default), or null until both are loaded. */
export function selectDefaultPreset(s: AppState): Preset | null {
  return s.presets.find((p) => p.id === s.settings?.defaultPresetId) ?? null;
}

export const useAppStore = create<AppState>()((set, get) => ({
  queue: emptyReplica(),
  hydrated: false,
  hydrate: (snapshot) => set({ queue: fromSnapshot(snapshot, Date.now()), hydrated: true }),
  hydrateWindow: (win) => set({ queue: fromWindow(win, Date.now()), hydrated: true }),
  loadIds: (ids, seenBefore) => set((s) => ({ queue: withIds(s.queue, ids, seenBefore) })),
  addJobs: (jobs) => set((s) => ({ queue: withJobs(s.queue, jobs, Date.now()) })),
  setKeep: (start, end, pinned) => set((s) => ({ queue: withKeep(s.queue, start, end, pinned) })),
  applyQueuePatches: (patches) => {
    const before = get().queue;
    const after = applyPatches(before, patches, Date.now());
    set({ queue: after });
    const messages = announce(before, after, patches);
    if (messages.length > 0) get().say(messages.join(' '));
  },

  presets: [],
  settings: null,
  vault: null,
  engine: null,
  accountPresetsError: null,
  setPresets: (presets, accountPresetsError) =>
    set(accountPresetsError === undefined ? { presets } : { presets, accountPresetsError }),
  setSettings: (settings) => set({ settings }),
  setEngine: (engine) => set({ engine }),
  setVault: (vault) => set({ vault }),

  announcement: { text: '', seq: 0 },
  notice: null,
  say: (text) => set((s) => ({ announcement: { text, seq: s.announcement.seq + 1 } })),
  setNotice: (notice) => set({ notice }),
}));
