/**
 * Adding jobs: paths are expanded (folders walked, duplicates and unsupported files refused
 * with a reason), each file is checked against the preset, and the settings are frozen into
 * each new job. Adding is idempotent: a file already queued, or converted before with the same
 * preset and output settings (its outputs still on disk), is not converted twice unless the
 * person asks for it again (`again`).
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { AddJobsRequest, AddJobsResult, Job } from '../../../shared/jobs';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import { describeTemplateProblem } from '../../../shared/fileNameTemplate';
import { expandPaths } from '../files/expandPaths';
import { silentPaths } from '../files/probeAudio';
import type { AppSettings } from '../settings/appSettings';
import { needsSound, presetRefusal, silentVideoRefusal, type PresetRules } from './presetChecks';
import { emptyProgress, isFinished, type QueueState } from './queueState';

export interface AddJobsDeps extends PresetRules {
  state: QueueState;
  now(): number;
  settings(): AppSettings;
  presetById(id: string): Preset | undefined;
  hasAudio?(path: string): Promise<boolean | null>;
  kindOf(fileName: string): MediaKind | null;
  activeProfileId(): string;
  isAuthHeld(profileId: string): boolean;
  /** Whether a file found in a folder is one of this app's earlier results. */
  isProduced?(realPath: string, size: number): boolean;
}

type FrozenSettings = Omit<Job['settings'], 'mirrorRoot' | 'profileId' | 'preset'>;

/** Two jobs make the same outputs from the same file when these agree. */
function sameWork(job: Job, preset: Preset, s: FrozenSettings): boolean {
  const a = job.settings;
  return (
    a.presetId === s.presetId &&
    a.outputDir === s.outputDir &&
    a.nameTemplate === s.nameTemplate &&
    a.collision === s.collision &&
    JSON.stringify([a.preset.ffmpegCommand, a.preset.ffmpegCommands, a.preset.outputs]) ===
      JSON.stringify([preset.ffmpegCommand, preset.ffmpegCommands, preset.outputs])
  );
}

async function outputsStillThere(job: Job): Promise<boolean> {
  if (job.outputPaths.length === 0) return false;
  for (const path of job.outputPaths) if (!(await stat(path).catch(() => null))) return false;
  return true;
}

const refuseAll = (paths: string[], reason: string): AddJobsResult => ({
  added: [],
  rejected: paths.map((path) => ({ path, reason })),
  alreadyDone: [],
});

/**
 * The default preset for a file's kind, when the picked one cannot take the file and it is
 * not the same preset. A silent video refused by an audio preset is not a kind mismatch: it
 * gets no video preset behind the person's back.
 */
function kindDefaultFor(
  kind: MediaKind | null,
  picked: Preset,
  settings: AppSettings,
  deps: AddJobsDeps,
): Preset | null {
  if (kind === null || picked.accepts.includes(kind)) return null;
  const id = settings.kindDefaults[kind];
  if (!id || id === picked.id) return null;
  return deps.presetById(id) ?? null;
}

/** Why neither the picked preset nor the kind's default could take the file. */
function noPresetTakes(
  pickedRefusal: string,
  kind: MediaKind | null,
  fallback: Preset | null,
): string {
  if (!fallback || kind === null) return pickedRefusal;
  return `${pickedRefusal}, and the default ${kind} preset (${fallback.name}) cannot run here either`;
}

export async function addJobs(request: AddJobsRequest, deps: AddJobsDeps): Promise<AddJobsResult> {
  const settings = deps.settings();
  const preset = deps.presetById(request.presetId);
  if (!preset) return refuseAll(request.paths, `unknown preset "${request.presetId}"`);
  // Listed but not runnable (an account preset with several inputs): every path, with why.
  const profileId = deps.activeProfileId();
  const unavailable = presetRefusal(preset, null, deps, profileId);
  if (unavailable) return refuseAll(request.paths, unavailable);
  const outputDir = request.outputDir === undefined ? settings.outputDir : request.outputDir;
  if (outputDir !== null && !isAbsolute(outputDir))
    return refuseAll(request.paths, 'the output folder must be an absolute path');
  const nameTemplate = request.nameTemplate ?? settings.nameTemplate;
  const templateProblem = describeTemplateProblem(nameTemplate);
  if (templateProblem) return refuseAll(request.paths, templateProblem);
  const frozen: FrozenSettings = {
    presetId: preset.id,
    outputDir: outputDir === null ? null : resolve(outputDir),
    nameTemplate,
    collision: request.collision ?? settings.collision,
  };

  // What this request would do again: the same file with the same preset and output settings.
  const again = request.again === true;
  const alreadyQueued = new Set<string>();
  const converted = new Map<string, Job>();
  for (const job of deps.state.jobs.values()) {
    if (!sameWork(job, preset, frozen)) continue;
    if (!isFinished(job.stage)) alreadyQueued.add(job.sourcePath);
    else if (job.stage === 'done') converted.set(job.sourcePath, job);
  }
  const { files, rejected } = await expandPaths(request.paths, {
    kindOf: deps.kindOf,
    alreadyQueued: again ? new Set() : alreadyQueued,
    isProduced: deps.isProduced,
  });
  const alreadyDone: AddJobsResult['alreadyDone'] = [];
  const fresh = [];
  for (const file of files) {
    const done = again ? undefined : converted.get(file.path);
    if (done && done.sourceSize === file.size && (await outputsStillThere(done)))
      alreadyDone.push({ path: file.path, jobId: done.id, outputPaths: [...done.outputPaths] });
    else fresh.push(file);
  }

  const mirror = request.mirrorTree ?? settings.mirrorTree;
  const held = deps.isAuthHeld(profileId);
  const added: string[] = [];
  // An audio preset cannot make anything of a silent video: say so now, not after upload.
  const silent = await silentPaths(
    fresh.filter((f) => needsSound(preset, f.mediaKind)).map((f) => f.path),
    deps.hasAudio,
  );
  const now = deps.now();
  for (const file of fresh) {
    const picked =
      presetRefusal(preset, file.mediaKind, deps, profileId) ??
      (silent.has(file.path) ? silentVideoRefusal(preset) : null);
    // The picked preset cannot take this kind of file: the kind's default preset can.
    const choice =
      picked === null || request.kindDefault === false
        ? null
        : kindDefaultFor(file.mediaKind, preset, settings, deps);
    const usable =
      choice && presetRefusal(choice, file.mediaKind, deps, profileId) === null ? choice : null;
    if (picked !== null && !usable) {
      rejected.push({ path: file.path, reason: noPresetTakes(picked, file.mediaKind, choice) });
      continue;
    }
    const jobPreset = usable ?? preset;
    const job: Job = {
      id: randomUUID(),
      sourcePath: file.path,
      sourceName: basename(file.path),
      sourceSize: file.size,
      mediaKind: file.mediaKind,
      settings: {
        ...frozen,
        presetId: jobPreset.id,
        preset: jobPreset,
        ...(usable ? { presetChoice: 'kind-default' as const } : {}),
        mirrorRoot: mirror && outputDir !== null ? file.mirrorRoot : null,
        profileId,
      },
      stage: held ? 'waiting-for-key' : 'queued',
      resumeStage: held ? 'queued' : null,
      holdUntil: null,
      remote: {},
      progress: emptyProgress(),
      outputPaths: [],
      error: null,
      retry: null,
      attempts: 0,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      stageTimings: {},
    };
    deps.state.insert(job);
    added.push(job.id);
  }
  if (added.length > 0) deps.state.stream.order();
  return { added, rejected, alreadyDone };
}
