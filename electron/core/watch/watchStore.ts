/**
 * What outlives a restart: the watches (`<dataDir>/watches.json`) and every file a watch has
 * queued (`<dataDir>/watch-queued.json`, path → size and mtime), so a file is never queued
 * twice, across restarts too. A file of the same path with another size or time is a new file.
 * Both are written atomically; an unreadable file starts empty and says so in the log.
 */
import { join } from 'node:path';
import type { Logger } from '../../../shared/redact';
import { createCoalescingWriter, readJson } from '../files/atomicJson';
import type { FileSample } from './stability';

export interface SavedWatch {
  id: string;
  folder: string;
  presetId: string;
  outputDir: string;
  paused: boolean;
}

const VERSION = 1;

function signature(sample: FileSample): string {
  return `${sample.size}:${Math.round(sample.mtimeMs)}`;
}

function isSavedWatch(v: unknown): v is SavedWatch {
  const w = v as Partial<SavedWatch> | null;
  return (
    typeof w?.id === 'string' &&
    typeof w.folder === 'string' &&
    typeof w.presetId === 'string' &&
    typeof w.outputDir === 'string' &&
    typeof w.paused === 'boolean'
  );
}

export interface WatchStore {
  watches(): SavedWatch[];
  putWatch(watch: SavedWatch): Promise<void>;
  removeWatch(id: string): Promise<void>;
  wasQueued(path: string, sample: FileSample): boolean;
  markQueued(entries: readonly { path: string; sample: FileSample }[]): Promise<void>;
  flush(): Promise<void>;
}

export async function openWatchStore(dataDir: string, log: Logger): Promise<WatchStore> {
  const watchesFile = join(dataDir, 'watches.json');
  const queuedFile = join(dataDir, 'watch-queued.json');
  const watches = new Map<string, SavedWatch>();
  const queued = new Map<string, string>();

  const savedWatches = await readJson(watchesFile).catch((error: unknown) => {
    log.warn(`watches.json could not be read and is started afresh: ${(error as Error).message}`);
    return undefined;
  });
  const list = (savedWatches as { watches?: unknown } | undefined)?.watches;
  if (Array.isArray(list)) for (const w of list) if (isSavedWatch(w)) watches.set(w.id, w);
  const savedQueued = await readJson(queuedFile).catch((error: unknown) => {
    log.warn(`watch-queued.json could not be read: ${(error as Error).message}`);
    return undefined;
  });
  const map = (savedQueued as { queued?: unknown } | undefined)?.queued;
  if (map && typeof map === 'object')
    for (const [path, sig] of Object.entries(map as Record<string, unknown>))
      if (typeof sig === 'string') queued.set(path, sig);

  const watchesWriter = createCoalescingWriter(watchesFile, () =>
    JSON.stringify({ version: VERSION, watches: [...watches.values()] }),
  );
  const queuedWriter = createCoalescingWriter(queuedFile, () =>
    JSON.stringify({ version: VERSION, queued: Object.fromEntries(queued) }),
  );
  return {
    watches: () => [...watches.values()],
    async putWatch(watch) {
      watches.set(watch.id, watch);
      await watchesWriter.save();
    },
    async removeWatch(id) {
      watches.delete(id);
      await watchesWriter.save();
    },
    wasQueued: (path, sample) => queued.get(path) === signature(sample),
    async markQueued(entries) {
      for (const { path, sample } of entries) queued.set(path, signature(sample));
      await queuedWriter.save();
    },
    async flush() {
      await watchesWriter.flush();
      await queuedWriter.flush();
    },
  };
}
