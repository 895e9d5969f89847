/**
 * User intents: each one is a call to main. The UI changes when main answers or pushes a
 * patch. Failures become a notice (main has already redacted the text).
 */
import { errorMessage, requireApi, type Api } from './api';
import { followSelection } from './selectionActions';
import { afterPaint } from './lib/afterPaint';
import { focusNameTemplate, useNameTemplateDraft } from './lib/nameTemplateDraft';
import { useAppStore } from './store/appStore';
import type { OutputSettings, OutputSettingsPatch } from '../../shared/ipc/contract';

/** Runs an intent; a failure shows as an error notice and resolves to undefined. */
export async function intent<T>(run: (api: Api) => Promise<T>): Promise<T | undefined> {
  try {
    return await run(requireApi());
  } catch (error) {
    useAppStore.getState().setNotice({ tone: 'error', text: errorMessage(error) });
    return undefined;
  }
}

export async function addPaths(paths: string[], again = false): Promise<void> {
  const { settings, setNotice } = useAppStore.getState();
  if (paths.length === 0) {
    setNotice({
      tone: 'error',
      text: 'Nothing to add: only files and folders on this computer can be added.',
    });
    return;
  }
  if (!settings) return;
  // The typed file name rules what files added now are called: an invalid one refuses them
  // with its reason; a valid one not yet saved is saved first.
  const draft = useNameTemplateDraft.getState();
  if (draft.problem !== null) {
    setNotice({
      tone: 'error',
      text: `Not added: ${draft.problem} Fix the file name under Output, then add the files again.`,
      action: { label: 'Fix the name', run: focusNameTemplate },
    });
    return;
  }
  let nameTemplate = settings.nameTemplate;
  if (draft.pending !== null && draft.pending !== nameTemplate) {
    nameTemplate = draft.pending;
    await updateSettings({ nameTemplate });
  }
  const result = await intent((a) =>
    a.queue.add({
      paths,
      presetId: settings.defaultPresetId,
      outputDir: settings.outputDir,
      nameTemplate,
      collision: settings.collision,
      mirrorTree: settings.mirrorTree,
      ...(again ? { again } : {}),
    }),
  );
  if (!result) return;
  if (result.alreadyDone.length > 0) {
    // Never converted twice without asking: the same file, preset and output settings.
    const n = result.alreadyDone.length;
    const added = result.added.length > 0 ? `${result.added.length} added. ` : '';
    setNotice({
      tone: 'info',
      text: `${added}${n === 1 ? 'This file was' : `${n} files were`} already converted with these settings; the ${n === 1 ? 'result is' : 'results are'} still there.`,
      rejected: result.rejected.length > 0 ? result.rejected : undefined,
      action: {
        label: 'Convert again',
        run: () =>
          void addPaths(
            result.alreadyDone.map((d) => d.path),
            true,
          ),
      },
    });
    return;
  }
  if (result.rejected.length > 0) {
    const n = result.rejected.length;
    setNotice({
      tone: result.added.length > 0 ? 'warning' : 'error',
      text:
        result.added.length > 0
          ? `${result.added.length} added; ${n} ${n === 1 ? 'file was' : 'files were'} not added:`
          : `${n === 1 ? 'This file was' : 'These files were'} not added:`,
      rejected: result.rejected,
    });
  } else {
    setNotice(null);
  }
}

export async function pickAndAdd(kind: 'files' | 'folder'): Promise<void> {
  const paths = await intent((a) => a.dialogs.pickSources({ kind }));
  if (paths && paths.length > 0) await addPaths(paths);
}

export async function updateSettings(patch: OutputSettingsPatch): Promise<void> {
  const before = useAppStore.getState().settings;
  // Shown at once: a select must not flip back while main answers, and files added in that
  // moment take what the person just chose. Main's answer then replaces it.
  if (before)
    useAppStore.getState().setSettings({
      ...before,
      ...patch,
      kindDefaults: { ...before.kindDefaults, ...patch.kindDefaults },
    });
  const next = await intent((a) => a.settings.update(patch));
  if (next) {
    useAppStore.getState().setSettings(next);
  } else if (before) {
    // Refused (the notice says why): the patched fields go back to what main holds.
    const now = useAppStore.getState().settings ?? before;
    const undone = Object.fromEntries(
      Object.keys(patch).map((k) => [k, before[k as keyof OutputSettings]]),
    );
    useAppStore.getState().setSettings({ ...now, ...undone } as OutputSettings);
  }
}

/**
 * Asks main to list the active RenderIO account's presets again (after start-up, and when
 * the active profile or its key changes). Not part of the first paint: it waits on the
 * network, and the built-in presets are enough to start with.
 */
export async function refreshAccountPresets(): Promise<void> {
  const result = await intent((a) => a.presets.refreshAccount());
  if (result) useAppStore.getState().setPresets(result.presets, result.accountError);
}

/**
 * Rows in the first answer: a tall window's rows in view and the list's overscan below them
 * (VirtualJobList keeps no more jobs than that), far fewer than a big queue has. Each job is
 * about 1 KB to copy across the bridge and parse before the first render.
 */
export const FIRST_PAGE = 24;

/**
 * Every id of the queue, after the first paint (a few hundred KB at 10,000 jobs, whose
 * answer would hold up the first rows' render and frame). main.tsx calls this once the
 * first render with the rows has been painted.
 */
export function loadRestOfQueueAfterPaint(): void {
  afterPaint(() => {
    if (!useAppStore.getState().queue.complete) void loadRestOfQueue();
  });
}

/** Every id of the queue (loadRestOfQueueAfterPaint). */
export async function loadRestOfQueue(): Promise<void> {
  const seenBefore = useAppStore.getState().queue.order.length;
  const ids = await intent((a) => a.queue.ids());
  if (ids) useAppStore.getState().loadIds(ids, seenBefore);
}

/** Loads everything the first paint needs and starts following main's queue. */
export async function bootstrap(): Promise<() => void> {
  const a = requireApi();
  const store = useAppStore.getState();
  // Listen first and hold patches until the snapshot is in, so none is lost in between;
  // replaying one that the snapshot already contains is harmless.
  let buffered: Parameters<typeof store.applyQueuePatches>[0] | null = [];
  const stop = a.events.onQueueUpdate((patches) => {
    if (buffered) buffered.push(...patches);
    else useAppStore.getState().applyQueuePatches(patches);
  });
  // One page and the count, not every job: the rows on screen paint first, the other ids
  // follow once they have (loadRestOfQueueAfterPaint), and jobs come as their rows are
  // scrolled to.
  // The selection (kept by id, selectionActions.ts) follows the same patches.
  const stopSelection = followSelection(a);
  const stopEngine = a.events.onEngineStatus((status) => useAppStore.getState().setEngine(status));
  const [firstPage, presets, settings, vault, engine] = await Promise.all([
    a.queue.window({ offset: 0, limit: FIRST_PAGE }),
    a.presets.list(),
    a.settings.get(),
    a.vault.status(),
    a.engine.status(),
  ]);
  store.setEngine(engine);
  store.setPresets(presets);
  store.setSettings(settings);
  store.setVault(vault);
  store.hydrateWindow(firstPage);
  const pending = buffered;
  buffered = null;
  if (pending.length > 0) useAppStore.getState().applyQueuePatches(pending);
  return () => {
    stop();
    stopSelection();
    stopEngine();
  };
}
