/**
 * Commands: accepted as QUEUED, run when a concurrency slot is free (PROCESSING), ended
 * SUCCESS or FAILED. Each command runs in a fresh directory `<dataDir>/work/<id>`: inputs are
 * copied or downloaded into `inputs/`, ffmpeg runs there with an argument array, outputs are
 * moved into storage and probed, and the directory is removed. A run cut off by the engine
 * stopping (close() or a crash) leaves the command as it was; the next start runs it again
 * from scratch with the same id (docs/ENGINE.md, "Restart behaviour").
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { redact } from '../../shared/redact';
import {
  DISK_FULL_STATUS,
  type CommandStatus,
  type CommandType,
  type Metadata,
} from '../../shared/renderioApi';
import { needsAvailability, needsOfArgs } from '../../shared/node/ffmpeg';
import {
  prepareFfmpegArgs,
  prepareFfmpegCommand,
  UnsafeCommandError,
} from '../../shared/ffmpeg/argumentRules';
import { failureReason, withoutContextTags } from '../ffmpeg/failureReason';
import { probeMedia } from '../ffmpeg/probe';
import { runFfmpeg, stalledMessage } from '../ffmpeg/runFfmpeg';
import { checkSubtitleFiles, verifySubtitleFilesUnchanged } from '../ffmpeg/subtitleFiles';
import type { EngineContext } from '../engineContext';
import { diskFullMessage, isDiskFullError, saysDiskFull } from '../storage/diskSpace';
import { fetchToFile } from '../files/fetchToFile';
import type { FileService } from '../files/fileService';
import type { CommandRecord, FileRecord } from '../state/records';
import { findOutputProblem } from './outputCheck';
import type { CommandSpec } from './validateRequest';
import { Semaphore } from './semaphore';
import { INPUTS_DIR, makeWorkDir, removeWorkDir } from './workDir';

class CommandFailure extends Error {
  constructor(
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/** The engine is stopping: the run is abandoned and the command runs again at the next start. */
class Interrupted extends Error {}

export class CommandService {
  private readonly semaphore: Semaphore;
  private readonly progress = new Map<string, number>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  /**
   * Called once a command has ended (SUCCESS or FAILED), for webhook delivery. The record is
   * saved with `webhook_pending` set; whoever delivers clears it.
   */
  onFinished: (record: CommandRecord) => void = () => undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly files: FileService,
  ) {
    this.semaphore = new Semaphore(ctx.config.concurrency);
  }

  /** refusalOf() has made sure there is one before anything runs. */
  private ffmpegPath(): string {
    return this.ctx.ffmpeg.available ? this.ctx.ffmpeg.ffmpeg.path : 'ffmpeg';
  }

  private ffprobePath(): string {
    return this.ctx.ffmpeg.available ? this.ctx.ffmpeg.ffprobe.path : 'ffprobe';
  }

  get workRoot(): string {
    return join(this.ctx.config.dataDir, 'work');
  }

  get(commandId: string): CommandRecord | undefined {
    return this.ctx.store.state.commands[commandId];
  }

  progressOf(commandId: string): number | null {
    return this.progress.get(commandId) ?? null;
  }

  /** Newest first. State keeps insertion order, which is submission order. */
  list(limit: number, offset: number, status: CommandStatus | null): CommandRecord[] {
    return Object.values(this.ctx.store.state.commands)
      .reverse()
      .filter((c) => status === null || c.status === status)
      .slice(offset, offset + limit);
  }

  submit(
    spec: CommandSpec,
    type: CommandType,
    metadata: Metadata | null,
    webhookUrl: string | null,
  ): CommandRecord {
    // Remember which inputs are our own stored files: a run reads them by id, so a restart
    // (new port, signatures expiring meanwhile) does not cut the command off from them.
    const inputFileIds: Record<string, string> = {};
    for (const [alias, url] of Object.entries(spec.input_files)) {
      const local = this.files.lookupStorageUrl(url);
      if (local.kind === 'ok') inputFileIds[alias] = local.record.file_id;
    }
    const record: CommandRecord = {
      command_id: randomUUID(),
      status: 'QUEUED',
      command_type: type,
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
      total_processing_seconds: null,
      ffmpeg_command_run_seconds: null,
      metadata,
      error_status: null,
      error_message: null,
      original_request: {
        input_files: { ...spec.input_files },
        output_files: { ...spec.output_files },
        ...(spec.chained
          ? { ffmpeg_commands: [...spec.commands] }
          : { ffmpeg_command: spec.commands[0] ?? '' }),
      },
      outputs: {},
      webhook_url: webhookUrl,
      input_file_ids: inputFileIds,
    };
    this.ctx.store.state.commands[record.command_id] = record;
    this.ctx.store.changed();
    this.enqueue(record);
    return record;
  }

  private enqueue(record: CommandRecord): void {
    const task = this.execute(record).catch((error: unknown) => {
      this.ctx.logger.error(`command ${record.command_id} crashed:`, error);
    });
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private specOf(record: CommandRecord): CommandSpec {
    const r = record.original_request;
    return {
      input_files: r.input_files,
      output_files: r.output_files,
      commands: r.ffmpeg_commands ?? [r.ffmpeg_command ?? ''],
      chained: r.ffmpeg_commands !== undefined,
    };
  }

  /**
   * Why this engine's ffmpeg cannot run the command, asked before anything is fetched or
   * started: there is no usable ffmpeg, or the command needs an encoder, muxer or filter this
   * build lacks. A job is never started that could only fail.
   */
  private refusalOf(spec: CommandSpec): CommandFailure | null {
    const local = this.ctx.ffmpeg;
    if (!local.available)
      return new CommandFailure(
        'FFMPEG_UNAVAILABLE',
        `ffmpeg was not run: ${local.problem.message}`,
      );
    // Placeholders stand for the files they will be: outputs keep their names (the muxer
    // follows the extension), inputs are any path.
    const resolve = (alias: string): string => {
      const output = spec.output_files[alias];
      return output === undefined ? `./${INPUTS_DIR}/${alias}` : `./${output}`;
    };
    for (const [i, command] of spec.commands.entries()) {
      let args: string[];
      try {
        args = prepareFfmpegArgs(command, resolve);
      } catch {
        continue; // refused again at run time, with the sandbox's own reason
      }
      const verdict = needsAvailability(needsOfArgs(args), local.capabilities);
      if (!verdict.available) {
        const step = spec.commands.length > 1 ? ` (step ${i + 1} of ${spec.commands.length})` : '';
        return new CommandFailure(
          'UNSUPPORTED_BY_FFMPEG',
          `ffmpeg${step} was not run: ${verdict.reason} (${local.summary}).`,
        );
      }
    }
    return null;
  }

  private async execute(record: CommandRecord): Promise<void> {
    const refusal = this.refusalOf(this.specOf(record));
    if (refusal) {
      record.error_status = refusal.status;
      record.error_message = redact(refusal.message);
      this.finish(record, 'FAILED', performance.now(), 0);
      return;
    }
    let releaseSlot: () => void;
    try {
      releaseSlot = await this.semaphore.acquire(this.stopping.signal);
    } catch {
      return; // engine closing: the command stays as it is and runs after the next start
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      releaseSlot();
    };
    const workDir = join(this.workRoot, record.command_id);
    const started = performance.now();
    let runSeconds = 0;
    const timeout = AbortSignal.timeout(this.ctx.config.commandTimeoutMs);
    /** The inputs fetched into the work directory so far (relative paths). */
    let fetched: string[] = [];
    /** How the run ended; told (finish()) only once its work directory is gone. */
    let outcome: 'SUCCESS' | 'FAILED' | null = null;
    let failure = { status: '', message: '' };
    try {
      if (this.stopping.signal.aborted) return;
      record.status = 'PROCESSING';
      record.started_at = new Date().toISOString();
      this.progress.set(record.command_id, 0);
      this.ctx.store.changed();

      const spec = this.specOf(record);
      const signal = AbortSignal.any([this.stopping.signal, timeout]);
      const deadline = Date.now() + this.ctx.config.commandTimeoutMs;
      await makeWorkDir(workDir);

      const { paths: inputPaths, duration } = await this.fetchInputs(record, spec, workDir, signal);
      fetched = Object.values(inputPaths);
      const resolve = (alias: string): string => {
        const input = inputPaths[alias];
        if (input !== undefined) return input;
        const output = spec.output_files[alias];
        if (output !== undefined) return `./${output}`;
        throw new CommandFailure('INVALID_COMMAND', `unknown placeholder ${alias}`);
      };

      const steps = spec.commands.length;
      /** Every step's warnings: a later step's output may be missing because of an earlier one. */
      const ffmpegSaid: string[] = [];
      for (let i = 0; i < steps; i++) {
        const step = steps > 1 ? ` (step ${i + 1} of ${steps})` : '';
        // The submit already passed these checks; what is new here is the work dir as the
        // earlier steps left it: the files this step's subtitles filters will open.
        const notRun = `ffmpeg${step} was not run`;
        const { args, subtitleFiles } = await refusedAs(notRun, async () =>
          prepareFfmpegCommand(spec.commands[i] ?? '', resolve),
        );
        const checked = await refusedAs(notRun, () => checkSubtitleFiles(workDir, subtitleFiles));
        const result = await runFfmpeg({
          args,
          cwd: workDir,
          timeoutMs: Math.max(1, deadline - Date.now()),
          stallMs: this.ctx.config.stallTimeoutMs,
          durationSeconds: duration,
          onProgress: (f) => this.progress.set(record.command_id, (i + clamp01(f)) / steps),
          signal: this.stopping.signal,
          ffmpegPath: this.ffmpegPath(),
        });
        runSeconds += result.runSeconds;
        if (result.aborted) throw new Interrupted();
        // Before any other outcome: what such a step read must not reach the outputs, nor its
        // stderr the error message.
        await refusedAs(`ffmpeg${step} ran but its outputs were discarded`, () =>
          verifySubtitleFilesUnchanged(checked),
        );
        // The reason is one line a person reads; the log keeps ffmpeg's last lines.
        if (result.timedOut || !result.ok)
          this.ctx.logger.warn(
            `command ${record.command_id}: ffmpeg${step} failed; its last lines:\n${result.stderrTail}`,
          );
        if (result.timedOut)
          throw new CommandFailure(
            'TIMEOUT',
            `ffmpeg${step} ran longer than the limit of ${Math.round(this.ctx.config.commandTimeoutMs / 1000)} s`,
          );
        // Its own status: a hung run is not one that was slow (TIMEOUT) nor one ffmpeg gave up
        // on (FFMPEG_ERROR), and a person may retry it or look at the input.
        if (result.stalled)
          throw new CommandFailure('STALLED', stalledMessage(this.ctx.config.stallTimeoutMs, step));
        // ffmpeg's write found the disk full: which disk and what to do, not its strerror.
        if (!result.ok && saysDiskFull(result.stderrTail))
          throw new CommandFailure(DISK_FULL_STATUS, diskFullMessage(this.ctx.config.dataDir));
        if (!result.ok)
          throw new CommandFailure(
            'FFMPEG_ERROR',
            `ffmpeg${step} exited with code ${result.exitCode ?? 'none'}: ${failureReason(result.notices, result.stderrTail)}`,
          );
        const label = steps > 1 ? `step ${i + 1}: ` : '';
        for (const line of result.notices) ffmpegSaid.push(`${label}${line}`);
      }

      // The slot limits ffmpeg runs: once they are over, the next command may start while this
      // one's outputs are checked, moved and probed (on a batch of short clips that overhead
      // was a third of each slot, local-batch bench, docs/PERFORMANCE.md).
      release();
      const problem = await findOutputProblem(workDir, spec.output_files, ffmpegSaid);
      if (problem) throw new CommandFailure(problem.status, problem.message);
      const adopted: { alias: string; name: string; file: FileRecord }[] = [];
      for (const [alias, name] of Object.entries(spec.output_files)) {
        const file = await this.files.adoptOutput(record.command_id, join(workDir, name), name, {
          probe: this.ctx.config.probeOutputs,
        });
        adopted.push({ alias, name, file });
        record.outputs[alias] = { file_id: file.file_id, filename: name };
      }
      // An output ffprobe cannot read back (qtrle copied into Matroska) has no download link:
      // a SUCCESS would leave the client with nothing to fetch and no word on why.
      const unreadable = adopted.find((o) => o.file.status === 'FAILED');
      if (unreadable) {
        for (const o of adopted) await this.files.discard(o.file.file_id);
        record.outputs = {};
        throw new CommandFailure(
          'OUTPUT_UNREADABLE',
          `ffmpeg finished but the output ${unreadable.alias} ("${unreadable.name}") cannot be read back. ${withoutContextTags(unreadable.file.error_message ?? '')}`.trim(),
        );
      }
      outcome = 'SUCCESS';
    } catch (error) {
      if (
        error instanceof Interrupted ||
        (this.stopping.signal.aborted && !(error instanceof CommandFailure))
      ) {
        // Left PROCESSING on disk: the next start runs it again (recover()).
        this.ctx.logger.info(`command ${record.command_id}: engine stopping, runs again at start`);
        return;
      }
      if (error instanceof CommandFailure) {
        failure = { status: error.status, message: redact(error.message.trim()) };
      } else if (isDiskFullError(error)) {
        // The engine's own write (an input's copy, an output's move) found no room.
        this.ctx.logger.warn(`command ${record.command_id}: ${(error as Error).message}`);
        failure = { status: DISK_FULL_STATUS, message: diskFullMessage(this.ctx.config.dataDir) };
      } else if (timeout.aborted) {
        failure = {
          status: 'TIMEOUT',
          message: `The command ran longer than the limit of ${Math.round(this.ctx.config.commandTimeoutMs / 1000)} s`,
        };
      } else {
        this.ctx.logger.error(`command ${record.command_id} failed unexpectedly:`, error);
        failure = {
          status: 'INTERNAL_ERROR',
          message: redact(`The engine could not run the command: ${(error as Error).message}`),
        };
      }
      outcome = 'FAILED';
    } finally {
      // Removed before the end is told: whoever sees SUCCESS or FAILED finds nothing left over.
      await removeWorkDir(workDir, fetched);
      if (outcome === 'FAILED') {
        record.error_status = failure.status;
        record.error_message = failure.message;
      }
      if (outcome) this.finish(record, outcome, started, runSeconds);
      release();
      this.progress.delete(record.command_id);
    }
  }

  /** Copies (own storage) or downloads (http) each input into `inputs/<alias><ext>`. */
  private async fetchInputs(
    record: CommandRecord,
    spec: CommandSpec,
    workDir: string,
    signal: AbortSignal,
  ): Promise<{ paths: Record<string, string>; duration: number | null }> {
    const paths: Record<string, string> = {};
    let duration: number | null = null;
    for (const [alias, url] of Object.entries(spec.input_files)) {
      const rel = `./${INPUTS_DIR}/${alias}${extensionOf(url)}`;
      const abs = join(workDir, rel);
      let storedId = record.input_file_ids?.[alias];
      if (storedId === undefined) {
        // A record from before input_file_ids existed: resolve the URL now.
        const local = this.files.lookupStorageUrl(url);
        if (local.kind === 'refused')
          throw new CommandFailure('INPUT_ERROR', `input ${alias}: the URL ${local.reason}`);
        if (local.kind === 'ok') storedId = local.record.file_id;
      }
      let seconds: number | null = null;
      if (storedId !== undefined) {
        seconds = await this.copyStoredInput(alias, storedId, abs);
      } else {
        try {
          await fetchToFile(url, abs, signal);
        } catch (error) {
          if (signal.aborted || isDiskFullError(error)) throw error;
          throw new CommandFailure('INPUT_ERROR', `input ${alias}: ${(error as Error).message}`);
        }
        const probed = await probeMedia(abs, { ffprobePath: this.ffprobePath(), signal });
        if (probed.ok) seconds = probed.media.duration;
      }
      paths[alias] = rel;
      if (seconds !== null && (duration === null || seconds > duration)) duration = seconds;
    }
    return { paths, duration };
  }

  /** Copies a stored input by id; a file deleted since the submit fails the command clearly. */
  private async copyStoredInput(
    alias: string,
    fileId: string,
    target: string,
  ): Promise<number | null> {
    const stored = this.files.get(fileId);
    const gone = (why: string) =>
      new CommandFailure(
        'INPUT_ERROR',
        `input ${alias}: the stored file ${fileId} ${why} before the command ran; store the file again and submit a new command.`,
      );
    if (!stored || stored.is_deleted) throw gone('was deleted');
    if (stored.status !== 'STORED') throw gone(`became ${stored.status}`);
    try {
      await this.files.copyStored(stored, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw gone('lost its bytes');
      throw error;
    }
    return stored.duration;
  }

  private finish(
    record: CommandRecord,
    status: 'SUCCESS' | 'FAILED',
    started: number,
    runSeconds: number,
  ): void {
    record.status = status;
    record.finished_at = new Date().toISOString();
    record.total_processing_seconds = round3((performance.now() - started) / 1000);
    record.ffmpeg_command_run_seconds = round3(runSeconds);
    // Saved with the end state: a webhook cut off by a stop or a crash is sent after the start.
    record.webhook_pending = true;
    this.ctx.store.changed();
    this.onFinished(record);
  }

  /** Deletes a command's output files; the number actually deleted. */
  async deleteOutputs(record: CommandRecord): Promise<number> {
    let count = 0;
    for (const ref of Object.values(record.outputs))
      if (await this.files.delete(ref.file_id)) count++;
    return count;
  }

  /**
   * At start: QUEUED commands never started, so they run now; PROCESSING ones were cut off
   * mid-run (close() or a crash) and run again from scratch with the same id, still PROCESSING
   * (a status never moves back). Whatever the cut-off run left is dropped first: every work
   * directory, and outputs it had already moved into storage (no client ever saw them).
   * Call before FileService.recover(), which would otherwise re-probe those outputs.
   */
  async recover(): Promise<void> {
    await rm(this.workRoot, { recursive: true, force: true });
    const { commands, files } = this.ctx.store.state;
    const interrupted = new Set(
      Object.values(commands)
        .filter((c) => c.status === 'PROCESSING')
        .map((c) => c.command_id),
    );
    for (const file of Object.values(files))
      if (file.command_id !== null && interrupted.has(file.command_id))
        await this.files.discard(file.file_id);
    for (const record of Object.values(commands)) {
      if (record.status === 'PROCESSING') {
        this.ctx.logger.info(`command ${record.command_id} was cut off by a stop; running again`);
        record.outputs = {};
        record.error_status = null;
        record.error_message = null;
        this.ctx.store.changed();
        this.enqueue(record);
      } else if (record.status === 'QUEUED') {
        this.enqueue(record);
      }
    }
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.tasks]);
  }
}

/** Runs a sandbox check, turning its refusal into the command's INVALID_COMMAND failure. */
async function refusedAs<T>(prefix: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof UnsafeCommandError)
      throw new CommandFailure('INVALID_COMMAND', `${prefix}: ${error.message}`);
    throw error;
  }
}

function clamp01(f: number): number {
  return Number.isFinite(f) ? Math.min(1, Math.max(0, f)) : 0;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** `.mp4` from a URL path (the storage URL's last segment is the file name); '' if none. */
function extensionOf(url: string): string {
  try {
    const ext = extname(decodeURIComponent(new URL(url).pathname));
    return /^\.[A-Za-z0-9]{1,8}$/.test(ext) ? ext.toLowerCase() : '';
  } catch {
    return '';
  }
}
