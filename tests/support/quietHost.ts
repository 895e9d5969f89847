/**
 * What main's host ports answer when nobody clicks: no dialog picks anything, the clipboard is
 * empty, the shell does nothing. For tests and benches that drive the IPC core without the
 * dialogs under test; `pickSources` answers the files "the person chose", one list per call.
 */
import type { HostPorts } from '../../electron/core/ipc/appBinding';

export function quietHost(sources: string[][] = []): HostPorts {
  return {
    dialogs: {
      pickSources: async () => sources.shift() ?? [],
      pickOutputDir: async () => null,
      pickKeyFile: async () => null,
      locateSource: async () => null,
    },
    clipboard: { readText: () => '' },
    shell: {
      showItemInFolder: () => undefined,
      openPath: async () => '',
      startDrag: () => undefined,
      openExternal: async () => undefined,
    },
  };
}
