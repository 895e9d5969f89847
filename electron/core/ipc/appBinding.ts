/**
 * Binds the app core (electron/core/appCore) to what the IPC router calls, plus the ports
 * the host supplies: native dialogs, clipboard and shell in Electron; test doubles for those
 * three in the end-to-end harness. Plain Node, shared by both.
 */
import { open } from 'node:fs/promises';
import type { OutputSettings } from '../../../shared/ipc/contract';
import { redact } from '../../../shared/redact';
import type { AppCore } from '../appCore';
import type { AppSettings } from '../settings/appSettings';
import { IpcFailure } from './errors';
import { describeJobDetails } from '../queue/jobDetails';
import { LOCAL_PROFILE_ID } from '../vault/index';
import type { IpcClipboard, IpcCore, IpcDialogs, IpcShell } from './ports';
import { createToolsBinding } from './toolsBinding';
import { createFfmpegChoice } from '../localEngine/ffmpegChoice';
import { createEngineRestart } from '../localEngine/engineRestart';
import type { ToolsDialogs } from './toolsPorts';

export interface HostPorts {
  dialogs: IpcDialogs;
  clipboard: IpcClipboard;
  shell: IpcShell;
  /** The tools' dialogs (preset files, a folder to watch); without them those rows refuse. */
  toolsDialogs?: ToolsDialogs;
  /**
   * "Choose ffmpeg…": main's file dialog and a restart of the host's local engine (which reads
   * settings.chosenFfmpeg as it starts); "Start converter again" restarts it alone. Without it
   * the three rows refuse.
   */
  engineControl?: EngineControl;
}

export interface EngineControl {
  /** One file, the ffmpeg program; null when cancelled. */
  pickFfmpeg(): Promise<string | null>;
  /**
   * Starts the engine again with the saved choice, with a fresh count of crashes; resolves
   * when it is up, rejects when it could not start (its state then says why).
   */
  restart(): Promise<void>;
}

export function toOutputSettings(s: AppSettings): OutputSettings {
  return {
    defaultPresetId: s.defaultPresetId,
    outputDir: s.outputDir,
    nameTemplate: s.nameTemplate,
    collision: s.collision,
    mirrorTree: s.mirrorTree,
    kindDefaults: { ...s.kindDefaults },
  };
}

/** Reads at most maxBytes of a small text file; a bigger file is refused, not truncated. */
export async function readSmallTextFile(path: string, maxBytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes)
      throw new IpcFailure('invalid-key', 'That file is too large to be a key file.');
    const buffer = Buffer.alloc(size);
    await handle.read(buffer, 0, size, 0);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

export function createIpcCore(core: AppCore, host: HostPorts): IpcCore {
  const control = host.engineControl;
  const choice = control
    ? createFfmpegChoice({
        pickFfmpeg: () => control.pickFfmpeg(),
        chosen: () => core.settings.get().chosenFfmpeg,
        saveChosen: async (path) => void (await core.settings.update({ chosenFfmpeg: path })),
        restartEngine: () => control.restart(),
        status: () => core.localEngineStatus(),
        presets: () => core.presets.list(),
        logger: core.logger('ffmpeg'),
      })
    : null;
  const restart = control
    ? createEngineRestart({
        restartEngine: () => control.restart(),
        status: () => core.localEngineStatus(),
        logger: core.logger('engine'),
      })
    : null;
  return {
    queue: core.queue,
    engine: {
      status: () => core.localEngineStatus(),
      subscribe: (listener) => core.onLocalEngineStatus(listener),
      ...(choice
        ? { chooseFfmpeg: () => choice.choose(), useAutomaticFfmpeg: () => choice.useAutomatic() }
        : {}),
      ...(restart ? { restart } : {}),
    },
    presets: {
      list: () => core.presets.list(),
      async refreshAccount() {
        try {
          await core.presets.refreshAccount();
          return { presets: core.presets.list(), accountError: null };
        } catch (error) {
          // The list still works without them: say why the account's own are missing.
          return {
            presets: core.presets.list(),
            accountError: `Your RenderIO presets could not be listed: ${redact(error instanceof Error ? error.message : String(error))}`,
          };
        }
      },
    },
    settings: {
      get: () => toOutputSettings(core.settings.get()),
      update: async (patch) => toOutputSettings(await core.settings.update(patch)),
    },
    vault: {
      status: () => core.vault.status(),
      async setKey(key, options) {
        const result = await core.setKey(key, options);
        if (!result.ok) throw new IpcFailure(`key-${result.reason}`, result.message);
        return {
          status: await core.vault.status(),
          message: result.message,
          profileId: result.status.profileId,
          verified: result.status.verified,
        };
      },
      clear: (profileId) => core.vault.clear(profileId),
      setActive: (profileId) => core.vault.setActive(profileId),
      isLocalChosen: () => core.vault.isLocalChosen(),
    },
    dialogs: host.dialogs,
    clipboard: host.clipboard,
    shell: host.shell,
    readTextFile: readSmallTextFile,
    async jobDetails(id) {
      const job = core.queue.get(id);
      if (!job) throw new IpcFailure('not-found', 'This job is no longer in the queue.');
      const profileId = job.settings.profileId;
      const profile = (await core.vault.status()).profiles.find((p) => p.profileId === profileId);
      const local = profileId === LOCAL_PROFILE_ID || profile?.kind === 'local';
      return describeJobDetails(job, {
        runsOn: local ? 'this computer' : (profile?.name ?? 'a RenderIO account'),
        local,
        // Waiting for the server's storage and for its queue read alike: one row.
        stageLabel: (stage) => (stage === 'stored' ? 'submitted' : stage),
        fetchCommand: profile?.configured
          ? (commandId, signal) => core.clients.shared(profileId).getCommand(commandId, { signal })
          : null,
      });
    },
    ...(host.toolsDialogs ? { tools: createToolsBinding(core, host.toolsDialogs) } : {}),
    history: core.history,
  };
}
