/**
 * Remote copies to delete, kept on disk until they are gone: the inputs and outputs of
 * cancelled and removed jobs, of finished jobs when the settings ask for it, and uploads whose
 * answer was lost (orphans). A deletion that fails is tried again later, with a growing wait,
 * across restarts; it is dropped only once the server says the file is gone (404) or the
 * profile it belongs to no longer exists. A command still running is waited for (it writes its
 * outputs when it ends) before its files are deleted.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../../shared/redact';
import type { Clock } from '../ports';
import { createCoalescingWriter, readJson } from '../files/atomicJson';
import type { QueueClient } from './ports';

const TaskSchema = z.object({
  id: z.string(),
  profileId: z.string(),
  fileId: z.string().optional(),
  commandId: z.string().optional(),
  /**
   * The command is known to have ended (its SUCCESS was seen, its outputs downloaded): its
   * files are deleted without first asking whether it still runs.
   */
  ended: z.boolean().optional(),
  /** Why it is deleted, for the log. */
  reason: z.string(),
  attempts: z.number().int().nonnegative(),
  nextAt: z.number(),
  since: z.number(),
});
export type CleanupTask = z.infer<typeof TaskSchema>;

const FileSchema = z.object({ version: z.literal(1), tasks: z.array(TaskSchema) });

const MAX_WAIT_MS = 60 * 60 * 1000;
/**
 * How long a new deletion is tried before it is written down. One done by then (the local
 * engine's take a few milliseconds) never reaches the disk: the list would gain it and lose it,
 * two rewrites of the file a finished job. One still going is written down, as before, so it
 * survives a crash; the job counts as cleaned up only once `enqueue` has returned either way.
 */
export const TRY_BEFORE_RECORDING_MS = 250;
/** How long to wait for a still-running command before deleting its files anyway. */
const COMMAND_WAIT_MS = 15 * 60 * 1000;

export interface RemoteCleanup {
  /**
   * Runs the deletion; resolves once it is done or recorded on disk (it is then tried again
   * until it is done, across restarts).
   */
  enqueue(task: {
    profileId: string;
    fileId?: string;
    commandId?: string;
    /** The command has ended (a finished job): no need to ask before deleting its files. */
    ended?: boolean;
    reason: string;
  }): Promise<void>;
  /** Deletions not done yet. */
  pending(): readonly CleanupTask[];
  /** Tries every pending deletion now (the network is back, a test). */
  runNow(): Promise<void>;
  /** Resolves once the deletions in flight have settled (tests, shutdown). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function openRemoteCleanup(options: {
  dataDir: string;
  clientFor(profileId: string): QueueClient;
  clock: Clock;
  logger: Logger;
  /** How long a new deletion is tried before it is written down. */
  tryMs?: number;
}): Promise<RemoteCleanup> {
  const path = join(options.dataDir, 'remote-cleanup.json');
  const { clock, logger } = options;
  let tasks: CleanupTask[] = [];
  /**
   * New deletions still in their first TRY_BEFORE_RECORDING_MS: left out of what is written.
   * Without this, a run that ended while another job's deletion had just been added wrote that
   * one down, though it was done milliseconds later (two jobs finishing together).
   */
  const trying = new Set<CleanupTask>();
  const serialize = (): string =>
    JSON.stringify({ version: 1, tasks: tasks.filter((t) => !trying.has(t)) });
  /** What the file holds (no file: an empty list), so that saving the same writes nothing. */
  let onDisk: string | undefined;
  try {
    const raw = await readJson(path);
    if (raw !== undefined) tasks = FileSchema.parse(raw).tasks;
    onDisk = serialize();
  } catch (error) {
    logger.error('remote clean-up list unreadable; starting a new one', error);
  }
  const writer = createCoalescingWriter(path, serialize, onDisk);
  let closed = false;
  let cancelTimer: (() => void) | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  let seq = 0;

  const done = (task: CleanupTask): void => {
    tasks = tasks.filter((t) => t !== task);
    trying.delete(task);
  };

  const runOne = async (task: CleanupTask): Promise<void> => {
    let client: QueueClient;
    try {
      client = options.clientFor(task.profileId);
    } catch {
      logger.warn(`remote clean-up of ${task.reason}: its profile is gone; dropped`);
      done(task);
      return;
    }
    const gone = (error: unknown): void => {
      if ((error as { kind?: unknown }).kind !== 'not-found') throw error;
    };
    try {
      // The input first: it is not waiting for anything.
      if (task.fileId) {
        await client.deleteFile(task.fileId).catch(gone);
        delete task.fileId;
      }
      if (task.commandId && task.ended) {
        await client.deleteCommandFiles(task.commandId).catch(gone);
      } else if (task.commandId) {
        const command = await client.getCommand(task.commandId).catch((error: unknown) => {
          gone(error);
          return null;
        });
        const running = command && (command.status === 'QUEUED' || command.status === 'PROCESSING');
        if (running && clock.now() - task.since < COMMAND_WAIT_MS) {
          // Its outputs appear when it ends: look again soon, without counting a failure.
          task.nextAt = clock.now() + Math.min(10_000, 500 * 2 ** Math.min(task.attempts, 5));
          task.attempts++;
          return;
        }
        if (command) await client.deleteCommandFiles(task.commandId).catch(gone);
      }
      done(task);
    } catch (error) {
      task.attempts++;
      const wait = Math.min(MAX_WAIT_MS, 2_000 * 2 ** Math.min(task.attempts, 12));
      task.nextAt = clock.now() + wait;
      logger.info(
        `remote clean-up of ${task.reason} failed (${(error as Error).message}); again in ${Math.round(wait / 1000)} s`,
      );
    }
  };

  const schedule = (): void => {
    cancelTimer?.();
    cancelTimer = null;
    if (closed || tasks.length === 0) return;
    const next = Math.min(...tasks.map((t) => t.nextAt));
    cancelTimer = clock.setTimer(Math.max(0, next - clock.now()), () => {
      cancelTimer = null;
      void run(false);
    });
  };

  const run = (all: boolean): Promise<void> => {
    inFlight = inFlight.then(async () => {
      if (closed) return;
      const now = clock.now();
      for (const task of [...tasks]) {
        if (closed) break;
        if (all || task.nextAt <= now) await runOne(task);
      }
      await writer
        .save()
        .catch((error: unknown) => logger.error('saving the clean-up list failed', error));
      schedule();
    });
    return inFlight;
  };

  if (tasks.length > 0) schedule();

  return {
    async enqueue(input) {
      if (!input.fileId && !input.commandId) return;
      const now = clock.now();
      const task: CleanupTask = {
        ...input,
        id: `${now}-${seq++}`,
        attempts: 0,
        nextAt: now,
        since: now,
      };
      tasks.push(task);
      trying.add(task);
      // A run saves the list when it ends (a failed attempt of an older deletion is written
      // down there; this one is written below, once its first try is over).
      const waited = new AbortController();
      await Promise.race([
        run(false),
        clock.sleep(options.tryMs ?? TRY_BEFORE_RECORDING_MS, waited.signal).catch(() => undefined),
      ]);
      // No timer left behind: a short CLI run ends when its work does.
      waited.abort();
      trying.delete(task);
      if (tasks.includes(task)) await writer.save();
    },
    pending: () => tasks,
    runNow: () => run(true),
    settle: () => inFlight,
    async close() {
      // One last pass over what is due (a short run of the CLI must not leave its clean-up
      // for a next run that may never come), bounded so quitting stays quick.
      await Promise.race([run(false), clock.sleep(3_000)]);
      closed = true;
      cancelTimer?.();
      // Quitting ends every first try: what is not done yet is written down now.
      trying.clear();
      await writer.save().catch(() => undefined);
    },
  };
}
