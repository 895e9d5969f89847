/**
 * The tools' port (toolsPorts.ts) bound to the app core: the preset library, the vault's
 * profiles, the settings and the watch folders, plus the host's three dialogs.
 */
import { open as openFile } from 'node:fs/promises';
import type { ToolsSettings } from '../../../shared/ipc/contract';
import { writeFileAtomic } from '../../../shared/node/atomicWrite';
import type { AppCore } from '../appCore';
import type { AppSettings } from '../settings/appSettings';
import { IpcFailure } from './errors';
import type { IpcTools, ToolsDialogs } from './toolsPorts';

export function toToolsSettings(s: AppSettings): ToolsSettings {
  return {
    concurrency: { ...s.concurrency },
    cleanupRemote: s.cleanupRemote,
    notifications: s.notifications,
    theme: s.theme,
    chosenFfmpeg: s.chosenFfmpeg,
    pollIntervalSeconds: { ...s.pollIntervalSeconds },
  };
}

async function readBounded(path: string, maxBytes: number): Promise<string> {
  const handle = await openFile(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new IpcFailure('invalid-file', 'That file is too large.');
    const buffer = Buffer.alloc(size);
    await handle.read(buffer, 0, size, 0);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

export function createToolsBinding(core: AppCore, dialogs: ToolsDialogs): IpcTools {
  return {
    presets: {
      get: (id) => core.presets.get(id),
      create: (input) => core.presets.create({ description: '', ...input }),
      update: (id, input) => core.presets.update(id, { description: '', ...input }),
      remove: (id) => core.presets.delete(id),
      importJson: (text) => core.presets.importJson(text),
      exportJson: (ids) => core.presets.exportJson(ids),
    },
    profiles: {
      add: async (input) => {
        await core.vault.addProfile(input);
        return core.vault.status();
      },
      update: async (profileId, input) => {
        await core.vault.updateProfile(profileId, input);
        return core.vault.status();
      },
      remove: (profileId) => core.vault.removeProfile(profileId),
      setWeakStorage: (allow) => core.vault.setAllowInsecurePersistence(allow),
      async otherProfileWithKey(key, profileId) {
        const target = profileId ?? core.vault.profiles.defaultCloud()?.id;
        for (const p of core.vault.profiles.list()) {
          if (p.kind !== 'cloud' || p.id === target) continue;
          const held = await core.vault.secrets.get(p.id, p.name).catch(() => null);
          if (held === key) return p.name;
        }
        return null;
      },
    },
    settings: {
      get: () => toToolsSettings(core.settings.get()),
      update: async (patch) => toToolsSettings(await core.settings.update(patch)),
    },
    watch: {
      list: () => core.watches.list(),
      add: (request) => core.watches.add(request),
      setPaused: (id, paused) => core.watches.setPaused(id, paused),
      remove: (id) => core.watches.remove(id),
    },
    dialogs,
    readTextFile: readBounded,
    writeTextFile: (path, text) => writeFileAtomic(path, text),
  };
}
