/**
 * A job's first phase: its source file goes to the server and waits there until it is STORED.
 *
 * queued ─ checks (preset, file still there, sound) ─▶ uploading ─ upload ─▶ (file id saved)
 *        ─ poll the file ─▶ stored
 * queued ─ collision "skip" and every output already there ─▶ done (nothing sent)
 *
 * Each upload carries a tag of the job (in its file name), so an upload whose answer was lost
 * is found again on the next try and used instead of being sent twice (or left on the server).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileProblemWords } from '../../../../shared/fileProblemWords';
import { errnoCode } from '../../../../shared/node/errnoCode';
import { outputFolderProblem } from '../../files/outputFolderCheck';
import { SOURCE_GONE, type Job, type JobOutput } from '../../../../shared/jobs';
import { exists } from '../../transfers/collision';
import { silentPaths } from '../../files/probeAudio';
import type { JobContext } from '../jobContext';
import { JobFailure } from '../jobErrors';
import { pollHeld } from '../pollPolicy';
import { needsSound, silentVideoRefusal } from '../presetChecks';
import { nameNotHeld, outputDirOf, plannedOutputs } from './outputNames';
import { findTaggedUpload, uploadNameFor } from './uploadTag';

/**
 * The source is not where it was added from. Not retryable: trying again fails alike; the
 * window offers "Locate…" (queue.locateSource) or "Remove" instead.
 */
export function sourceGone(job: Job): JobFailure {
  return new JobFailure(
    SOURCE_GONE,
    `${job.sourceName} is no longer in ${dirname(job.sourcePath)}: it was moved, renamed or deleted.`,
    false,
  );
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/**
 * How long a try whose upload answer was lost waits for uploads still being probed to be named
 * (uploadTag.ts). Sending a large file again costs far more than this; a probe takes seconds.
 */
export const LOST_UPLOAD_WAIT_MS = 5 * 60_000;
const LOST_UPLOAD_FIRST_LOOK_MS = 250;
const LOST_UPLOAD_LONGEST_LOOK_MS = 5_000;

/**
 * An earlier try sent the file but its answer never came: find it by its tag and use it, so
 * it is not sent (and stored) twice. Sets job.remote.fileId when found.
 */
async function adoptLostUpload(ctx: JobContext, tag: string): Promise<void> {
  const { job, client, signal } = ctx;
  const since = ctx.now();
  let delay = LOST_UPLOAD_FIRST_LOOK_MS;
  for (;;) {
    const found = await findTaggedUpload(client, tag, { signal, sourceSize: job.sourceSize });
    ctx.guard();
    for (const extra of found.extra)
      await ctx.cleanup.enqueue({
        profileId: job.settings.profileId,
        fileId: extra,
        reason: `an upload of ${job.sourceName} sent twice or broken`,
      });
    if (found.fileId) {
      ctx.logger.info(`job ${job.id}: found its upload after a lost answer`);
      job.remote.fileId = found.fileId;
      await ctx.save();
      return;
    }
    // Not named yet may mean not probed yet: wait for the server rather than send it again.
    if (found.probing === 0 || ctx.now() - since >= LOST_UPLOAD_WAIT_MS) return;
    if (delay === LOST_UPLOAD_FIRST_LOOK_MS)
      ctx.logger.info(`job ${job.id}: waiting for uploads still being probed after a lost answer`);
    ctx.setStage('uploading');
    await ctx.sleep(delay);
    ctx.guard();
    delay = Math.min(LOST_UPLOAD_LONGEST_LOOK_MS, delay * 2);
  }
}

/**
 * The names a job's outputs would be given now (phases/outputNames.ts, as its download chooses
 * them: the template's name, numbered past the names other jobs hold), or null when one of those
 * files is not there.
 */
async function outputsAllThere(ctx: JobContext, dir: string): Promise<JobOutput[] | null> {
  const outputs = plannedOutputs(ctx.job);
  const held = ctx.namesHeld(dir);
  for (const output of outputs) {
    output.localName = nameNotHeld(output.filename, held);
    if (!(await exists(join(dir, output.localName)))) return null;
  }
  return outputs;
}

/**
 * With the collision policy "skip", a job whose every output is already there, at the name its
 * download would give it, would be uploaded and encoded only for each result to be dropped at the
 * end (the person chose "skip" not to redo that work). It is done at once instead, without a
 * request, its outputs recorded as a skip at the download records them (`localName` and a
 * `localPath` of null; no remote ids, nothing to clean up). Only a job whose upload has not
 * started: one that uploaded or submitted (a restart, a lost answer) runs on as before. When some
 * outputs are missing the job runs as usual, and the download skips those that are there.
 */
async function skipWhenAllThere(ctx: JobContext): Promise<boolean> {
  const { job } = ctx;
  const { remote } = job;
  if (job.settings.collision !== 'skip' || job.settings.preset.outputs.length === 0) return false;
  // Called only before an upload (no file id, so no command either): a tag means one was sent
  // and its answer lost, and recorded outputs mean the names were chosen before a restart.
  if (remote.uploadTag || remote.outputs) return false;
  const dir = outputDirOf(job);
  const outputs = await outputsAllThere(ctx, dir);
  ctx.guard();
  if (!outputs) return false;
  // The names chosen again with nothing awaited until they are recorded (so held): when another
  // job took one of them during the look, this one simply runs, and its download decides.
  const held = ctx.namesHeld(dir);
  if (outputs.some((o) => o.localName !== nameNotHeld(o.filename, held))) return false;
  for (const output of outputs) output.localPath = null;
  remote.outputs = outputs;
  job.error = null;
  ctx.logger.info(
    `job ${job.id}: every output is already there and the collision policy is skip: nothing to convert`,
  );
  ctx.setStage('done');
  await ctx.save();
  await ctx.checkpoint('done');
  return true;
}

export async function uploadPhase(ctx: JobContext): Promise<void> {
  const { job, client, signal } = ctx;
  // The check add and applyPreset made, made again: a preset the app lists but cannot run
  // never reaches an upload, whatever brought the job here.
  const preset = job.settings.preset;
  const refusal = ctx.presetRefusal(preset, job.mediaKind);
  if (refusal) throw new JobFailure('preset', refusal, false);
  // Retryable: choosing an ffmpeg, or one with the encoder, lets the same job run.
  const here = ctx.refusalHere(preset);
  if (here) throw new JobFailure('preset', here, true);

  if (!job.remote.fileId && job.remote.uploadTag) await adoptLostUpload(ctx, job.remote.uploadTag);

  if (!job.remote.fileId) {
    const info = await stat(job.sourcePath).catch(() => null);
    ctx.guard();
    if (!info || !info.isFile()) throw sourceGone(job);
    // Before anything is probed, checked or sent: the outputs are there and are to be kept.
    if (await skipWhenAllThere(ctx)) return;
    // Checked again here, not only when the job was added: a preset applied to a queued job
    // later must not upload a silent video for an audio preset either.
    if (
      needsSound(preset, job.mediaKind) &&
      (await silentPaths([job.sourcePath], ctx.hasAudio)).size > 0
    )
      throw new JobFailure('input', silentVideoRefusal(preset), false);
    ctx.guard();
    // Both asked before the work, not found after it: a source this user may not read failed
    // as "Reading … failed during the upload", and an output folder on a read-only disk only
    // once the converted file was written, after the whole encode.
    const unreadable = await access(job.sourcePath, constants.R_OK).then(
      () => null,
      (error: unknown) => errnoCode(error),
    );
    if (unreadable)
      throw new JobFailure(
        'input',
        `${job.sourceName} cannot be read: ${fileProblemWords(unreadable)}.`,
        true,
      );
    const folderProblem = await outputFolderProblem(outputDirOf(job));
    ctx.guard();
    if (folderProblem) throw new JobFailure('output-folder', folderProblem, true);
    job.sourceSize = info.size;
    const tag = (job.remote.uploadTag ??= `${job.id.slice(0, 8)}${job.attempts}`);
    ctx.setStage('uploading');
    await ctx.save();
    ctx.guard();
    await ctx.checkpoint('upload-started');
    const { file_id } = await client
      .uploadFile(job.sourcePath, {
        signal,
        fileName: uploadNameFor(job.sourceName, tag),
        onProgress: (sent, total) => ctx.reportBytes(sent, total ?? job.sourceSize),
      })
      .catch(async (error: unknown) => {
        // Moved or deleted while it was being sent: say that, not how the read failed.
        if (!signal.aborted && !(await isFile(job.sourcePath))) throw sourceGone(job);
        throw error;
      });
    job.remote.fileId = file_id;
    await ctx.save();
    ctx.guard();
    await ctx.checkpoint('uploaded');
    ctx.guard();
  }

  ctx.setStage('uploading');
  job.progress = {
    ...job.progress,
    fraction: 1,
    bytesDone: job.sourceSize,
    bytesTotal: job.sourceSize,
  };
  let delay = 0;
  let lastStatus: string | null = null;
  for (;;) {
    let file;
    const fileId = job.remote.fileId;
    try {
      // The first look is at once; later ones wait (held by this computer's engine).
      file = await pollHeld(ctx.pollPolicy, delay, lastStatus, ctx.sleep, ctx.now, (holdMs) =>
        client.getFile(fileId, { signal, ...(holdMs === undefined ? {} : { holdMs }) }),
      );
      lastStatus = file.status;
    } catch (error) {
      // The server lost the upload (or it expired): upload again.
      if ((error as { kind?: string }).kind === 'not-found') {
        delete job.remote.fileId;
        delete job.remote.uploadTag;
        ctx.saveSoon();
        return uploadPhase(ctx);
      }
      throw error;
    }
    ctx.guard();
    if (file.status === 'STORED' && file.storage_url) {
      job.remote.inputUrl = file.storage_url;
      job.remote.source = { kind: file.file_type, seconds: file.duration };
      ctx.freshUrls.mark();
      break;
    }
    if (file.status === 'FAILED')
      throw new JobFailure(
        'input',
        `${job.sourceName} could not be read. ${file.error_message ?? file.error_status ?? 'no reason was given'}`,
        false,
      );
    delay = delay === 0 ? 100 : Math.min(2000, delay * 1.5);
  }
  ctx.setStage('stored');
  // Saved with the submit's mark, which follows before anything is sent: a restart before it
  // polls the stored file again.
  ctx.saveLater();
  ctx.guard();
  await ctx.checkpoint('stored');
}
