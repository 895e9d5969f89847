/**
 * The composition root of the main-process core: vault + client + queue + presets + settings,
 * and (optionally) the local engine started with a per-launch random key as the 'local'
 * profile. Used unchanged by the Electron main process, the CLI and the end-to-end harness;
 * Electron's pieces come in as ports (cipher, fetch).
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUILT_IN_PRESETS,
  describePresetRefusal,
  mediaKindFromExtension,
  presetProblems,
} from '../../shared/presets';
import type { MediaKind, Preset } from '../../shared/presetTypes';
import { createLogger, type Logger, type LogLevel } from '../../shared/redact';
import type { EngineHandle, EngineOptions } from '../../engine/index';
import { systemClock, type Clock, type FetchLike, type SecretCipher } from './ports';
import { partPathFor } from './transfers/download';
import { KeyVault, LOCAL_PROFILE_ID, type SetKeyOptions, type SetKeyResult } from './vault/index';
import { openPresetLibrary, type PresetLibrary } from './presets/presetLibrary';
import { checkPresetCommand } from './presets/commandSafety';
import { openSettings, type SettingsPatch, type SettingsStore } from './settings/appSettings';
import { createJobQueue, type JobQueue } from './queue/jobQueue';
import type { PollPolicy } from './queue/pollPolicy';
import type { Checkpoint, QueueClient } from './queue/ports';
import { queueClientOf } from './queue/clientAdapter';
import type { Job } from '../../shared/jobs';

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
  /** Start the local engine on 127.0.0.1 (port 0) with a per-launch key as the 'local' profile. */
  startLocalEngine: boolean;
  /** Make the local engine the active profile (default: when no other profile is active). */
  activateLocalEngine?: boolean;
  /** Engine settings (concurrency, faults...) for the CLI and tests. */
  engineOptions?: Partial<Omit<EngineOptions, 'dataDir' | 'port' | 'apiKeys'>>;
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
}

export interface AppPresets extends PresetLibrary {
  /** Lists the active cloud profile's account presets (none for the local engine). */
  refreshAccount(): Promise<Preset[]>;
}

export interface AppCore {
  queue: JobQueue;
  presets: AppPresets;
  vault: KeyVault;
  settings: SettingsStore;
  /** The engine this process started, when startLocalEngine was set. */
  engine: EngineHandle | null;
  /** Sets a key through the vault and lets jobs waiting for one continue. */
  setKey(rawKey: unknown, options?: SetKeyOptions): Promise<SetKeyResult>;
  /** The media kind the app assigns a file name, or null when no preset handles it. */
  kindOf(fileName: string): MediaKind | null;
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
  const clock = options.clock ?? systemClock;

  let engine: EngineHandle | null = null;
  const vault = await KeyVault.open({
    file: join(dataDir, 'keys.json'),
    cipher: options.cipher,
    fetch: options.fetch,
    clock,
    env: options.env ?? process.env,
    logger: log('vault'),
  });

  const cleanup: (() => Promise<void>)[] = [];
  try {
    if (options.startLocalEngine) {
      // Loaded on demand: a cloud-only build or the renderer harness need not load the engine.
      const { startEngine } = await import('../../engine/index');
      const key = `ffsk_${randomBytes(32).toString('hex')}`;
      engine = await startEngine({
        ...options.engineOptions,
        dataDir: join(dataDir, 'engine'),
        port: 0,
        apiKeys: [key],
        logger: options.engineOptions?.logger ?? log('engine'),
      });
      const started = engine;
      cleanup.push(() => started.close());
      const status = await vault.status();
      await vault.setLocalEngine({
        baseUrl: engine.url,
        key,
        activate: options.activateLocalEngine ?? status.activeProfileId === null,
      });
    }

    const settings = await openSettings(dataDir, options.settingsOverrides);
    const library = await openPresetLibrary({
      dataDir,
      builtIns: BUILT_IN_PRESETS,
      validate: (preset) => presetProblems(preset, { checkCommand: checkPresetCommand }),
    });

    const clients = new Map<string, { baseUrl: string; client: QueueClient }>();
    const clientFor = (profileId: string): QueueClient => {
      const { baseUrl } = vault.credentials(profileId);
      const cached = clients.get(profileId);
      if (cached && cached.baseUrl === baseUrl) return cached.client;
      const client = queueClientOf(vault.clientFor(profileId, { logger: log('client') }));
      clients.set(profileId, { baseUrl, client });
      return client;
    };

    const activeProfileId = (): string => {
      const id = vault.credentials().profileId;
      return id;
    };

    const queue = await createJobQueue({
      dataDir,
      clientFor,
      partPathFor,
      presetById: (id) => library.get(id),
      refusePreset: (preset, kind) => describePresetRefusal(preset, kind),
      kindOf: kindOfName,
      settings: () => settings.get(),
      activeProfileId,
      isLocalProfile: (profileId) => profileId === LOCAL_PROFILE_ID,
      onAuthRejected: (profileId) => {
        void vault.reportRejected(profileId).catch(() => undefined);
      },
      pollPolicy: options.pollPolicy,
      clock,
      logger: log('queue'),
      throttleMs: options.throttleMs,
      checkpoint: options.checkpoint,
      autoStart: options.autoStart,
    });

    const stopSettings = settings.subscribe(() => queue.settingsChanged());
    cleanup.push(async () => {
      stopSettings();
    });

    // Whoever sets a key (IPC handler, CLI, test), jobs waiting for one continue: the vault
    // has no change event, so its set() is wrapped here, in the one place that owns both.
    const rawSet = vault.set.bind(vault);
    const setKey = async (rawKey: unknown, setOptions?: SetKeyOptions): Promise<SetKeyResult> => {
      const result = await rawSet(rawKey, setOptions);
      if (result.ok) {
        clients.delete(result.status.profileId);
        queue.keyChanged(result.status.profileId);
      }
      return result;
    };
    vault.set = setKey;

    /** The profile whose presets the library holds as the account's (null: none held). */
    let accountPresetsOf: string | null = null;
    const presets: AppPresets = Object.assign(Object.create(library) as PresetLibrary, library, {
      async refreshAccount(): Promise<Preset[]> {
        let profileId: string;
        try {
          profileId = activeProfileId();
        } catch {
          library.clearAccountPresets();
          accountPresetsOf = null;
          return [];
        }
        // Another profile's presets must not stay listed under this one, even if its own
        // cannot be listed now (offline, key refused).
        if (accountPresetsOf !== profileId) {
          library.clearAccountPresets();
          accountPresetsOf = null;
        }
        const status = await vault.profileStatus(profileId);
        if (!status || status.kind === 'local' || !status.configured) return [];
        const { presets: objects } = await vault.clientFor(profileId).listPresets();
        accountPresetsOf = profileId;
        // System presets of the service are listed too. Those the app cannot run (several
        // inputs, or none) are kept with `unavailable`: shown disabled, refused by the queue.
        return library.setAccountPresets(objects);
      },
    });

    let closed: Promise<void> | null = null;
    return {
      queue,
      presets,
      vault,
      settings,
      engine,
      setKey,
      kindOf: kindOfName,
      close: () => {
        closed ??= (async () => {
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
