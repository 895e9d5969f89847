/**
 * Watch folders: a folder (chosen in main's dialog), a preset and an output folder; each row
 * says whether it is watching, paused, or why not (a folder gone says so and resumes by
 * itself). The list is asked for again every second while this tool is open.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { WatchFolderStatus } from '../../../../shared/watchTypes';
import { useAppStore } from '../../store/appStore';
import { useToolsStore } from '../../store/toolsStore';
import { clearToolMessage, toolIntent, toolRead } from './toolsActions';

const STATE_WORDS = {
  watching: 'Watching',
  paused: 'Paused',
  missing: 'Folder missing',
  unreadable: 'Cannot read the folder',
} as const;

export function WatchFolders() {
  const watches = useToolsStore((s) => s.watches);
  const storeWatches = useToolsStore((s) => s.setWatches);
  // A watch whose state changed (a folder gone, back, or unreadable) makes what was said
  // before about it stale ("Watching …" above "Folder missing"): the message goes, the row
  // says what is true now.
  const states = useRef<Map<string, WatchFolderStatus['state']> | null>(null);
  const setWatches = useCallback(
    (list: WatchFolderStatus[]) => {
      const before = states.current;
      if (before && list.some((w) => before.has(w.id) && before.get(w.id) !== w.state))
        clearToolMessage();
      states.current = new Map(list.map((w) => [w.id, w.state]));
      storeWatches(list);
    },
    [storeWatches],
  );
  const allPresets = useAppStore((s) => s.presets);
  const presets = useMemo(() => allPresets.filter((p) => !p.unavailable), [allPresets]);
  const [folder, setFolder] = useState<string | null>(null);
  const [outputDir, setOutputDir] = useState<string | null>(null);
  const [presetId, setPresetId] = useState('');
  useEffect(() => {
    let stop = false;
    const load = () =>
      void toolRead((api) => api.watch.list()).then((list) => {
        if (list && !stop) setWatches(list);
      });
    load();
    const timer = setInterval(load, 1000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [setWatches]);
  const chosenPreset = presetId || presets[0]?.id || '';

  return (
    <div className="tool-watch">
      <ul className="watch-list" aria-label="Watch folders">
        {watches.length === 0 && <li className="meta">No folder is watched yet.</li>}
        {watches.map((w) => (
          <li key={w.id} data-state={w.state}>
            <span className="name">{w.folder}</span>
            <span className="meta">
              {presets.find((p) => p.id === w.presetId)?.name ?? w.presetId} → {w.outputDir}
            </span>
            <span className={`watch-state ${w.state}`}>
              {STATE_WORDS[w.state]} · {w.queuedCount} queued
              {w.waitingCount > 0 ? ` · ${w.waitingCount} still being written` : ''}
            </span>
            {w.problem && (
              <p className="problem" role="status">
                {w.problem}
              </p>
            )}
            <span className="row-actions">
              <button
                type="button"
                className="secondary small"
                aria-label={`${w.state === 'paused' ? 'Resume' : 'Pause'} watching ${w.folder}`}
                onClick={() =>
                  void toolIntent((api) =>
                    api.watch.setPaused({ id: w.id, paused: w.state !== 'paused' }),
                  ).then(() => toolRead((api) => api.watch.list()).then((l) => l && setWatches(l)))
                }
              >
                {w.state === 'paused' ? 'Resume' : 'Pause'}
              </button>
              <button
                type="button"
                className="secondary small"
                aria-label={`Stop watching ${w.folder}`}
                onClick={() =>
                  void toolIntent(
                    (api) => api.watch.remove({ id: w.id }),
                    () => `No longer watching ${w.folder}.`,
                  ).then(() => toolRead((api) => api.watch.list()).then((l) => l && setWatches(l)))
                }
              >
                Stop watching
              </button>
            </span>
          </li>
        ))}
      </ul>
      <form
        className="add-watch"
        aria-label="Watch a folder"
        onSubmit={(e) => {
          e.preventDefault();
          if (!folder || !outputDir) return;
          void toolIntent(
            (api) => api.watch.add({ folder, presetId: chosenPreset, outputDir }),
            (w) => `Watching ${w.folder}. New files are converted once they stop growing.`,
          ).then((w) => {
            if (!w) return;
            setFolder(null);
            void toolRead((api) => api.watch.list()).then((l) => l && setWatches(l));
          });
        }}
      >
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void toolIntent((api) => api.watch.pickFolder()).then((f) => f && setFolder(f))
          }
        >
          Choose folder…
        </button>
        <span className="meta">{folder ?? 'No folder chosen'}</span>
        <label>
          Preset to use
          <select value={chosenPreset} onChange={(e) => setPresetId(e.target.value)}>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void toolIntent((api) => api.dialogs.pickOutputDir()).then((d) => d && setOutputDir(d))
          }
        >
          Choose output folder…
        </button>
        <span className="meta">{outputDir ?? 'No output folder chosen'}</span>
        <button type="submit" className="primary" disabled={!folder || !outputDir}>
          Start watching
        </button>
      </form>
    </div>
  );
}
