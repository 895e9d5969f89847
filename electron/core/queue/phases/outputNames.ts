/** Where a job's outputs go and what they are called, from the settings frozen into the job. */
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Job, JobOutput } from '../../../../shared/jobs';
import { renderFileName, splitExtension } from '../../../../shared/fileNameTemplate';
import { numberedName } from '../../transfers/collision';

/** The output folder: the one chosen, or the source's own; with a mirror root, its sub-folder. */
export function outputDirOf(job: Job): string {
  const base = job.settings.outputDir ?? dirname(job.sourcePath);
  if (!job.settings.mirrorRoot || !job.settings.outputDir) return base;
  const rel = relative(job.settings.mirrorRoot, dirname(job.sourcePath));
  if (rel.startsWith('..') || isAbsolute(rel)) return base;
  return join(base, rel);
}

/** The local file name for one output, from the job's name template. */
export function localNameOf(job: Job, output: JobOutput): string {
  const spec = job.settings.preset.outputs.find((o) => o.alias === output.alias);
  const ext = spec?.extension ?? splitExtension(output.filename).ext ?? 'out';
  return renderFileName({
    template: job.settings.nameTemplate,
    sourceName: job.sourceName,
    presetId: job.settings.presetId,
    outputExtension: ext,
    suffix:
      spec?.suffix ??
      (job.settings.preset.outputs.length > 1
        ? `-${output.alias.replace(/^out_/, '')}`
        : undefined),
    date: new Date(job.createdAt),
  });
}

/**
 * The outputs a job's preset will make, known before it runs (its aliases and extensions), as
 * the download would record them: no remote file yet, so no file id, link or remote name (the
 * name it would be given here stands for it).
 */
export function plannedOutputs(job: Job): JobOutput[] {
  return job.settings.preset.outputs.map((spec) => {
    const output: JobOutput = { alias: spec.alias, fileId: null, url: null, filename: '' };
    output.filename = localNameOf(job, output);
    return output;
  });
}

/**
 * The names in `dir` that the queue's jobs hold (keyed in lower case, as a case-insensitive disk
 * maps "Clip.mp4" and "clip.mp4" to one file; the value as written): every job's source, this
 * one's too, and the other jobs' outputs, chosen or written. Two jobs of one batch whose
 * template gives one name (clip.mp4 and clip.mov to "clip-mp3.mp3") both wrote it under
 * "overwrite", and the second replaced the first's result while both were reported converted.
 * An earlier job of the same source holds only the source: converting a file again under
 * "overwrite" replaces its own earlier result.
 */
export function namesHeldIn(
  jobs: Iterable<Job>,
  dir: string,
  job: Pick<Job, 'id' | 'sourcePath'>,
): Map<string, string> {
  // Called as a download names each output, over every job: the paths the queue keeps are
  // absolute and normal (real paths, joined names), so plain string work, no resolve() a job.
  const folder = resolve(dir);
  const own = resolve(job.sourcePath);
  const held = new Map<string, string>();
  const holdName = (name: string) => held.set(name.toLowerCase(), name);
  const hold = (path: string) => {
    if (dirname(path) === folder) holdName(basename(path));
  };
  hold(own);
  for (const other of jobs) {
    if (other.id === job.id) continue;
    hold(other.sourcePath);
    if (other.sourcePath === own) continue;
    for (const path of other.outputPaths) hold(path);
    // Names chosen and not yet written: a finished output is in outputPaths already.
    const pending = other.remote.outputs?.filter((o) => o.localName && o.localPath === undefined);
    if (!pending?.length || resolve(outputDirOf(other)) !== folder) continue;
    for (const o of pending) {
      holdName(o.localName!);
      if (o.commit?.path) hold(o.commit.path);
    }
  }
  return held;
}

/** `name`, or the first `name (n).ext` not held (namesHeldIn). */
export function nameNotHeld(name: string, held: ReadonlyMap<string, string>): string {
  if (!held.has(name.toLowerCase())) return name;
  for (let n = 1; ; n++) {
    const candidate = numberedName(name, n);
    if (!held.has(candidate.toLowerCase())) return candidate;
  }
}
