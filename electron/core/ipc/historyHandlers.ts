/**
 * Handlers of the history's rows (shared/ipc/historyContract.ts), given arguments the router
 * has validated. An output is opened or shown only by entry id and index: the path comes from
 * main's own history, never from the page, and only while the file is still there.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { IpcContract } from '../../../shared/ipc/contract';
import type { HistoryEntry, HistoryPage, HistoryQuery } from '../../../shared/history';
import { IpcFailure } from './errors';
import type { IpcShell } from './ports';

type Args<G extends keyof IpcContract, M extends keyof IpcContract[G]> = IpcContract[G][M] extends {
  args: infer S extends z.ZodType;
}
  ? z.output<S>
  : never;

/** What the handlers need of the history (electron/core/history/historyStore.ts has it). */
export interface IpcHistory {
  page(query: HistoryQuery): Promise<HistoryPage>;
  get(id: string): HistoryEntry | undefined;
  remove(id: string): Promise<boolean>;
  clear(): Promise<void>;
}

export function createHistoryHandlers(maybeHistory: IpcHistory | undefined, shell: IpcShell) {
  const history = (): IpcHistory => {
    if (!maybeHistory) throw new IpcFailure('unavailable', 'The history is not available here.');
    return maybeHistory;
  };
  /** The entry's output, from main's own record, if the file is still on disk. */
  const outputOf = async (arg: { id: string; output?: number }, verb: string): Promise<string> => {
    const entry = history().get(arg.id);
    if (!entry) throw new IpcFailure('not-found', 'That entry is no longer in the history.');
    const path = entry.outputPaths[arg.output ?? 0];
    if (!path) throw new IpcFailure('not-found', `This entry has no output file to ${verb}.`);
    const there = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!there)
      throw new IpcFailure(
        'output-gone',
        `${basename(path)} is no longer where it was saved (moved or deleted).`,
      );
    return path;
  };
  return {
    history: {
      list: (arg: Args<'history', 'list'>) => history().page(arg),
      remove: async (arg: Args<'history', 'remove'>) => {
        await history().remove(arg.id);
      },
      clear: () => history().clear(),
      open: async (arg: Args<'history', 'open'>) => {
        const path = await outputOf(arg, 'open');
        const problem = await shell.openPath(path);
        if (problem)
          throw new IpcFailure('open-failed', `${basename(path)} could not be opened: ${problem}`);
      },
      reveal: async (arg: Args<'history', 'reveal'>) => {
        await shell.showItemInFolder(await outputOf(arg, 'show'));
      },
    },
  };
}
