/**
 * The queue file's schema (queue.json and each queue.journal line), with its version history:
 *   1  the first format (until the queue was split into phases)
 *   2  adds a job's `retry` (always null on disk: a back-off does not outlive the session) and
 *      `remote.uploadTag` (finding an upload whose answer was lost); version 1 reads as 2.
 * Jobs are checked field by field, so a damaged job is told apart from a damaged file.
 */
import { z } from 'zod';

export const QUEUE_FILE_VERSION = 2;

const stage = z.enum([
  'queued',
  'uploading',
  'stored',
  'submitted',
  'processing',
  'downloading',
  'done',
  'failed',
  'cancelled',
  'paused',
  'waiting-for-key',
  'rate-limited',
]);

const output = z.looseObject({
  alias: z.string(),
  fileId: z.string().nullable(),
  url: z.string().nullable(),
  filename: z.string(),
  localName: z.string().optional(),
  localPath: z.string().nullable().optional(),
  commit: z
    .looseObject({ path: z.string(), bytes: z.number(), identity: z.string().optional() })
    .optional(),
});

const remote = z.looseObject({
  fileId: z.string().optional(),
  uploadTag: z.string().optional(),
  inputUrl: z.string().optional(),
  commandId: z.string().optional(),
  outputs: z.array(output).optional(),
  submitStartedAt: z.number().optional(),
  submittedAt: z.number().optional(),
  cleanedUp: z.boolean().optional(),
});

const settingsFields = {
  presetId: z.string(),
  outputDir: z.string().nullable(),
  nameTemplate: z.string(),
  collision: z.enum(['rename', 'overwrite', 'skip']),
  mirrorRoot: z.string().nullable(),
  profileId: z.string(),
};

const jobFields = {
  id: z.string().min(1),
  sourcePath: z.string(),
  sourceName: z.string(),
  sourceSize: z.number(),
  mediaKind: z.enum(['video', 'audio', 'image']).nullable(),
  stage,
  resumeStage: stage.nullable(),
  holdUntil: z.number().nullable(),
  remote,
  progress: z.unknown(),
  outputPaths: z.array(z.string()),
  error: z
    .looseObject({ code: z.string(), message: z.string(), retryable: z.boolean() })
    .nullable(),
  retry: z.unknown().optional(),
  attempts: z.number().int().nonnegative(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  stageTimings: z.record(z.string(), z.number()),
  stageSince: z.number().optional(),
  rev: z.number().int().nonnegative().optional(),
};

/** A job in queue.json: its preset stored once per file, by index. */
export const storedJobSchema = z.looseObject({
  ...jobFields,
  settings: z.looseObject({ ...settingsFields, presetRef: z.number().int().nonnegative() }),
});

/** A job in a journal line: whole, preset included. */
export const journalJobSchema = z.looseObject({
  ...jobFields,
  settings: z.looseObject({ ...settingsFields, preset: z.looseObject({ id: z.string() }) }),
});

export const queueFileSchema = z.looseObject({
  version: z.union([z.literal(1), z.literal(2)]),
  seq: z.number().int().nonnegative().optional(),
  paused: z.boolean().optional(),
  stopAfterRunning: z.boolean().optional(),
  presets: z.array(z.looseObject({ id: z.string() })),
  /** Checked one by one (storedJobSchema): a damaged job does not lose the others. */
  jobs: z.array(z.unknown()),
});

export const journalLineSchema = z.object({ seq: z.number().int(), job: journalJobSchema });
