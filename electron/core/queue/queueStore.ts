/**
 * The queue on disk: `<dataDir>/queue.json`, replaced atomically. The preset snapshot of each
 * job is stored once per distinct preset, so ten thousand jobs with one preset do not repeat it
 * ten thousand times.
 */
import { join } from 'node:path';
import type { Job } from '../../../shared/jobs';
import type { Preset } from '../../../shared/presetTypes';
import { createCoalescingWriter, readJson } from '../files/atomicJson';

const VERSION = 1;

export interface QueueState {
  jobs: Job[];
  paused: boolean;
  stopAfterRunning: boolean;
}

interface StoredQueue {
  version: number;
  paused: boolean;
  stopAfterRunning: boolean;
  presets: Preset[];
  jobs: (Omit<Job, 'settings'> & {
    settings: Omit<Job['settings'], 'preset'> & { presetRef: number };
  })[];
}

export function serializeQueue(state: QueueState): string {
  const presetIndex = new Map<Preset, number>();
  const byText = new Map<string, number>();
  const presets: Preset[] = [];
  const refOf = (preset: Preset): number => {
    const known = presetIndex.get(preset);
    if (known !== undefined) return known;
    const text = JSON.stringify(preset);
    let ref = byText.get(text);
    if (ref === undefined) {
      ref = presets.length;
      presets.push(preset);
      byText.set(text, ref);
    }
    presetIndex.set(preset, ref);
    return ref;
  };
  const stored: StoredQueue = {
    version: VERSION,
    paused: state.paused,
    stopAfterRunning: state.stopAfterRunning,
    presets,
    jobs: state.jobs.map((job) => {
      const { preset, ...settings } = job.settings;
      return { ...job, settings: { ...settings, presetRef: refOf(preset) } };
    }),
  };
  return JSON.stringify(stored);
}

export function deserializeQueue(value: unknown): QueueState {
  const stored = value as StoredQueue;
  if (
    !stored ||
    typeof stored !== 'object' ||
    stored.version !== VERSION ||
    !Array.isArray(stored.jobs)
  )
    throw new Error('queue.json is not a queue file this version can read');
  const presets = Array.isArray(stored.presets) ? stored.presets : [];
  const jobs: Job[] = [];
  for (const raw of stored.jobs) {
    const preset = presets[raw.settings?.presetRef ?? -1];
    if (!preset || typeof raw.id !== 'string') continue;
    const { presetRef: _ref, ...settings } = raw.settings;
    jobs.push({ ...raw, settings: { ...settings, preset } } as Job);
  }
  return {
    jobs,
    paused: stored.paused === true,
    stopAfterRunning: stored.stopAfterRunning === true,
  };
}

export async function loadQueue(dataDir: string): Promise<QueueState | undefined> {
  const value = await readJson(join(dataDir, 'queue.json'));
  return value === undefined ? undefined : deserializeQueue(value);
}

export function queueWriter(
  dataDir: string,
  state: () => QueueState,
): { save(): Promise<void>; flush(): Promise<void> } {
  return createCoalescingWriter(join(dataDir, 'queue.json'), () => serializeQueue(state()));
}
