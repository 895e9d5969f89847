/**
 * A job's second phase: the stored input becomes one FFmpeg command on the server, which is
 * polled until it ends.
 *
 * stored ─ (input link fresh?) ─ reconcile a submit whose answer was lost ─ submit ─▶
 * submitted (command id saved before anything else) ─ poll ─▶ processing ─ poll ─▶ downloading
 *
 * A command is never submitted twice for the same job and attempt: `submitStartedAt` is on disk
 * before the submit leaves, and a later try first looks the command up by its metadata
 * (client_job_id, client_attempt).
 */
import { recordText } from '../jobDetails';
import type { JobOutput } from '../../../../shared/jobs';
import { DISK_FULL_STATUS, type CommandObject } from '../../../../shared/renderioApi';
import { pollHeld, RESUME_POLL_MS, type PollObservation } from '../pollPolicy';
import type { JobContext } from '../jobContext';
import { answerMayBeLost, JobFailure } from '../jobErrors';
import { shortResultWarning } from '../shortResult';
import { localNameOf } from './outputNames';
import { reconcileSubmit, submitJob } from '../submitCommand';

async function adoptCommand(ctx: JobContext, commandId: string): Promise<void> {
  ctx.job.remote.commandId = commandId;
  ctx.job.remote.submittedAt = ctx.now();
  ctx.setStage('submitted');
  await ctx.save();
  ctx.guard();
  await ctx.checkpoint('submitted');
}

/** The input's storage link, read again when it comes from an earlier session; false: it is gone. */
async function freshInput(ctx: JobContext): Promise<boolean> {
  const { job, client, signal } = ctx;
  if (ctx.freshUrls.has()) return true;
  const file = await client.getFile(job.remote.fileId ?? '', { signal }).catch((error: unknown) => {
    if ((error as { kind?: string }).kind === 'not-found') return null;
    throw error;
  });
  ctx.guard();
  if (!file || file.status !== 'STORED' || !file.storage_url) return false;
  job.remote.inputUrl = file.storage_url;
  ctx.freshUrls.mark();
  return true;
}

async function submit(ctx: JobContext, inputUrl: string): Promise<void> {
  const { job, client, signal } = ctx;
  if (job.remote.submitStartedAt !== undefined) {
    const found = await reconcileSubmit(client, job, { signal });
    ctx.guard();
    if (found) {
      ctx.logger.info(`job ${job.id}: found its command after a lost answer`);
      await adoptCommand(ctx, found);
      return;
    }
  }
  job.remote.submitStartedAt = ctx.now();
  await ctx.save();
  ctx.guard();
  let commandId: string;
  try {
    commandId = (await submitJob(client, job, inputUrl, { signal })).command_id;
  } catch (error) {
    if (!answerMayBeLost(error) || signal.aborted) throw error;
    const found = await reconcileSubmit(client, job, { signal }).catch(() => null);
    if (!found) throw error;
    commandId = found;
  }
  // Recorded even if a pause or cancel arrived meanwhile: it is what makes a resume safe.
  job.remote.commandId = commandId;
  await ctx.checkpoint('submit-answered');
  ctx.guard();
  await adoptCommand(ctx, commandId);
}

async function poll(ctx: JobContext, commandId: string): Promise<void> {
  const { job, client, signal } = ctx;
  const submittedAt = ctx.now(); // restarts poll from here: elapsed time before is unknown
  const observations: PollObservation[] = [];
  let wait =
    job.stage === 'processing'
      ? (ctx.pollPolicy.resume?.() ?? RESUME_POLL_MS)
      : ctx.pollPolicy.first();
  let lastStatus: string | null = null;
  for (;;) {
    const command: CommandObject = await pollHeld(
      ctx.pollPolicy,
      wait,
      lastStatus,
      ctx.sleep,
      ctx.now,
      (holdMs) =>
        client.getCommand(commandId, { signal, ...(holdMs === undefined ? {} : { holdMs }) }),
    );
    lastStatus = command.status;
    ctx.countPoll();
    ctx.guard();
    const progress = typeof command.progress === 'number' ? command.progress : null;
    observations.push({ at: ctx.now(), status: command.status, progress });
    // Kept for the Details dialog: the remote copy may be cleaned up once downloaded.
    if (command.status === 'SUCCESS' || command.status === 'FAILED')
      job.remote.record = recordText(command);
    if (command.status === 'SUCCESS') {
      const outputs: JobOutput[] = Object.entries(command.output_files ?? {}).map(
        ([alias, file]) => ({
          alias,
          fileId: file.file_id ?? null,
          url: file.storage_url ?? null,
          filename: file.filename,
        }),
      );
      const wanted = job.settings.preset.outputs.map((o) => o.alias);
      outputs.sort((a, b) => wanted.indexOf(a.alias) - wanted.indexOf(b.alias));
      job.remote.outputs = outputs;
      const preset = job.settings.preset;
      job.warning = shortResultWarning(
        job.remote.source,
        outputs.map((output) => {
          const file = command.output_files[output.alias];
          return {
            name: preset.outputs.length > 1 ? localNameOf(job, output) : null,
            kind: file?.file_type ?? null,
            seconds: file?.duration ?? null,
          };
        }),
        preset.ffmpegCommand ?? (preset.ffmpegCommands ?? []).join(' '),
      );
      ctx.freshUrls.mark();
      ctx.setStage('downloading');
      // Saved with the first output's name, before its download starts: a restart before it
      // polls the command again and finds it ended.
      ctx.saveLater();
      ctx.guard();
      await ctx.checkpoint('succeeded');
      return;
    }
    if (command.status === 'FAILED') {
      // A full disk is the one failure the same command gets past: once space is freed.
      const diskFull = command.error_status === DISK_FULL_STATUS;
      throw new JobFailure(
        diskFull ? 'storage-full' : 'ffmpeg',
        command.error_message ?? command.error_status ?? 'The command failed.',
        diskFull,
      );
    }
    if (command.status === 'PROCESSING') {
      if (job.stage !== 'processing') {
        ctx.setStage('processing');
        // Only the stage: a restart polls the command it knows either way.
        ctx.saveLater();
        ctx.guard();
        await ctx.checkpoint('processing');
      }
      ctx.reportFraction(progress);
    }
    wait = ctx.pollPolicy.next(submittedAt, observations, ctx.now());
  }
}

export async function remotePhase(ctx: JobContext): Promise<void> {
  const { job } = ctx;
  if (!job.remote.commandId) {
    // Stored without an input link, or the upload is gone from the server: upload again.
    if (!job.remote.inputUrl || !(await freshInput(ctx))) {
      job.remote = {};
      ctx.setStage('queued');
      await ctx.save();
      return;
    }
    await submit(ctx, job.remote.inputUrl);
  }
  const commandId = job.remote.commandId;
  if (commandId) await poll(ctx, commandId);
}
