/**
 * A job's first phase: its source file goes to the server and waits there until it is STORED.
 *
 * queued ─ checks (preset, file still there, sound) ─▶ uploading ─ upload ─▶ (file id saved)
 *        ─ poll the file ─▶ stored
 *
 * Each upload carries a tag of the job (in its file name), so an upload whose answer was lost
 * is found again on the next try and used instead of being sent twice (or left on the server).
 */
import { stat } from 'node:fs/promises';
import { silentPaths } from '../../files/probeAudio';
import type { JobContext } from '../jobContext';
import { JobFailure } from '../jobErrors';
import { needsSound, silentVideoRefusal } from '../presetChecks';
import { findTaggedUpload, uploadNameFor } from './uploadTag';

export async function uploadPhase(ctx: JobContext): Promise<void> {
  const { job, client, signal } = ctx;
  // The check add and applyPreset made, made again: a preset the app lists but cannot run
  // never reaches an upload, whatever brought the job here.
  const preset = job.settings.preset;
  const refusal = ctx.presetRefusal(preset, job.mediaKind);
  if (refusal) throw new JobFailure('preset', refusal, false);

  let adopted = false;
  if (!job.remote.fileId && job.remote.uploadTag) {
    // An earlier try sent the file but its answer never came: look for it first.
    const found = await findTaggedUpload(client, job.remote.uploadTag, {
      signal,
      sourceSize: job.sourceSize,
    });
    ctx.guard();
    for (const extra of found.extra)
      await ctx.cleanup.enqueue({
        profileId: job.settings.profileId,
        fileId: extra,
        reason: `an upload of ${job.sourceName} sent twice`,
      });
    if (found.fileId) {
      ctx.logger.info(`job ${job.id}: found its upload after a lost answer`);
      job.remote.fileId = found.fileId;
      adopted = true;
      await ctx.save();
    }
  }

  if (!job.remote.fileId) {
    const info = await stat(job.sourcePath).catch(() => null);
    ctx.guard();
    if (!info || !info.isFile())
      throw new JobFailure('input', `The source file is gone: ${job.sourcePath}`);
    // Checked again here, not only when the job was added: a preset applied to a queued job
    // later must not upload a silent video for an audio preset either.
    if (
      needsSound(preset, job.mediaKind) &&
      (await silentPaths([job.sourcePath], ctx.hasAudio)).size > 0
    )
      throw new JobFailure('input', silentVideoRefusal(preset), false);
    ctx.guard();
    job.sourceSize = info.size;
    const tag = (job.remote.uploadTag ??= `${job.id.slice(0, 8)}${job.attempts}`);
    ctx.setStage('uploading');
    await ctx.save();
    ctx.guard();
    await ctx.checkpoint('upload-started');
    const { file_id } = await client.uploadFile(job.sourcePath, {
      signal,
      fileName: uploadNameFor(job.sourceName, tag),
      onProgress: (sent, total) => ctx.reportBytes(sent, total ?? job.sourceSize),
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
  let delay = 100;
  for (;;) {
    let file;
    try {
      file = await client.getFile(job.remote.fileId, { signal });
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
      ctx.freshUrls.mark();
      break;
    }
    if (file.status === 'FAILED' && adopted) {
      // The upload found again was cut short after all: drop it, send the file again.
      await ctx.cleanup.enqueue({
        profileId: job.settings.profileId,
        fileId: job.remote.fileId,
        reason: `a broken upload of ${job.sourceName}`,
      });
      delete job.remote.fileId;
      job.remote.uploadTag = `${job.remote.uploadTag ?? ''}x`;
      ctx.saveSoon();
      return uploadPhase(ctx);
    }
    if (file.status === 'FAILED')
      throw new JobFailure(
        'input',
        `The file could not be read: ${file.error_message ?? file.error_status ?? 'unknown reason'}`,
        false,
      );
    await ctx.sleep(delay);
    delay = Math.min(2000, delay * 1.5);
  }
  ctx.setStage('stored');
  await ctx.save();
  ctx.guard();
  await ctx.checkpoint('stored');
}
