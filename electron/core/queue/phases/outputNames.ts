/** Where a job's outputs go and what they are called, from the settings frozen into the job. */
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { Job, JobOutput } from '../../../../shared/jobs';
import { renderFileName, splitExtension } from '../../../../shared/fileNameTemplate';

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
