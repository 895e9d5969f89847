/**
 * A job's details for the Details dialog: its stage times, the command it runs, and the words
 * of whoever ran it: ffmpeg's own message when it failed, else the server's record of the
 * command (asked for once, with a short deadline: the dialog must not hang on a dead network).
 */
import type { Job, JobStage } from '../../../shared/jobs';
import { STAGE_ORDER, type JobDetails, type StageTime } from '../../../shared/jobDetails';
import type { CommandObject } from '../../../shared/renderioApi';
import { redact } from '../../../shared/redact';
import { outputDirOf } from './phases/outputNames';

export interface DetailsSources {
  /** The command's record where the job ran; null when there is nothing to ask. */
  fetchCommand: ((commandId: string, signal: AbortSignal) => Promise<CommandObject>) | null;
  /** "this computer" or the account's name. */
  runsOn: string;
  /** Whether the job ran on this computer: its words never name RenderIO. */
  local: boolean;
  deadlineMs?: number;
  /** The words a stage is shown with (stages shown alike are summed). */
  stageLabel?: (stage: JobStage) => string;
}

export function commandText(job: Job): string {
  const preset = job.settings.preset;
  if (preset.source === 'account' && preset.remotePresetId)
    return `Preset ${preset.name} of the account (${preset.remotePresetId})`;
  const steps = preset.ffmpegCommands?.length
    ? preset.ffmpegCommands
    : [preset.ffmpegCommand ?? ''];
  return steps.map((step) => redact(step)).join('\n');
}

function seconds(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)} s`;
}

/** The server's record of a command, as lines; a local job's words are made fit (`wordsFor`). */
export function recordText(command: CommandObject): string {
  const lines = [
    `Status: ${command.status}`,
    `Processing time: ${seconds(command.total_processing_seconds)}`,
    `FFmpeg ran for: ${seconds(command.ffmpeg_command_run_seconds)}`,
  ];
  if (command.error_message) lines.push('', command.error_message);
  else if (command.error_status) lines.push('', command.error_status);
  return redact(lines.join('\n'));
}

/** A job run on this computer never names RenderIO. */
function wordsFor(text: string, local: boolean): string {
  return local ? text.replace(/RenderIO/g, 'the engine') : text;
}

/** Stage times by what the person reads: two stages with one label are one row. */
export function stageTimes(job: Job, label: (stage: JobStage) => string = (s) => s): StageTime[] {
  const times: StageTime[] = [];
  const byLabel = new Map<string, StageTime>();
  for (const stage of STAGE_ORDER) {
    const ms = job.stageTimings[stage];
    if (ms === undefined || ms <= 0) continue;
    const seen = byLabel.get(label(stage));
    if (seen) seen.ms += ms;
    else {
      const row = { stage, ms };
      byLabel.set(label(stage), row);
      times.push(row);
    }
  }
  return times;
}

/**
 * Why a done job wrote nothing, when "Skip the file" (collision "skip") left its outputs as they
 * were and it has no record of a command (it never ran one: every output was there before its
 * upload, uploadPhase.ts); null otherwise.
 */
export function skippedNote(job: Job): string | null {
  if (job.stage !== 'done' || job.remote.commandId) return null;
  const skipped = (job.remote.outputs ?? []).filter((o) => o.localPath === null);
  if (skipped.length === 0) return null;
  const names = skipped.map((o) => o.localName ?? o.alias);
  const list =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const were = names.length === 1 ? 'was' : 'were';
  return (
    `Nothing was converted: ${list} ${were} already in ${outputDirOf(job)}, and "Skip the file" ` +
    `keeps what is there. Nothing was sent.`
  );
}

export async function describeJobDetails(job: Job, sources: DetailsSources): Promise<JobDetails> {
  let logSource: JobDetails['logSource'] = null;
  let log: string;
  if (job.error?.code === 'ffmpeg') {
    logSource = 'ffmpeg';
    log = job.error.message;
  } else if (job.remote.record) {
    logSource = 'server';
    log = job.remote.record;
  } else if (job.remote.commandId && !job.remote.cleanedUp && sources.fetchCommand) {
    const deadline = AbortSignal.timeout(sources.deadlineMs ?? 3000);
    try {
      log = recordText(await sources.fetchCommand(job.remote.commandId, deadline));
      logSource = 'server';
    } catch (error) {
      const where = sources.local ? 'this computer' : 'the server';
      log = `The record of the command on ${where} could not be read: ${redact(error instanceof Error ? error.message : String(error))}`;
    }
  } else if (job.error) {
    log = job.error.message;
  } else {
    log = skippedNote(job) ?? '';
  }
  return {
    id: job.id,
    sourceName: job.sourceName,
    sourcePath: job.sourcePath,
    sourceSize: job.sourceSize,
    stage: job.stage,
    presetName: job.settings.preset.name,
    runsOn: sources.runsOn,
    error: job.stage === 'failed' ? (job.error?.message ?? null) : null,
    warning: job.stage === 'done' ? (job.warning ?? null) : null,
    outputPaths: [...job.outputPaths],
    outputBytes: job.outputBytes ?? null,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    local: sources.local,
    stages: stageTimes(job, sources.stageLabel),
    command: commandText(job),
    logSource,
    log: wordsFor(log, sources.local),
  };
}
