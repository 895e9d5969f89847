/**
 * The queue's controls, as the window and the CLI call them: pause, resume, stop after the
 * running jobs, cancel, retry, remove, reorder, clear, re-apply a preset, retry now. Each
 * changes the state, saves it, and lets the scheduler run what may run.
 */
import { rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeTemplateProblem } from '../../../shared/fileNameTemplate';
import {
  ACTIVE_STAGES,
  SOURCE_GONE,
  type BulkResult,
  type Job,
  type JobBrief,
  type JobChange,
  type LocateSourceResult,
  type MoveDirection,
} from '../../../shared/jobs';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import type { AppSettings } from '../settings/appSettings';
import { outputDirOf } from './phases/outputNames';
import { presetRefusal, type PresetRules } from './presetChecks';
import { isFinished, type QueueState } from './queueState';
import type { RemoteCleanup } from './remoteCleanup';
import type { Scheduler } from './scheduler';

export interface ControlsDeps extends PresetRules {
  state: QueueState;
  scheduler: Scheduler;
  cleanup: RemoteCleanup;
  settings(): AppSettings;
  presetById(id: string): Preset | undefined;
  partPathFor(dir: string, fileName: string): string;
  kindOf(fileName: string): MediaKind | null;
  save(job?: Job): Promise<void>;
  saveSoon(job?: Job): void;
}

export function createControls(deps: ControlsDeps) {
  const { state, scheduler } = deps;

  /** A job's leftovers: its partial downloads now, its remote copies through the clean-up list. */
  const discard = (job: Job): void => {
    const dir = outputDirOf(job);
    for (const output of job.remote.outputs ?? [])
      if (output.localName && output.localPath === undefined)
        void rm(deps.partPathFor(dir, output.localName), { force: true }).catch(() => undefined);
    void deps.cleanup
      .enqueue({
        profileId: job.settings.profileId,
        fileId: job.remote.fileId,
        commandId: job.remote.commandId,
        reason: `the remote copies of ${job.sourceName} (${job.stage})`,
      })
      .catch(() => undefined);
  };

  const retry = (id: string): void => {
    const job = state.jobs.get(id);
    if (!job || (job.stage !== 'failed' && job.stage !== 'cancelled')) return;
    const failedIn = job.stage === 'failed' ? job.resumeStage : null;
    job.error = null;
    scheduler.forget(id);
    if (failedIn === 'downloading' && job.remote.commandId && job.remote.outputs) {
      // Only the local side failed (disk full, folder gone): download again, do not re-run.
      // An output whose move was announced keeps its name: the move is settled, not redone.
      for (const output of job.remote.outputs)
        if (output.localPath === undefined && output.commit === undefined) delete output.localName;
      state.setStage(job, 'downloading');
    } else {
      job.attempts++;
      job.remote = {};
      job.outputPaths = [];
      delete job.outputBytes;
      delete job.warning;
      state.setStage(job, 'queued');
    }
    job.resumeStage = null;
    if (scheduler.isAuthHeld(job.settings.profileId)) state.hold(job, 'waiting-for-key');
    deps.saveSoon(job);
    scheduler.pump();
  };

  const remove = async (ids: readonly string[]): Promise<void> => {
    const removed: string[] = [];
    for (const id of ids) {
      const job = state.jobs.get(id);
      if (!job) continue;
      await scheduler.stop(id, () => {
        // A finished job's remote copies go only when the settings say so; the rest always.
        if (job.stage !== 'done' || (!job.remote.cleanedUp && deps.settings().cleanupRemote))
          discard(job);
      });
      scheduler.forget(id);
      removed.push(id);
    }
    if (removed.length === 0) return;
    state.drop(removed);
    await deps.save();
    scheduler.pump();
  };

  const GONE = 'This job is no longer in the queue.';

  /** Whether the row's Retry applies: a failed or cancelled job whose source is still there. */
  const retryRefusal = (job: Job): string | null => {
    if (job.stage !== 'failed' && job.stage !== 'cancelled')
      return `${job.sourceName} has not failed or been cancelled.`;
    if (job.error?.code === SOURCE_GONE)
      return `${job.sourceName} is no longer where it was: use Locate… or Remove.`;
    return null;
  };

  /**
   * Changes queued jobs' own settings, the way each row's Change… does: only a job that has not
   * started, only a preset that can take its kind of file, only a valid name template.
   */
  const change = (ids: readonly string[], what: JobChange): BulkResult => {
    const done: string[] = [];
    const skipped: BulkResult['skipped'] = [];
    const preset = what.presetId === undefined ? undefined : deps.presetById(what.presetId);
    const refuseAll =
      what.presetId !== undefined && !preset
        ? `The preset "${what.presetId}" is not available.`
        : what.nameTemplate !== undefined
          ? describeTemplateProblem(what.nameTemplate)
          : null;
    for (const id of ids) {
      const job = state.jobs.get(id);
      if (!job) {
        skipped.push({ id, reason: GONE });
        continue;
      }
      if (refuseAll) {
        skipped.push({ id, reason: refuseAll });
        continue;
      }
      if (!scheduler.notStarted(job)) {
        const when = isFinished(job.stage) ? 'finished' : 'started';
        skipped.push({
          id,
          // No stage name: "(stored)" is the queue's word, not the person's.
          reason: `${job.sourceName} has already ${when}: only a job that has not started can be changed.`,
        });
        continue;
      }
      const refusal = preset
        ? presetRefusal(preset, job.mediaKind, deps, job.settings.profileId)
        : null;
      if (refusal) {
        skipped.push({ id, reason: `${job.sourceName}: ${refusal}.`.replace(/\.\.$/, '.') });
        continue;
      }
      const settings = { ...job.settings };
      if (preset) {
        settings.presetId = preset.id;
        settings.preset = preset;
        // Chosen for this job: no longer "the default for its kind".
        delete settings.presetChoice;
      }
      if (what.outputDir !== undefined) settings.outputDir = what.outputDir;
      if (what.nameTemplate !== undefined) settings.nameTemplate = what.nameTemplate;
      job.settings = settings;
      done.push(id);
      state.stream.upsert(id);
    }
    if (done.length > 0) deps.saveSoon();
    return { done, skipped };
  };

  return {
    change,

    /** Stage, kind and whether its source is gone, for every job in order (no job bodies). */
    briefs(): JobBrief[] {
      const out: JobBrief[] = [];
      for (const id of state.order) {
        const job = state.jobs.get(id);
        if (job)
          out.push({
            id,
            stage: job.stage,
            resumeStage: job.resumeStage,
            mediaKind: job.mediaKind,
            sourceGone: job.error?.code === SOURCE_GONE,
          });
      }
      return out;
    },

    /** Cancel on each job that has not finished; one save for all of them. */
    async cancelMany(ids: readonly string[]): Promise<BulkResult> {
      const done: string[] = [];
      const skipped: BulkResult['skipped'] = [];
      for (const id of new Set(ids)) {
        const job = state.jobs.get(id);
        if (!job) skipped.push({ id, reason: GONE });
        else if (isFinished(job.stage))
          skipped.push({ id, reason: `${job.sourceName} has already finished (${job.stage}).` });
        else {
          await scheduler.stop(id, () => {
            job.error = { code: 'cancelled', message: 'Cancelled.', retryable: true };
            state.clearRetry(job);
            state.setStage(job, 'cancelled');
            discard(job);
          });
          done.push(id);
        }
      }
      if (done.length > 0) {
        await deps.save();
        scheduler.pump();
      }
      return { done, skipped };
    },

    /** Retry on each failed or cancelled job (not one whose source is gone). */
    retryMany(ids: readonly string[]): BulkResult {
      const done: string[] = [];
      const skipped: BulkResult['skipped'] = [];
      for (const id of new Set(ids)) {
        const job = state.jobs.get(id);
        const refusal = job ? retryRefusal(job) : GONE;
        if (refusal) skipped.push({ id, reason: refusal });
        else {
          retry(id);
          done.push(id);
        }
      }
      return { done, skipped };
    },

    /** Remove on each job that is not running (as on its row: a running job is cancelled first). */
    async removeMany(ids: readonly string[]): Promise<BulkResult> {
      const removable: string[] = [];
      const skipped: BulkResult['skipped'] = [];
      for (const id of new Set(ids)) {
        const job = state.jobs.get(id);
        if (!job) skipped.push({ id, reason: GONE });
        else if (ACTIVE_STAGES.includes(job.stage) || scheduler.isRunning(id))
          skipped.push({ id, reason: `${job.sourceName} is running: cancel it first.` });
        else removable.push(id);
      }
      await remove(removable);
      return { done: removable, skipped };
    },

    pauseAll(): void {
      state.paused = true;
      for (const id of scheduler.abortAll('paused')) {
        const job = state.jobs.get(id);
        if (job) state.hold(job, 'paused');
      }
      state.stream.flags();
      deps.saveSoon();
    },

    resumeAll(): void {
      state.paused = false;
      state.stopAfter = false;
      for (const job of state.jobs.values()) if (job.stage === 'paused') state.release(job);
      state.stream.flags();
      deps.saveSoon();
      scheduler.pump();
    },

    stopAfterRunning(): void {
      state.stopAfter = true;
      state.stream.flags();
      deps.saveSoon();
      scheduler.checkIdle();
    },

    async cancel(id: string): Promise<void> {
      const job = state.jobs.get(id);
      if (!job || isFinished(job.stage)) return;
      await scheduler.stop(id, () => {
        job.error = { code: 'cancelled', message: 'Cancelled.', retryable: true };
        state.clearRetry(job);
        state.setStage(job, 'cancelled');
        discard(job);
      });
      await deps.save(job);
      scheduler.pump();
    },

    retry,

    retryAllFailed(): void {
      // A job whose source is gone would fail alike: it waits for "Locate…" or "Remove".
      for (const job of [...state.jobs.values()])
        if (job.stage === 'failed' && job.error?.code !== SOURCE_GONE) retry(job.id);
    },

    retryNow(): void {
      scheduler.retryNow();
    },

    remove,

    move(id: string, direction: MoveDirection): void {
      const index = state.order.indexOf(id);
      if (index < 0) return;
      state.order.splice(index, 1);
      const target =
        direction === 'top'
          ? 0
          : direction === 'bottom'
            ? state.order.length
            : direction === 'up'
              ? Math.max(0, index - 1)
              : Math.min(state.order.length, index + 1);
      state.order.splice(target, 0, id);
      state.stream.order();
      deps.saveSoon();
      scheduler.pump();
    },

    clearFinished(): void {
      // Failed jobs stay until they are retried or removed one by one: clearing the list
      // must not lose a failure the person has not dealt with yet.
      const gone = state.list().filter((j) => isFinished(j.stage) && j.stage !== 'failed');
      if (gone.length === 0) return;
      state.drop(gone.map((j) => j.id));
      deps.saveSoon();
    },

    async locateSource(id: string, path: string): Promise<LocateSourceResult> {
      const job = state.jobs.get(id);
      if (!job) return { located: false, reason: 'This job is no longer in the queue.' };
      if (!(job.stage === 'failed' || scheduler.notStarted(job)))
        return {
          located: false,
          reason: 'Only a job that has not started, or has failed, can take another file.',
        };
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return { located: false, reason: `${basename(path)} is not a file.` };
      const kind = deps.kindOf(basename(path));
      const refusal = kind
        ? presetRefusal(job.settings.preset, kind, deps, job.settings.profileId)
        : `${basename(path)} is not a video, audio or image file this app converts.`;
      if (refusal) return { located: false, reason: refusal };
      // Another file is another job's worth of work: nothing of the old upload is reused.
      Object.assign(job, {
        sourcePath: path,
        sourceName: basename(path),
        sourceSize: info.size,
        mediaKind: kind,
      });
      if (job.stage === 'failed') {
        job.resumeStage = null; // from the start, not from where it failed
        retry(id);
      } else {
        state.stream.upsert(id);
        deps.saveSoon(job);
      }
      return { located: true, path };
    },

    applyPreset(
      ids: string[],
      presetId: string,
    ): { applied: string[]; skipped: { id: string; reason: string }[] } {
      const { done, skipped } = change(ids, { presetId });
      return { applied: done, skipped };
    },

    keyChanged(profileId: string): void {
      scheduler.keyChanged(profileId);
    },
  };
}
