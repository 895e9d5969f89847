/**
 * The composition root of the main-process core: vault + clients + queue + presets + settings,
 * and the local engine the wiring started, registered as the 'local' profile. Used unchanged
 * by the Electron main process, the CLI and the end-to-end harness; Electron's pieces come in
 * as ports (cipher, fetch), the engine as a link (address, per-launch key, its ffmpeg).
 *
 * The services meet here and nowhere else, each through its own interface: the queue hears
 * of a new key from the secret store's change event, and the preset library lists the
 * active account's presets through an AccountPresetSource built from the vault and clients.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUILT_IN_PRESETS,
  describePresetRefusal,
  mediaKindFromExtension,
  presetProblems,
} from '../../shared/presets';
import type { MediaKind } from '../../shared/presetTypes';
import { createLogger, type Logger, type LogLevel } from '../../shared/redact';
import type {
  LocalEngineLink,
  LocalEngineState,
  LocalEngineStatus,
} from '../../shared/localEngine';
import { describeLocalEngine, refusalOnThisComputer } from './localEngine/localEngineStatus';
import { systemClock, type Clock, type FetchLike, type SecretCipher } from './ports';
import { partPathFor } from './transfers/download';
import {
  createKeyVerifier,
  KeyVault,
  LOCAL_PROFILE_ID,
  type SetKeyOptions,
  type SetKeyResult,
} from './vault/index';
import { createProfileClients, type ProfileClients } from './profileClients';
import { openPresetLibrary, type PresetLibrary } from './presets/presetLibrary';
import { checkPresetCommand } from './presets/commandSafety';
import { probeHasAudio } from './files/probeAudio';
import { openSettings, type SettingsPatch, type SettingsStore } from './settings/appSettings';
import { createJobQueue, type JobQueue } from './queue/jobQueue';
import type { PollPolicy } from './queue/pollPolicy';
import type { Checkpoint } from './queue/ports';
import { queueClientOf } from './queue/clientAdapter';
import type { Job } from '../../shared/jobs';
import { createWatchService, type WatchService } from './watch/watchService';
import { watchQueueOf } from './watch/queuePort';
import { openHistory, type HistoryStore } from './history/historyStore';
import { entryFromJob, type RanOn } from './history/historyEntry';
import { FINISHED_STAGES } from '../../shared/jobs';

export interface AppCoreOptions {
  /** Queue, settings, presets, vault file and the local engine's data live here. */
  dataDir: string;
  /** safeStorage in the app, AES-GCM in tests; null: keys are held for the session only. */
  cipher: SecretCipher | null;
  /**
   * Every HTTP request goes through this (a required port): the app's transport over
   * net.request in the app, undiciFetch in the CLI and the tests.
   */
  fetch: FetchLike;
  /** RENDERIO_API_KEY / RENDERIO_BASE_URL come from here (process.env by default). */
  env?: Record<string, string | undefined>;
  /**
   * The local engine the wiring started (main: in a utilityProcess; the CLI and tests: in
   * process, engine/localEngine.ts): registered as the session-only 'local' profile. The core
   * never starts it itself: it cannot import the engine.
   */
  localEngine?: LocalEngineLink | null;
  /** Make the local engine the active profile (default: when no other profile is active). */
  activateLocalEngine?: boolean;
  /** Session-only settings (CLI flags); not written to settings.json. */
  settingsOverrides?: SettingsPatch;
  /** Where log lines go (already redacted). Default: nowhere. */
  logSink?: (level: LogLevel, line: string) => void;
  logLevel?: LogLevel;
  pollPolicy?: PollPolicy;
  clock?: Clock;
  /** Change-stream interval in ms (default 250). */
  throttleMs?: number;
  /** Instrumentation: called after the state reaching each point of a job is saved. */
  checkpoint?(name: Checkpoint, job: Readonly<Job>): void | Promise<void>;
  /** Start the queue at once (default true). */
  autoStart?: boolean;
  /** Watch folders' scan interval and stability wait (default 2 s and 3 s). */
  watch?: { pollMs?: number; stableMs?: number };
}

/** The preset library, with the active cloud profile's account presets (refreshAccount). */
export type AppPresets = PresetLibrary;

export interface AppCore {
  queue: JobQueue;
  presets: AppPresets;
  vault: KeyVault;
  /** RenderIO clients of the profiles, over the host's transport. */
  clients: ProfileClients;
  settings: SettingsStore;
  /** Watch folders: new files in them are queued once they stop growing. */
  watches: WatchService;
  /** Finished jobs (done, failed, cancelled), kept after they leave the queue. */
  history: HistoryStore;
  /** The local engine jobs on this computer run on, as the wiring gave it (null: none). */
  localEngine(): LocalEngineLink | null;
  /** The wiring restarted the local engine (after a crash, with another ffmpeg): its new link. */
  setLocalEngine(link: LocalEngineLink): Promise<void>;
  /** What the window shows of this computer (ready, its ffmpeg, what it cannot run). */
  localEngineStatus(): LocalEngineStatus;
  /** The wiring tells how its engine is (starting, restarting after a crash, failed). */
  reportLocalEngineState(state: LocalEngineState): void;
  /** Told whenever localEngineStatus() changes; returns the function that stops it. */
  onLocalEngineStatus(listener: (status: LocalEngineStatus) => void): () => void;
  /**
   * Sets a key through the vault (the same as vault.set). Jobs waiting for a key continue
   * whoever sets it: the queue listens to the secret store.
   */
  setKey(rawKey: unknown, options?: SetKeyOptions): Promise<SetKeyResult>;
  /** The media kind the app assigns a file name, or null when no preset handles it. */
  kindOf(fileName: string): MediaKind | null;
  /** A logger of this core's sink (redacted), for the parts bound beside it (IPC bindings). */
  logger(scope: string): Logger;
  close(): Promise<void>;
}

function kindOfName(fileName: string): MediaKind | null {
  return fileName.includes('.') ? mediaKindFromExtension(fileName) : null;
}

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const { dataDir } = options;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const sink = options.logSink ?? (() => undefined);
  const level = options.logLevel ?? 'info';
  const log = (scope: string): Logger => createLogger(scope, sink, level);
  const fetchImpl = options.fetch;
  const clock = options.clock ?? systemClock;

  let localEngine: LocalEngineLink | null = options.localEngine ?? null;
  const vault = await KeyVault.open({
    file: join(dataDir, 'keys.json'),
    cipher: options.cipher,
    verifier: createKeyVerifier({ fetch: fetchImpl, clock }),
    env: options.env ?? process.env,
    logger: log('vault'),
  });
  const clients = createProfileClients({
    fetch: fetchImpl,
    clock,
    profiles: vault.profiles,
    secrets: vault.secrets,
    logger: log('client'),
  });

  const cleanup: (() => Promise<void>)[] = [async () => clients.dispose()];
  try {
    if (localEngine) {
      const status = await vault.status();
      await vault.setLocalEngine({
        baseUrl: localEngine.url,
        key: localEngine.key,
        activate: options.activateLocalEngine ?? status.activeProfileId === null,
      });
    }

    const settings = await openSettings(dataDir, options.settingsOverrides, {
      logger: log('settings'),
    });
    const library = await openPresetLibrary({
      dataDir,
      builtIns: BUILT_IN_PRESETS,
      validate: (preset) => presetProblems(preset, { checkCommand: checkPresetCommand }),
      account: {
        activeAccount: () => vault.activeProfileId(),
        async listPresets(profileId) {
          const status = await vault.profileStatus(profileId);
          if (!status || status.kind === 'local' || !status.configured) return null;
          return (await clients.clientFor(profileId).listPresets()).presets;
        },
      },
    });

    // Throws (VaultError) when no profile is set up, as the queue expects.
    const activeProfileId = (): string => vault.credentials().profileId;

    // What this computer's engine is doing and which ffmpeg it runs (reported by the wiring).
    let engineState: LocalEngineState = localEngine
      ? { state: 'ready', ffmpeg: localEngine.ffmpeg }
      : { state: 'stopped' };
    // The ffprobe the local engine found, rather than whatever PATH holds (or lacks).
    const localFfprobe = (): string | null =>
      localEngine?.ffmpeg.available ? localEngine.ffmpeg.ffprobe.path : null;
    const history = await openHistory({ dataDir, logger: log('history') });
    cleanup.push(() => history.close());
    /** Where a job ran, in the words of the moment it finished (a profile may be renamed later). */
    const ranOn = (profileId: string): RanOn => {
      if (profileId === LOCAL_PROFILE_ID) return { local: true, label: 'this computer' };
      const profile = vault.profiles.list().find((p) => p.id === profileId);
      if (profile?.kind === 'local') return { local: true, label: 'this computer' };
      return { local: false, label: profile?.name ?? 'RenderIO' };
    };
    const recordFinished = (job: Readonly<Job>): void => {
      const entry = entryFromJob(job, ranOn(job.settings.profileId));
      if (entry) history.record(entry);
    };
    const queue = await createJobQueue({
      dataDir,
      clientFor: (profileId) => queueClientOf(clients.shared(profileId)),
      partPathFor,
      presetById: (id) => library.get(id),
      refusePreset: (preset, kind) => describePresetRefusal(preset, kind),
      refuseOnProfile: (profileId, preset) =>
        profileId === LOCAL_PROFILE_ID ? refusalOnThisComputer(engineState, preset) : null,
      hasAudio: async (path: string) => {
        const ffprobe = localFfprobe();
        return probeHasAudio(path, ffprobe ?? 'ffprobe');
      },
      kindOf: kindOfName,
      settings: () => settings.get(),
      activeProfileId,
      isLocalProfile: (profileId) => profileId === LOCAL_PROFILE_ID,
      localCommandSlots: () => localEngine?.commandSlots ?? null,
      onAuthRejected: (profileId) => {
        void vault.reportRejected(profileId).catch(() => undefined);
      },
      pollPolicy: options.pollPolicy,
      clock,
      logger: log('queue'),
      throttleMs: options.throttleMs,
      checkpoint: options.checkpoint,
      autoStart: options.autoStart,
      onJobFinished: recordFinished,
    });
    if (history.fresh) {
      // The first start with a history: the jobs the queue still lists as finished begin it.
      for (const id of queue.ids()) {
        const stage = queue.stageOf(id);
        const job = stage && FINISHED_STAGES.includes(stage) ? queue.get(id) : undefined;
        if (job) recordFinished(job);
      }
    }

    const watches = await createWatchService({
      dataDir,
      queue: watchQueueOf(queue),
      presetProblem: (id) => {
        const preset = library.get(id);
        if (!preset) return 'That preset no longer exists; choose another one.';
        return preset.unavailable ?? null;
      },
      ...options.watch,
      logger: log('watch'),
    });
    // Before the queue closes: a scan in flight finishes adding its files first.
    cleanup.push(() => watches.close());

    const stopSettings = settings.subscribe(() => queue.settingsChanged());
    cleanup.push(async () => {
      stopSettings();
    });

    // Whoever sets a key (IPC handler, CLI, test), jobs waiting for one continue.
    const stopKeys = vault.secrets.onDidChange(({ id, change }) => {
      if (change === 'set') queue.keyChanged(id);
    });
    cleanup.push(async () => {
      stopKeys();
    });
    const setKey = (rawKey: unknown, setOptions?: SetKeyOptions): Promise<SetKeyResult> =>
      vault.set(rawKey, setOptions);

    const engineListeners = new Set<(status: LocalEngineStatus) => void>();
    const tellEngineStatus = (): void => {
      const status = describeLocalEngine(engineState, library.list());
      for (const listener of engineListeners) listener(status);
    };

    let closed: Promise<void> | null = null;
    return {
      queue,
      presets: library,
      vault,
      clients,
      settings,
      watches,
      history,
      localEngine: () => localEngine,
      async setLocalEngine(link) {
        localEngine = link;
        engineState = { state: 'ready', ffmpeg: link.ffmpeg };
        await vault.setLocalEngine({ baseUrl: link.url, key: link.key, activate: false });
        // Jobs on this computer reach the engine at its new address from their next call on.
        queue.settingsChanged();
        tellEngineStatus();
      },
      localEngineStatus: () => describeLocalEngine(engineState, library.list()),
      reportLocalEngineState(state) {
        engineState = state;
        tellEngineStatus();
      },
      onLocalEngineStatus(listener) {
        engineListeners.add(listener);
        return () => engineListeners.delete(listener);
      },
      setKey,
      kindOf: kindOfName,
      logger: log,
      close: () => {
        closed ??= (async () => {
          await watches.close();
          await queue.close();
          for (const step of cleanup.reverse()) await step().catch(() => undefined);
        })();
        return closed;
      },
    };
  } catch (error) {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    throw error;
  }
}

export { LOCAL_PROFILE_ID };
