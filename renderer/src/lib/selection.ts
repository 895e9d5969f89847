/**
 * The selection's arithmetic, kept by job id: which of the ticked jobs each action applies to
 * (as on each job's own row), the counts the buttons show, the presets Change… may offer, and
 * the sentence an action's answer becomes. Pure, so it is unit-tested; the jobs of rows off
 * screen are known by their brief (stage and kind), not by the whole job.
 */
import {
  ACTIVE_STAGES,
  FINISHED_STAGES,
  SOURCE_GONE,
  type BulkResult,
  type Job,
  type JobBrief,
} from '../../../shared/jobs';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import { formatCount } from './format';
import { canChangePreset } from './stageView';

export type SelectionAction = 'cancel' | 'retry' | 'remove' | 'change';
export const SELECTION_ACTIONS: readonly SelectionAction[] = [
  'cancel',
  'retry',
  'remove',
  'change',
];

export function briefOf(job: Job): JobBrief {
  return {
    id: job.id,
    stage: job.stage,
    resumeStage: job.resumeStage,
    mediaKind: job.mediaKind,
    sourceGone: job.error?.code === SOURCE_GONE,
  };
}

export function sameBrief(a: JobBrief, b: JobBrief): boolean {
  return (
    a.stage === b.stage &&
    a.resumeStage === b.resumeStage &&
    a.mediaKind === b.mediaKind &&
    a.sourceGone === b.sourceGone
  );
}

/** Whether an action does something to this job: the same rule as the job's own row. */
export function appliesTo(action: SelectionAction, brief: JobBrief): boolean {
  switch (action) {
    case 'cancel':
      return !FINISHED_STAGES.includes(brief.stage);
    case 'retry':
      return (brief.stage === 'failed' || brief.stage === 'cancelled') && !brief.sourceGone;
    case 'remove':
      // A running job is cancelled first (its row has no Remove while it runs).
      return !ACTIVE_STAGES.includes(brief.stage);
    case 'change':
      return canChangePreset(brief);
  }
}

export type SelectionCounts = Record<SelectionAction, number>;

export function countsOf(briefs: Iterable<JobBrief>): SelectionCounts {
  const counts: SelectionCounts = { cancel: 0, retry: 0, remove: 0, change: 0 };
  for (const brief of briefs)
    for (const action of SELECTION_ACTIONS) if (appliesTo(action, brief)) counts[action]++;
  return counts;
}

/** The ids an action goes to, in the selection's order. */
export function idsFor(action: SelectionAction, briefs: Iterable<JobBrief>): string[] {
  const ids: string[] = [];
  for (const brief of briefs) if (appliesTo(action, brief)) ids.push(brief.id);
  return ids;
}

/** The kinds of file among these jobs (a preset must take every one of them). */
export function kindsOf(briefs: Iterable<JobBrief>): MediaKind[] {
  const kinds = new Set<MediaKind>();
  for (const brief of briefs) if (brief.mediaKind) kinds.add(brief.mediaKind);
  return [...kinds];
}

/**
 * The presets Change… offers for jobs of these kinds: runnable ones that take every kind.
 * The others are named with the reason, so none disappears without a word.
 */
export function presetsForKinds(
  presets: readonly Preset[],
  kinds: readonly MediaKind[],
): { offered: Preset[]; refused: { preset: Preset; reason: string }[] } {
  const offered: Preset[] = [];
  const refused: { preset: Preset; reason: string }[] = [];
  for (const preset of presets) {
    const missing = kinds.filter((k) => !preset.accepts.includes(k));
    if (preset.unavailable) refused.push({ preset, reason: preset.unavailable });
    else if (missing.length > 0)
      refused.push({
        preset,
        reason: `takes ${preset.accepts.join(' or ')} files, not ${missing.join(' or ')}`,
      });
    else offered.push(preset);
  }
  return { offered, refused };
}

const PAST: Record<Exclude<SelectionAction, 'change'>, string> = {
  cancel: 'Cancelled',
  retry: 'Retrying',
  remove: 'Removed',
};

function jobs(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'job' : 'jobs'}`;
}

/**
 * What an action's answer says to the person: a sentence for the live region, and a notice
 * when some jobs could not be done (with the distinct reasons, the first few of them).
 */
export function describeBulk(
  action: SelectionAction,
  result: BulkResult,
): { said: string; notice: { tone: 'warning' | 'error'; text: string } | null } {
  const verb = action === 'change' ? 'Changed' : PAST[action];
  const said = `${verb} ${jobs(result.done.length)}.`;
  if (result.skipped.length === 0) return { said, notice: null };
  const reasons = [...new Set(result.skipped.map((s) => s.reason))];
  const shown = reasons.slice(0, 3).join(' ');
  const more = reasons.length > 3 ? ` (and ${reasons.length - 3} other reasons)` : '';
  const n = result.skipped.length;
  const text = `${result.done.length > 0 ? `${said} ` : ''}${jobs(n)} ${n === 1 ? 'was' : 'were'} left as ${n === 1 ? 'it was' : 'they were'}: ${shown}${more}`;
  return { said, notice: { tone: result.done.length > 0 ? 'warning' : 'error', text } };
}

/** What a key event is checked on (a DOM KeyboardEvent fits). */
export interface KeyChord {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  target: unknown;
}

/** Ctrl+A (Cmd+A on macOS) outside a text field: select every job. */
export function isSelectAllKey(event: KeyChord): boolean {
  if (event.key.toLowerCase() !== 'a' || event.altKey || event.shiftKey) return false;
  if (!(event.ctrlKey || event.metaKey)) return false;
  const el = event.target as {
    tagName?: string;
    type?: string;
    isContentEditable?: boolean;
  } | null;
  const tag = el?.tagName;
  const typing =
    tag === 'TEXTAREA' ||
    tag === 'SELECT' ||
    el?.isContentEditable === true ||
    (tag === 'INPUT' && !['checkbox', 'radio', 'button'].includes(el?.type ?? 'text'));
  return !typing;
}
