/**
 * One function per contract row, given arguments the router has already validated. Key
 * entry happens here, in main: the clipboard or file is read, the key handed to the vault,
 * and only status comes back.
 */
import type { z } from 'zod';
import type {
  IpcContract,
  KeyEntryResult,
  OutputSettingsPatch,
  RunJobsOnChange,
} from '../../../shared/ipc/contract';
import type { JobChange } from '../../../shared/jobs';
import type { ProfileStatus, VaultStatus } from '../../../shared/profileTypes';
import type { MediaKind } from '../../../shared/presetTypes';
import { basename } from 'node:path';
import { IpcFailure } from './errors';
import type { IpcCore } from './ports';
import { createToolsHandlers } from './toolsHandlers';
import { createHistoryHandlers } from './historyHandlers';

export type Handler = (arg: never) => unknown;

const noFfmpegChoice = (): never => {
  throw new IpcFailure('unavailable', 'Choosing ffmpeg is not available here.');
};
const noEngineRestart = (): never => {
  throw new IpcFailure('unavailable', "Starting this computer's converter is not available here.");
};
type Args<G extends keyof IpcContract, M extends keyof IpcContract[G]> = IpcContract[G][M] extends {
  args: infer S extends z.ZodType;
}
  ? z.output<S>
  : never;

const KEY_IN_TEXT = /ffsk_[0-9a-fA-F]{64}/g;
const MAX_KEY_FILE_BYTES = 16 * 1024;

/**
 * Finds the key in what was pasted or read: the whole text trimmed, or the one `ffsk_` token
 * in a line such as `RENDERIO_API_KEY=ffsk_...`. The vault still checks the format.
 */
export function extractKey(text: string): string {
  const tokens = text.match(KEY_IN_TEXT) ?? [];
  if (tokens.length === 1 && tokens[0]) return tokens[0];
  if (tokens.length > 1)
    throw new IpcFailure('invalid-key', 'The text holds more than one API key; keep only one.');
  return text.trim();
}

/** Where a profile runs jobs, as the person reads it: "this computer" or the profile's name. */
export function runsOn(profile: Pick<ProfileStatus, 'kind' | 'name'>): string {
  return profile.kind === 'local' ? 'this computer' : profile.name;
}

export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

export function createHandlers(core: IpcCore) {
  type KeyOptions = { profileId?: string; sessionOnly?: boolean };
  const enterKey = async (
    text: string,
    options: KeyOptions | undefined,
    from: string,
  ): Promise<KeyEntryResult> => {
    if (text.trim().length === 0) throw new IpcFailure('invalid-key', `No API key found ${from}.`);
    const key = extractKey(text);
    // A key already kept for another profile was pasted into the wrong one: nothing is sent.
    const holder =
      (await core.tools?.profiles.otherProfileWithKey(key, options?.profileId)) ?? null;
    if (holder !== null)
      throw new IpcFailure(
        'key-other-profile',
        `This key is already saved in the profile "${holder}". Each profile needs its own account's key: nothing was changed.`,
      );
    const saved = await core.vault.setKey(key, {
      ...(options?.profileId !== undefined ? { profileId: options.profileId } : {}),
      ...(options?.sessionOnly !== undefined ? { sessionOnly: options.sessionOnly } : {}),
    });
    let { status } = saved;
    const profile = status.profiles.find((p) => p.profileId === saved.profileId);
    const active = status.profiles.find((p) => p.active);
    let runJobsOn: RunJobsOnChange = 'unchanged';
    if (profile && !profile.active) {
      // The local engine is what a person without an account gets; once they give a key that
      // RenderIO accepted, that is what they came for, unless they chose this computer
      // themselves. An unchecked key, or a session started with RENDERIO_API_KEY, is offered.
      const wasDefault = active?.kind === 'local' && !core.vault.isLocalChosen();
      if (profile.kind === 'cloud' && saved.verified === true && wasDefault) {
        status = await core.vault.setActive(profile.profileId);
        runJobsOn = 'switched';
      } else {
        runJobsOn = 'offered';
      }
    }
    return {
      outcome: 'saved',
      message: saved.message,
      status,
      profileId: saved.profileId,
      verified: saved.verified,
      runJobsOn,
    };
  };

  const setActive = async (profileId: string): Promise<VaultStatus> => {
    const status = await core.vault.status();
    const target = status.profiles.find((p) => p.profileId === profileId);
    if (!target) throw new IpcFailure('unknown-profile', 'That profile no longer exists.');
    if (target.active) return status;
    if (!target.configured) {
      const active = status.profiles.find((p) => p.active);
      const keep = active ? ` New jobs keep running on ${runsOn(active)}.` : '';
      throw new IpcFailure(
        'no-key',
        `${target.name} has no API key, so it cannot run jobs. Paste or import a key for it first.${keep}`,
      );
    }
    return core.vault.setActive(profileId);
  };

  // A kind's default must take that kind: a mixed drop would otherwise refuse the very files
  // the default is for (the picker's select and the editor's button offer only such presets).
  const refuseKindDefaults = async (
    defaults: Partial<Record<MediaKind, string>> | undefined,
  ): Promise<void> => {
    if (!defaults) return;
    const presets = await core.presets.list();
    for (const [kind, id] of Object.entries(defaults) as [MediaKind, string | undefined][]) {
      if (id === undefined) continue;
      const preset = presets.find((p) => p.id === id);
      if (!preset) throw new IpcFailure('invalid-settings', 'That preset no longer exists.');
      if (!preset.accepts.includes(kind))
        throw new IpcFailure(
          'invalid-settings',
          `${preset.name} cannot take ${kind} files, so it cannot be the default for them.`,
        );
    }
  };

  // The renderer is untrusted, so it may name only output folders the person chose in main's
  // folder dialog (this session) or the one saved in settings (which got there the same way):
  // a compromised page cannot make main write, let alone overwrite, files anywhere else.
  const chosenOutputDirs = new Set<string>();
  const allowOutputDir = async (dir: string | null | undefined): Promise<void> => {
    if (dir === undefined || dir === null || chosenOutputDirs.has(dir)) return;
    if ((await core.settings.get()).outputDir === dir) return;
    throw new IpcFailure(
      'forbidden-path',
      'Choose the output folder with "In a folder" so that the app can save there.',
    );
  };

  /** A finished job's first output, from main's own record (never a path the page names). */
  const outputOf = (id: string, verb: string): string => {
    const output = core.queue.get(id)?.outputPaths[0];
    if (!output) throw new IpcFailure('not-found', `This job has no output file to ${verb} yet.`);
    return output;
  };

  return {
    queue: {
      snapshot: () => core.queue.snapshot(),
      add: async (arg: Args<'queue', 'add'>) => {
        await allowOutputDir(arg.outputDir);
        return core.queue.add(arg);
      },
      pauseAll: () => core.queue.pauseAll(),
      resumeAll: () => core.queue.resumeAll(),
      stopAfterRunning: () => core.queue.stopAfterRunning(),
      retryAllFailed: () => core.queue.retryAllFailed(),
      retryNow: () => core.queue.retryNow(),
      clearFinished: () => core.queue.clearFinished(),
      window: (arg: Args<'queue', 'window'>) => core.queue.window(arg.offset, arg.limit),
      ids: () => core.queue.ids(),
      briefs: () => core.queue.briefs(),
    },
    jobs: {
      cancel: (arg: Args<'jobs', 'cancel'>) => core.queue.cancel(arg.id),
      retry: (arg: Args<'jobs', 'retry'>) => core.queue.retry(arg.id),
      remove: (arg: Args<'jobs', 'remove'>) => core.queue.remove(arg.ids),
      move: (arg: Args<'jobs', 'move'>) => core.queue.move(arg.id, arg.direction),
      cancelMany: (arg: Args<'jobs', 'cancelMany'>) => core.queue.cancelMany(arg.ids),
      retryMany: (arg: Args<'jobs', 'retryMany'>) => core.queue.retryMany(arg.ids),
      removeMany: (arg: Args<'jobs', 'removeMany'>) => core.queue.removeMany(arg.ids),
      change: async (arg: Args<'jobs', 'change'>) => {
        // A folder the person chose in main's dialog, as for new jobs: never one the page names.
        await allowOutputDir(arg.outputDir);
        const { ids, ...what } = arg;
        const change: JobChange = {};
        if (what.presetId !== undefined) change.presetId = what.presetId;
        if (what.outputDir !== undefined) change.outputDir = what.outputDir;
        if (what.nameTemplate !== undefined) change.nameTemplate = what.nameTemplate;
        return core.queue.change(ids, change);
      },
      reveal: async (arg: Args<'jobs', 'reveal'>) => {
        // The path comes from main's own record of the job, never from the renderer.
        await core.shell.showItemInFolder(outputOf(arg.id, 'show'));
      },
      open: async (arg: Args<'jobs', 'open'>) => {
        const output = outputOf(arg.id, 'open');
        const problem = await core.shell.openPath(output);
        if (problem)
          throw new IpcFailure(
            'open-failed',
            `${basename(output)} could not be opened: ${problem}`,
          );
      },
      startDrag: (arg: Args<'jobs', 'startDrag'>) => core.shell.startDrag(outputOf(arg.id, 'drag')),
      details: (arg: Args<'jobs', 'details'>) => core.jobDetails(arg.id),
      locateSource: async (arg: Args<'jobs', 'locateSource'>) => {
        const job = core.queue.snapshot().jobs.find((j) => j.id === arg.id);
        if (!job) throw new IpcFailure('not-found', 'This job is no longer in the queue.');
        // The path comes from the native dialog in main, never from the page.
        const path = await core.dialogs.locateSource(job.sourceName);
        return path === null ? null : core.queue.locateSource(arg.id, path);
      },
    },
    presets: {
      list: () => core.presets.list(),
      refreshAccount: () => core.presets.refreshAccount(),
    },
    settings: {
      get: () => core.settings.get(),
      update: async (arg: Args<'settings', 'update'>) => {
        await allowOutputDir(arg.outputDir);
        await refuseKindDefaults(arg.kindDefaults);
        const patch: OutputSettingsPatch = {};
        for (const [k, v] of Object.entries(arg))
          if (v !== undefined) Object.assign(patch, { [k]: v });
        return core.settings.update(patch);
      },
    },
    vault: {
      status: () => core.vault.status(),
      pasteFromClipboard: async (arg: Args<'vault', 'pasteFromClipboard'>) =>
        enterKey(await core.clipboard.readText(), arg, 'on the clipboard'),
      importFromFile: async (arg: Args<'vault', 'importFromFile'>): Promise<KeyEntryResult> => {
        const path = await core.dialogs.pickKeyFile();
        if (!path)
          return {
            outcome: 'cancelled',
            message: 'No file chosen.',
            status: await core.vault.status(),
          };
        const text = await core.readTextFile(path, MAX_KEY_FILE_BYTES);
        return enterKey(text, arg, 'in that file');
      },
      clear: async (arg: Args<'vault', 'clear'>) => {
        const status = await core.vault.clear(arg?.profileId);
        // A profile without a key cannot run jobs: new ones go back to this computer.
        const active = status.profiles.find((p) => p.active);
        const local = status.profiles.find((p) => p.kind === 'local');
        if (active && !active.configured && local) return core.vault.setActive(local.profileId);
        return status;
      },
      setActive: (arg: Args<'vault', 'setActive'>) => setActive(arg.profileId),
    },
    dialogs: {
      pickSources: (arg: Args<'dialogs', 'pickSources'>) => core.dialogs.pickSources(arg.kind),
      pickOutputDir: async () => {
        const dir = await core.dialogs.pickOutputDir();
        if (dir !== null) chosenOutputDirs.add(dir);
        return dir;
      },
    },
    shell: {
      openExternal: async (arg: Args<'shell', 'openExternal'>) => {
        if (!isSafeExternalUrl(arg.url))
          throw new IpcFailure('forbidden-url', 'Only https links can be opened.');
        await core.shell.openExternal(arg.url);
      },
    },
    engine: {
      status: () => core.engine.status(),
      chooseFfmpeg: () => (core.engine.chooseFfmpeg ?? noFfmpegChoice)(),
      useAutomaticFfmpeg: () => (core.engine.useAutomaticFfmpeg ?? noFfmpegChoice)(),
      restart: () => (core.engine.restart ?? noEngineRestart)(),
    },
    ...createToolsHandlers(core.tools, async (dir) => allowOutputDir(dir)),
    ...createHistoryHandlers(core.history, core.shell),
  } satisfies { [G in keyof IpcContract]: { [M in keyof IpcContract[G]]: unknown } };
}
