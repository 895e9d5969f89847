/**
 * Turns a job's frozen preset into the submit call, and finds a submit whose answer was lost.
 * Every submit carries `metadata.client_job_id` (the job id) and `client_attempt` (bumped by
 * each retry of a failed job), so a restart or a dropped connection can look the command up
 * among the recent ones instead of sending it twice.
 */
import type { Job } from '../../../shared/jobs';
import { PRESET_INPUT_ALIAS, type Preset } from '../../../shared/presetTypes';
import type { CommandObject, Metadata, SubmitResponse } from '../../../shared/renderioApi';
import { renderFileName } from '../../../shared/fileNameTemplate';
import type { CallOptions, QueueClient } from './ports';

export function submitMetadata(job: Job): Metadata {
  return { client_job_id: job.id, client_attempt: job.attempts, client: 'renderio-desktop' };
}

/** Remote output names: the source's name with the preset's extension (what the cloud dashboard shows). */
export function remoteOutputFiles(job: Job, preset: Preset): Record<string, string> {
  const files: Record<string, string> = {};
  for (const output of preset.outputs) {
    files[output.alias] = renderFileName({
      template: '{name}',
      sourceName: job.sourceName,
      presetId: preset.id,
      outputExtension: output.extension,
      suffix: output.suffix,
    });
  }
  return files;
}

export function submitJob(
  client: QueueClient,
  job: Job,
  inputUrl: string,
  options: CallOptions,
): Promise<SubmitResponse> {
  const preset = job.settings.preset;
  const metadata = submitMetadata(job);
  if (preset.source === 'account' && preset.remotePresetId) {
    const key = preset.remoteInputKey ?? PRESET_INPUT_ALIAS;
    return client.executePreset(
      preset.remotePresetId,
      { input_files: { [key]: inputUrl }, metadata },
      options,
    );
  }
  const input_files = { [PRESET_INPUT_ALIAS]: inputUrl };
  const output_files = remoteOutputFiles(job, preset);
  if (preset.ffmpegCommands && preset.ffmpegCommands.length > 0)
    return client.runChained(
      { input_files, output_files, ffmpeg_commands: preset.ffmpegCommands, metadata },
      options,
    );
  return client.runCommand(
    { input_files, output_files, ffmpeg_command: preset.ffmpegCommand ?? '', metadata },
    options,
  );
}

function matches(command: CommandObject, job: Job): boolean {
  const m = command.metadata;
  return !!m && m.client_job_id === job.id && Number(m.client_attempt ?? 0) === job.attempts;
}

/**
 * Looks for this job's command among the most recent ones (newest first). Stops at a page that
 * is older than the submit by a safe margin, or after a few pages.
 */
export async function reconcileSubmit(
  client: QueueClient,
  job: Job,
  options: CallOptions,
  maxPages = 5,
): Promise<string | null> {
  const limit = 100;
  const since = (job.remote.submitStartedAt ?? 0) - 10 * 60_000;
  for (let page = 0; page < maxPages; page++) {
    const list = await client.listCommands({ limit, offset: page * limit }, options);
    const found = list.commands.find((c) => matches(c, job));
    if (found) return found.command_id;
    if (list.commands.length < limit) return null;
    const oldest = list.commands.at(-1)?.created_at;
    if (oldest && Date.parse(oldest) < since) return null;
  }
  return null;
}
