/**
 * The history's rows of the IPC contract (issue 12): argument schemas and result types.
 * contract.ts spreads them into ipcContract; main validates every argument with these
 * schemas. Outputs are named by entry id and index, never by path: main opens only files its
 * own history names.
 */
import { z } from 'zod';
import { HISTORY_PAGE_MAX, type HistoryPage } from '../history';
import { historyChannels } from './historyChannels';

/** Carries a result type alongside the schema (the same shape as contract.ts's rows). */
interface Row<S extends z.ZodType, R> {
  readonly channel: string;
  readonly args: S;
  readonly result?: R;
}
function row<R>() {
  return <S extends z.ZodType>(name: string, args: S): Row<S, R> => ({ channel: name, args });
}

const entryId = z.string().min(1).max(128);
const outputArgs = z.strictObject({
  id: entryId,
  /** Which of the entry's outputs (default the first). */
  output: z.number().int().min(0).max(99).optional(),
});

export const historyListSchema = z.strictObject({
  text: z.string().max(200).optional(),
  status: z.enum(['done', 'failed', 'cancelled']).optional(),
  offset: z.number().int().nonnegative().max(10_000_000),
  limit: z.number().int().min(1).max(HISTORY_PAGE_MAX),
});

export const historyContract = {
  history: {
    /** One page of the finished jobs, newest first, matching the search. */
    list: row<HistoryPage>()(historyChannels.history.list, historyListSchema),
    /** Forgets one entry; its files stay where they are. */
    remove: row<void>()(historyChannels.history.remove, z.strictObject({ id: entryId })),
    /** Forgets every entry; the files stay where they are. */
    clear: row<void>()(historyChannels.history.clear, z.undefined()),
    /** Opens an entry's output in its default app (main looks the path up itself). */
    open: row<void>()(historyChannels.history.open, outputArgs),
    /** Shows an entry's output in the file manager (main looks the path up itself). */
    reveal: row<void>()(historyChannels.history.reveal, outputArgs),
  },
} as const;
