/**
 * A job's last phase: each output comes down to `<name>.part` and is moved to its final name
 * under the collision policy; then the remote copies are deleted when the settings ask for it.
 *
 * downloading ─ (links fresh?) ─ for each output: name chosen and saved ─ download ─ commit
 * announced and saved ─ move ─ path saved ─▶ done (remote clean-up handed to RemoteCleanup)
 *
 * A move announced before a crash is finished or adopted on the next run, never downloaded again.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileProblemWords } from '../../../../shared/fileProblemWords';
import { errnoCode } from '../../../../shared/node/errnoCode';
import type { JobContext } from '../jobContext';
import { JobFailure } from '../jobErrors';
import { localNameOf, nameNotHeld, outputDirOf } from './outputNames';

export async function downloadPhase(ctx: JobContext): Promise<void> {
  const { job, client, signal } = ctx;
  const outputs = job.remote.outputs ?? [];
  const dir = outputDirOf(job);
  let reported = false;
  // Links saved by an earlier session may have expired or point at an engine that has moved.
  if (!ctx.freshUrls.has() && outputs.some((o) => o.localPath === undefined)) {
    const command = await client.getCommand(job.remote.commandId ?? '', { signal });
    ctx.guard();
    for (const output of outputs)
      output.url = command.output_files?.[output.alias]?.storage_url ?? output.url;
    ctx.freshUrls.mark();
  }
  const startedBefore = new Set(outputs.filter((o) => o.localName).map((o) => o.alias));
  for (const output of outputs) {
    if (output.localPath !== undefined) continue;
    // Chosen and held in one step (no await between): two jobs ending together cannot both
    // take one name, and the names others hold are passed over when this one is numbered.
    const held = ctx.namesHeld(dir);
    if (!output.localName) {
      output.localName = nameNotHeld(localNameOf(job, output), held);
      await ctx.save();
      ctx.guard();
    }
    if (!output.url)
      throw new JobFailure(
        'protocol',
        `The command reported no download link for ${output.alias}.`,
      );
    await mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw new JobFailure(
        'output-folder',
        `The output folder ${dir} cannot be made: ${fileProblemWords(errnoCode(error))}. Retry once it can be made.`,
      );
    });
    const commandId = job.remote.commandId ?? '';
    const result = await client.download({
      resumeExisting: startedBefore.has(output.alias),
      recordedCommit: output.commit,
      beforeCommit: async (commit) => {
        output.commit = commit;
        await ctx.save();
        await ctx.checkpoint('output-committing');
      },
      url: output.url,
      dir,
      fileName: output.localName,
      collision: job.settings.collision,
      protectedPaths: [job.sourcePath],
      heldPaths: [...held.values()].map((name) => join(dir, name)),
      signal,
      onProgress: (done, total) => {
        ctx.reportBytes(done, total);
        if (!reported && done > 0) {
          reported = true;
          void ctx.checkpoint('download-progress');
        }
      },
      refreshUrl: async () => {
        const command = await client.getCommand(commandId, { signal });
        const url = command.output_files?.[output.alias]?.storage_url;
        if (!url)
          throw new JobFailure(
            'not-found',
            'The output is no longer available on the server.',
            false,
          );
        output.url = url;
        return url;
      },
    });
    await ctx.checkpoint('output-renamed');
    output.localPath = result.path;
    delete output.commit;
    if (result.path) {
      job.outputPaths.push(result.path);
      // The saved file's own size (a resumed or adopted download reports only part of it).
      const size = await stat(result.path).then(
        (s) => s.size,
        () => 0,
      );
      job.outputBytes = (job.outputBytes ?? 0) + size;
    }
    await ctx.save();
    await ctx.checkpoint('output-saved');
    ctx.guard();
  }
  if (ctx.settings().cleanupRemote && !job.remote.cleanedUp) {
    // Handed to the clean-up list, which keeps trying: a failed deletion never fails a
    // finished conversion, and is never forgotten.
    await ctx.cleanup.enqueue({
      profileId: job.settings.profileId,
      fileId: job.remote.fileId,
      commandId: job.remote.commandId,
      ended: true,
      reason: `the remote copies of ${job.sourceName}`,
    });
    job.remote.cleanedUp = true;
  }
  ctx.guard();
  ctx.setStage('done');
  job.error = null;
  await ctx.save();
  await ctx.checkpoint('done');
}
